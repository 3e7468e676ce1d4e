"""k-anonymity and l-diversity for the response-level export.

Every non-answer column of the file (period, team, borough, crime category and
group, channel, language, survey version) is a quasi-identifier: an officer knows
them for the person they helped. The file must hold no combination of them shared
by fewer than k rows (k = 10), and each such group must hold at least l different
overall ratings, so nobody's answer follows from knowing their group.

The officer also knows the true answer to each question about their own actions
(marked `officer_knows` in the survey definitions: told about support, how the
outcome was told, ...). Those answers are never in a row: knowing one would split
a group into parts as small as a single person (withholding those parts cost team
detail; blanking them biased exactly the figures on officers' actions). They are
counted only in the dashboard's totals, one question at a time, where they can't
be joined to any other answer.

Full-domain generalisation: each column is coarsened to one level for the whole
release, along its hierarchy. Of all combinations of levels (324; 108 with time
fixed at the month), the one that withholds at most the allowed share of rows with
the least loss of detail is chosen; rows still in small or uniform groups are
withheld. The choice depends only on the survey and month's data, so every copy of
a file is the same.

The unit is one survey's month: its **release**, decided once when the month is
published and stored (`Release`). Every figure, comment and file row of that month
comes from it, so any two of them describe a response the same way, and a
dashboard filter can only select whole groups of it.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import product

from feedback.domain import periods
from feedback.domain.categories import GROUP_OF

ANY = "any"
OTHER = "other"
# Column: (levels, weight of losing them all). Weights say what trainers value:
# where (team) matters most for training, channel and language least. "Common
# teams" keeps each team with enough responses and calls the rest "other".
HIERARCHIES = {
    "time": (("week", "month", "quarter"), 1.0),
    "place": (("team", "common teams", "borough", "force"), 4.0),
    "category": (("category", "group", "any"), 1.0),
    "channel": (("channel", "common channels", "any"), 0.5),
    "language": (("language", "common languages", "any"), 0.5),
}
COLUMNS = ("time", "place", "category", "channel", "language")
# A team, channel or language with fewer than this share of the rows is "other".
RARE_SHARE = 0.05


@dataclass(frozen=True)
class Plan:
    levels: dict          # column -> chosen level index
    kept_keys: frozenset  # the stored combinations whose rows are in the file
    total: int
    kept: int
    common: dict          # "team"/"channel"/"language" -> values kept at level 1
    keys: tuple = ()      # every distinct combination of the file's columns, as stored

    def describe(self):
        return describe(self.levels)


def describe(levels):
    """{column: name of the level used}, for the page and the data dictionary."""
    return {column: HIERARCHIES[column][0][level] for column, level in levels.items()}


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
        "place": (lambda r: (r[1], r[2]),
                  lambda r: (r[1] if r[1] in common["team"] else OTHER, r[2]),
                  lambda r: (ANY, r[2]), lambda r: (ANY, ANY)),
        "category": (lambda r: (r[3], GROUP_OF.get(r[3], OTHER)),
                     lambda r: (ANY, GROUP_OF.get(r[3], OTHER)), lambda r: (ANY, ANY)),
        "channel": (lambda r: r[4], lambda r: r[4] if r[4] in common["channel"] else OTHER,
                    lambda r: ANY),
        "language": (lambda r: r[5],
                     lambda r: r[5] if r[5] in common["language"] else OTHER, lambda r: ANY),
    }


# What a force may ask its releases to keep first (RELEASE_KEEPS_FIRST): new weights
# for some columns, and the time levels allowed. "place" is the default weighting
# above; "crime" for a force that trains by crime type; "time" keeps the week.
PRIORITIES = {
    "place": ({}, (1,)),
    "crime": ({"category": 4.0, "place": 2.0}, (1,)),
    "time": ({"time": 4.0, "place": 2.0}, (0, 1)),
}


def _loss(levels, weights=None):
    weights = weights or {}
    return sum(weights.get(c, HIERARCHIES[c][1]) * level / (len(HIERARCHIES[c][0]) - 1)
               for c, level in levels.items())


def _evaluate(columns, groups, k, l_diversity):
    """(kept rows, kept entries) for one node: columns are per-entry coarse values,
    groups (n, {overall ratings}) per entry. An entry is withheld when its group is
    under k rows or l ratings."""
    keys = list(zip(*columns, strict=True))
    sizes, ratings = defaultdict(int), defaultdict(set)
    for key, (n, rated) in zip(keys, groups, strict=True):
        sizes[key] += n
        if len(ratings[key]) < l_diversity:
            ratings[key] |= rated
    entries = frozenset(index for index, key in enumerate(keys)
                        if sizes[key] >= k and len(ratings[key]) >= l_diversity)
    return sum(groups[index][0] for index in entries), entries


def _collapse(classes):
    """One entry per stored combination of the columns: (rows, [(n, {overall
    ratings})])."""
    merged = {}
    for row in classes:
        entry = merged.setdefault(tuple(row[:-2]), [0, set()])
        entry[0] += row[-1]
        entry[1].add(row[-2])
    return list(merged), [(n, frozenset(rated)) for n, rated in merged.values()]


def choose(classes, k, l_diversity, max_withheld_share, times=(0, 1, 2), weights=None):
    """classes: (week, team, borough, category, channel, language, version, overall,
    n) rows, one per distinct combination. times: the time levels allowed; a month's
    release uses (1,), the month, unless the force keeps time first (PRIORITIES),
    since weeks would cost other detail and no figure is by week. weights: {column:
    weight} instead of HIERARCHIES' own. Returns the Plan."""
    total = sum(row[-1] for row in classes)
    common = {"team": _common(classes, 1, total, k), "channel": _common(classes, 4, total, k),
              "language": _common(classes, 5, total, k)}
    functions = generalisers(common)
    rows, groups = _collapse(classes)
    # Each column's coarse values at each level, computed once for all nodes.
    values = {c: [[f(row) for row in rows] for f in functions[c]] for c in COLUMNS}
    versions = [row[6] for row in rows]
    nodes = sorted((dict(zip(COLUMNS, levels, strict=True))
                    for levels in product(*(range(len(HIERARCHIES[c][0])) for c in COLUMNS))
                    if levels[0] in times), key=lambda levels: _loss(levels, weights))
    best, failed = None, []
    for levels in nodes:
        # Coarsening never withholds more, so a node finer than one that failed
        # fails too: skip it without counting.
        if any(all(levels[c] <= other[c] for c in COLUMNS) for other in failed):
            continue
        columns = [values[c][levels[c]] for c in COLUMNS] + [versions]
        kept, entries = _evaluate(columns, groups, k, l_diversity)
        plan = Plan(levels, frozenset(rows[i] for i in entries), total, kept, common,
                    tuple(rows))
        if total - kept <= max_withheld_share * total:
            return plan  # the least loss
        failed.append(levels)
        if best is None or kept > best.kept:
            best = plan
    return best


@dataclass(frozen=True)
class Release:
    """One survey's month as published: the level of each column, the common
    channels and languages, and the stored combinations withheld. Decided once, on
    the month's final data, and stored; never decided again."""
    levels: dict
    common: dict          # "team"/"channel"/"language" -> values kept at level 1
    withheld: frozenset   # stored combinations (as in Plan.keys) left out
    total: int
    kept: int

    @classmethod
    def of(cls, plan):
        return cls(dict(plan.levels), dict(plan.common),
                   frozenset(plan.keys) - plan.kept_keys, plan.total, plan.kept)

    def to_json(self):
        return json.dumps({"levels": self.levels,
                           "common": {c: sorted(v) for c, v in self.common.items()},
                           "withheld": sorted(list(key) for key in self.withheld),
                           "total": self.total, "kept": self.kept}, sort_keys=True)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        return cls(data["levels"], {c: frozenset(v) for c, v in data["common"].items()},
                   frozenset(tuple(key) for key in data["withheld"]), data["total"],
                   data["kept"])

    def describe(self):
        return describe(self.levels)

    @cached_property
    def _coarse(self):
        functions = generalisers(self.common)
        return [functions[column][self.levels[column]] for column in COLUMNS]

    def coarse(self, key):
        """A stored combination's values as released: (period, (team, borough),
        (category, group), channel, language), or None when it is withheld."""
        if key in self.withheld:
            return None
        return tuple(f(key) for f in self._coarse)


@dataclass(frozen=True)
class FileRelease:
    """A quarter's file: the union of its three months' releases, each row as its
    month's release describes it."""
    releases: dict  # month -> Release

    @property
    def total(self):
        return sum(release.total for release in self.releases.values())

    @property
    def kept(self):
        return sum(release.kept for release in self.releases.values())

    def describe(self):
        """{column: how it is shown}: one level name, or which months have which
        ("week in October 2026; month in November 2026, December 2026")."""
        described = {}
        for column in COLUMNS:
            months = defaultdict(list)
            for month, release in sorted(self.releases.items()):
                if release.total:
                    months[release.describe()[column]].append(month)
            if len(months) <= 1:
                described[column] = next(iter(months), HIERARCHIES[column][0][0])
            else:
                described[column] = "; ".join(
                    f"{level} in {', '.join(periods.month_label(m) for m in found)}"
                    for level, found in months.items())
        return described
