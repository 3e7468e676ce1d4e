"""The trainer's figures, worked out from summed counts (plain rows in, plain
values out). Every number passes through feedback.disclosure before it leaves:
None here means "fewer than 10", shown as words, never as a number."""

from collections import defaultdict

from feedback import disclosure

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
# Pairs of attributes whose groups are ranked in "where to focus".
FOCUS_PAIRS = (("team", "stage"), ("borough", "group"), ("team", "group"))


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
    """The groups of a pair of attributes (team x stage, ...) with the lowest overall
    satisfaction, each resting on at least threshold responses and safe to show."""
    first, second = pair
    totals = defaultdict(lambda: [0, 0])
    for row in answer_rows:
        total = totals[(row[first], row[second])]
        total[0] += row["n"] if row["answer"] in SATISFIED else 0
        total[1] += row["n"]
    atoms = [(row["month"], tuple(row[f"f_{name}"] for name in filters),
              (row[first], row[second]), row["n"]) for row in atom_rows]
    groups = []
    for cell, (satisfied, answered) in totals.items():
        share = disclosure.share(satisfied, answered, threshold)
        if share is None or not disclosure.cell_is_safe(atoms, cell, threshold):
            continue
        groups.append({"pair": pair, "members": cell, "share": share,
                       "n": disclosure.shown(answered, threshold)})
    return sorted(groups, key=lambda g: (g["share"], g["members"]))[:limit]
