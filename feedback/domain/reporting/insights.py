"""The trainer's figures, worked out from summed counts (plain rows in, plain
values out). Every number passes through feedback.domain.privacy.disclosure before it leaves:
None here means "fewer than 10", shown as words, never as a number."""

import math
from collections import defaultdict

from feedback.domain.privacy import disclosure

AREAS = (
    ("whole_experience", "Overall"),
    ("ease_of_contact", "Ease of contact"),
    ("actions_taken", "Actions taken"),
    ("kept_informed", "Kept informed"),
    ("treatment", "Treatment"),
)
AREA_LABELS = dict(AREAS)
SATISFIED = frozenset({"very_satisfied", "fairly_satisfied"})
FILTERS = ("stage", "borough", "team", "group", "channel", "language")
# The attributes whose groups are compared with the force, most useful first.
COMPARED = ("team", "borough", "group", "channel", "language", "stage")
# "Where to focus" ranks groups of these attributes: pairs first; where no pair has
# a group large enough, coarser pairs; then single attributes, of which the survey
# stage is never coarsened by a release, so a force with responses always has some.
FOCUS_LEVELS = (
    (("team", "stage"), ("borough", "group"), ("team", "group")),
    (("borough", "stage"), ("group", "stage")),
    tuple((name,) for name in COMPARED),
)
# 95% intervals: two groups differ only where their intervals do not overlap.
Z_95 = 1.96


def scale_areas(surveys):
    """{(stage, question id): area} for every rating question. Each survey has at
    most one rating question per area, so an area's count is a count of people."""
    return {(survey.stage, q.id): q.area for survey in surveys.values()
            for q in survey.questions if q.type == "scale"}


def overall_questions(surveys):
    return sorted({q.id for s in surveys.values() for q in s.questions
                   if q.type == "scale" and q.area == "whole_experience"})


def _area_totals(answer_rows, areas, key=lambda row: None):
    """{(key, area): [satisfied, answered]} over rating questions."""
    totals = defaultdict(lambda: [0, 0])
    for row in answer_rows:
        area = areas.get((row["stage"], row["question"]))
        if area is None:
            continue
        total = totals[(key(row), area)]
        total[0] += row["n"] if row["answer"] in SATISFIED else 0
        total[1] += row["n"]
    return totals


def satisfaction(answer_rows, surveys, threshold):
    """[{area, label, share, n}] for overall and each area."""
    totals = _area_totals(answer_rows, scale_areas(surveys))
    result = []
    for area, label in AREAS:
        satisfied, answered = totals.get((None, area), (0, 0))
        result.append({"area": area, "label": label,
                       "share": disclosure.share(satisfied, answered, threshold),
                       "n": disclosure.shown(answered, threshold)})
    return result


def trend(answer_rows, surveys, months, threshold):
    """[{area, label, points: [{month, share, n}]}]: satisfaction by month."""
    totals = _area_totals(answer_rows, scale_areas(surveys), key=lambda row: row["month"])
    series = []
    for area, label in AREAS:
        points = []
        for month in months:
            satisfied, answered = totals.get((month, area), (0, 0))
            points.append({"month": month,
                           "share": disclosure.share(satisfied, answered, threshold),
                           "n": disclosure.shown(answered, threshold)})
        series.append({"area": area, "label": label, "points": points})
    return series


def distributions(answer_rows, surveys, threshold):
    """Per survey, per question: every answer's published count and share."""
    counts = defaultdict(int)
    for row in answer_rows:
        counts[(row["stage"], row["question"], row["answer"])] += row["n"]
    result = []
    for survey in surveys.values():
        questions = []
        for question in survey.questions:
            if not question.choices:
                continue
            row = {value: counts.get((survey.stage, question.id, value), 0)
                   for value, _ in question.choices}
            total = sum(row.values())
            published = disclosure.protect_row(row, threshold)
            shown_total = disclosure.shown(total, threshold)
            answers = [{"value": value, "label": label, "count": published[value],
                        "share": disclosure.share_of_shown(published[value], shown_total)}
                       for value, label in question.choices]
            questions.append({"id": question.id, "text": question.text, "type": question.type,
                              "total": shown_total, "answers": answers})
        result.append({"stage": survey.stage, "title": survey.title, "questions": questions})
    return result


def funnel(link_rows, dimension, threshold):
    """Links created, opened and completed per value of one attribute."""
    values = [row[dimension] for row in link_rows]
    columns = {}
    for column in ("created", "opened", "completed"):
        counts = {row[dimension]: row[column] for row in link_rows}
        total = sum(counts.values())
        columns[column] = disclosure.protect_row(counts, threshold) if counts else {}
        columns[column + "_total"] = disclosure.shown(total, threshold)
    rows = []
    for row in sorted(link_rows, key=lambda r: (-r["created"], r[dimension])):
        value = row[dimension]
        shown = {c: columns[c][value] for c in ("created", "opened", "completed")}
        rows.append({"value": value, **shown,
                     "rate": disclosure.share_of_shown(shown["completed"], shown["created"])})
    totals = {c: columns[c + "_total"] for c in ("created", "opened", "completed")}
    return {"dimension": dimension, "rows": rows, "totals": totals,
            "hidden": len(values) - sum(1 for r in rows if r["created"] is not None)}


def focus(answer_rows, atom_rows, pair, filters, threshold, limit=10):
    """The groups of a pair of attributes (team x stage, ...) or of one, with the
    lowest overall satisfaction, each resting on at least threshold responses and
    safe to show."""
    totals = _overall_totals(answer_rows, pair)
    atoms = [(row["month"], tuple(row[f"f_{name}"] for name in filters),
              tuple(row[name] for name in pair), row["n"]) for row in atom_rows]
    groups = []
    for cell, (satisfied, answered) in totals.items():
        share = disclosure.share(satisfied, answered, threshold)
        if share is None or not disclosure.cell_is_safe(atoms, cell, threshold):
            continue
        groups.append({"pair": pair, "members": cell, "share": share,
                       "n": disclosure.shown(answered, threshold)})
    return sorted(groups, key=lambda g: (g["share"], g["members"]))[:limit]


def _overall_totals(answer_rows, names):
    """{(values of names): [satisfied, answered]} over overall-rating answer rows."""
    totals = defaultdict(lambda: [0, 0])
    for row in answer_rows:
        total = totals[tuple(row[name] for name in names)]
        total[0] += row["n"] if row["answer"] in SATISFIED else 0
        total[1] += row["n"]
    return totals


def wilson(satisfied, answered, z=Z_95):
    """The Wilson score interval of satisfied / answered, in whole per cent, widened
    outwards to whole numbers: (low, high). Sound on small groups and near 0 or
    100%, where the usual interval is not."""
    p = satisfied / answered
    spread = z * z / answered
    centre = (p + spread / 2) / (1 + spread)
    half = z * math.sqrt(p * (1 - p) / answered + spread / (4 * answered)) / (1 + spread)
    return (max(0, math.floor(100 * (centre - half) + 1e-9)),
            min(100, math.ceil(100 * (centre + half) - 1e-9)))


def estimate(satisfied, answered, threshold):
    """{share, n, low, high} of a group, or None when it has fewer than threshold
    answers. Worked out from the rounded counts, as every published share is, so the
    interval's width gives no exact count away."""
    if answered < threshold:
        return None
    shown_satisfied, shown_answered = disclosure.rounded(satisfied), disclosure.rounded(answered)
    low, high = wilson(shown_satisfied, shown_answered)
    return {"share": disclosure.share(satisfied, answered, threshold),
            "n": shown_answered, "low": low, "high": high}


def against(group, force):
    """"below" or "above" where a group's 95% interval and the force's do not
    overlap, else None (also when either is not shown)."""
    if not group or not force:
        return None
    if group["high"] < force["low"]:
        return "below"
    return "above" if group["low"] > force["high"] else None


def compare(answer_rows, force, name, threshold, coarsened=lambda value: False):
    """Overall satisfaction in each group of one attribute beside the force's.

    answer_rows: overall-rating answers by name; force: the force's estimate.
    A group is flagged "below" or "above" only where its 95% interval and the
    force's do not overlap: a conservative test (a difference that large arises by
    chance well under 1 time in 100), so a flag never rests on a handful of
    answers. Groups a release coarsened ("any", "other") are counted as not broken
    down. Returns {name, groups: [{value, share, n, low, high, flag}],
    not_broken_down}, least satisfied first; a group under threshold is left out."""
    groups, unplaced = [], 0
    for (value,), (satisfied, answered) in _overall_totals(answer_rows, (name,)).items():
        if coarsened(value):
            unplaced += answered
            continue
        found = estimate(satisfied, answered, threshold)
        if found is not None:
            groups.append({"value": value, **found, "flag": against(found, force)})
    groups.sort(key=lambda group: (group["share"], group["value"]))
    return {"name": name, "groups": groups,
            "not_broken_down": disclosure.shown(unplaced, threshold) if unplaced else 0}


def areas_against(answer_rows, force_rows, surveys, threshold):
    """[{area, label, group, force, flag}]: each area's estimate for a group's answers
    beside the force's, flagged "above" or "below" only where the 95% intervals do
    not overlap (as in compare)."""
    areas = scale_areas(surveys)
    group, force = _area_totals(answer_rows, areas), _area_totals(force_rows, areas)
    result = []
    for area, label in AREAS:
        mine = estimate(*group.get((None, area), (0, 0)), threshold)
        theirs = estimate(*force.get((None, area), (0, 0)), threshold)
        result.append({"area": area, "label": label, "group": mine, "force": theirs,
                       "flag": against(mine, theirs)})
    return result
