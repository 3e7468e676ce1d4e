"""k-anonymity and l-diversity for the response-level export.

Every non-answer column of the file (period, team, borough, crime category and
group, channel, language, survey version) is a quasi-identifier: an officer knows
them for the person they helped. The file must hold no combination of them shared
by fewer than k rows (k = 10), and each such group must hold at least l different
overall ratings, so nobody's answer follows from knowing their group.

The officer also knows the true answer to each question about their own actions
(marked `officer_knows` in the survey definitions: told about support, how the
outcome was told, ...). So the same must hold with any one of those answers added
to the group: within a group, the rows giving one known answer the same way are
at least k, with at least l overall ratings, or they are withheld (and the group
checked again without them).

Full-domain generalisation: each column is coarsened to one level for the whole
file, along its hierarchy. Of all combinations of levels (a lattice of 243), the
one that withholds at most the allowed share of rows with the least loss of
detail is chosen; rows still in small or uniform groups are withheld. The choice
depends only on the survey and quarter's data, so every copy of a file is the same.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import product

from feedback import periods
from feedback.categories import GROUP_OF

ANY = "any"
OTHER = "other"
# Column: (levels, weight of losing one level). Weights say what trainers value:
# where (team) and when matter most for training, channel and language least.
HIERARCHIES = {
    "time": (("week", "month", "quarter"), 1.0),
    "place": (("team", "borough", "force"), 1.5),
    "category": (("category", "group", "any"), 1.0),
    "channel": (("channel", "common channels", "any"), 0.5),
    "language": (("language", "common languages", "any"), 0.5),
}
COLUMNS = ("time", "place", "category", "channel", "language")
# A channel or language used by fewer than this share of the file's rows is "other".
RARE_SHARE = 0.05


@dataclass(frozen=True)
class Plan:
    levels: dict          # column -> chosen level index
    kept_keys: frozenset  # the stored combinations whose rows are in the file
    total: int
    kept: int
    common: dict          # "channel"/"language" -> values kept at level 1
    keys: tuple = ()      # every distinct combination of the file's columns, as stored

    def describe(self):
        """{column: name of the level used}, for the page and the data dictionary."""
        return {column: HIERARCHIES[column][0][level] for column, level in self.levels.items()}


def _common(classes, index, total, k):
    counts = defaultdict(int)
    for row in classes:
        counts[row[index]] += row[-1]
    return frozenset(value for value, n in counts.items() if n >= max(k, RARE_SHARE * total))


def generalisers(common):
    """For each column and level, a function from a class row to its coarse value(s).
    Class rows are (week, team, borough, category, channel, language, version, ...)."""
    return {
        "time": (lambda r: r[0], lambda r: periods.month_of_week(r[0]),
                 lambda r: periods.quarter_of_week(r[0])),
        "place": (lambda r: (r[1], r[2]), lambda r: (ANY, r[2]), lambda r: (ANY, ANY)),
        "category": (lambda r: (r[3], GROUP_OF.get(r[3], OTHER)),
                     lambda r: (ANY, GROUP_OF.get(r[3], OTHER)), lambda r: (ANY, ANY)),
        "channel": (lambda r: r[4], lambda r: r[4] if r[4] in common["channel"] else OTHER,
                    lambda r: ANY),
        "language": (lambda r: r[5],
                     lambda r: r[5] if r[5] in common["language"] else OTHER, lambda r: ANY),
    }


def _loss(levels):
    return sum(HIERARCHIES[c][1] * level / (len(HIERARCHIES[c][0]) - 1)
               for c, level in levels.items())


def _parts(key, known, with_known):
    return (key, *((key, q, a) for q, a in enumerate(known))) if with_known else (key,)


def _evaluate(columns, groups, k, l_diversity, with_known=True):
    """(kept rows, kept entries) for one node: columns are per-entry coarse values,
    groups (n, {overall ratings}, known answers) per entry. An entry is withheld when
    its group, or its group with any one of its known answers, is under k rows or
    l ratings; withholding shrinks groups, so this repeats until nothing changes.
    Without the known answers it is one pass: an upper bound on what is kept."""
    keys = list(zip(*columns, strict=True))
    kept = [True] * len(keys)
    while True:
        sizes, ratings = defaultdict(int), defaultdict(set)
        for key, (n, rated, known), keep in zip(keys, groups, kept, strict=True):
            if keep:
                for part in _parts(key, known, with_known):
                    sizes[part] += n
                    if len(ratings[part]) < l_diversity:
                        ratings[part] |= rated
        changed = False
        for index, (key, (_, _, known)) in enumerate(zip(keys, groups, strict=True)):
            if kept[index] and any(sizes[part] < k or len(ratings[part]) < l_diversity
                                   for part in _parts(key, known, with_known)):
                kept[index], changed = False, True
        if not changed or not with_known:
            return (sum(n for (n, _, _), keep in zip(groups, kept, strict=True) if keep),
                    frozenset(index for index, keep in enumerate(kept) if keep))


def _collapse(classes):
    """One entry per stored combination of the columns and the known answers:
    (row, n, {overall ratings}, known answers)."""
    merged = {}
    for row in classes:
        entry = merged.setdefault(tuple(row[:-2]), [0, set()])
        entry[0] += row[-1]
        entry[1].add(row[-2])
    return list(merged), [(n, frozenset(rated), row[7:])
                          for row, (n, rated) in merged.items()]


def choose(classes, k, l_diversity, max_withheld_share):
    """classes: (week, team, borough, category, channel, language, version, known
    answer..., overall, n) rows, one per distinct combination; the known answers are
    the officer-known questions' stored answers ('' when blank), none or several.
    Returns the Plan for the file."""
    total = sum(row[-1] for row in classes)
    common = {"channel": _common(classes, 4, total, k),
              "language": _common(classes, 5, total, k)}
    functions = generalisers(common)
    rows, groups = _collapse(classes)
    # Each column's coarse values at each level, computed once for all nodes.
    values = {c: [[f(row) for row in rows] for f in functions[c]] for c in COLUMNS}
    versions = [row[6] for row in rows]
    nodes = sorted((dict(zip(COLUMNS, levels, strict=True))
                    for levels in product(range(3), repeat=len(COLUMNS))), key=_loss)
    best, failed = None, []
    for levels in nodes:
        # Coarsening never withholds more, so a node finer than one that failed
        # fails too: skip it without counting.
        if any(all(levels[c] <= other[c] for c in COLUMNS) for other in failed):
            continue
        columns = [values[c][levels[c]] for c in COLUMNS] + [versions]
        # The quick bound first: most nodes fail it, and then fail in full too.
        kept, entries = _evaluate(columns, groups, k, l_diversity, with_known=False)
        if total - kept <= max_withheld_share * total:
            kept, entries = _evaluate(columns, groups, k, l_diversity)
        plan = Plan(levels, frozenset(rows[i] for i in entries), total, kept, common,
                    tuple(rows))
        if total - kept <= max_withheld_share * total:
            return plan  # the least loss
        failed.append(levels)
        if best is None or kept > best.kept:
            best = plan
    return best
