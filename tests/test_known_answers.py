"""The response-level file stays anonymous when the officer knows one answer
(issue 16, leak 3). Measured before: knowing `told_about_support` alone made the
overall rating certain for 16 rows (4 of them unique); any two answers narrowed up
to 344 rows. Questions about the officer's own actions are marked `officer_knows`
in the survey definitions; kanon.choose treats each as known, one at a time."""

import csv
import io
import random
from collections import Counter, defaultdict
from datetime import datetime

import pytest

from feedback import export, kanon, sample_data
from feedback.periods import months_of_quarter
from feedback.surveys import load_surveys
from tests.dates import LAST_QUARTER, a_week_in, month_start, quarter_days
from tests.trainer_data import add_response

SURVEYS = load_surveys("feedback/survey_definitions", 500)
K, L = 10, 2


def known_questions(survey):
    return [q.id for q in survey.questions if q.officer_knows]


def classes(records, known):
    """As insight_store.fetch_export_classes gives them: one row per combination."""
    counts = Counter(
        (r["week"], r["team"], r["borough"], r["crime_category"], r["channel"],
         r["language"], r["survey_version"],
         *(r["answers"].get(q, "") for q in known), r["answers"].get("overall"))
        for r in records)
    return [(*key, n) for key, n in counts.items()]


def sample(stage, count, seed=7):
    rng = random.Random(seed)
    records = sample_data.responses(rng, SURVEYS, count * 3, *quarter_days(LAST_QUARTER))
    return [r for r in records if r["stage"] == stage]


def attack(plan, records, known):
    """An officer who knows a victim's file columns and one known answer: the rows
    of the file they could be. Returns the groups with fewer than K rows or L ratings."""
    lines = export.coarse_columns(plan)
    found = defaultdict(lambda: [0, set()])
    for record in records:
        key = tuple(classes([record], known)[0][:-2])
        if key not in lines:
            continue  # withheld: not in the file
        for question in known:
            group = found[(lines[key], question, record["answers"].get(question, ""))]
            group[0] += 1
            group[1].add(record["answers"].get("overall"))
        group = found[(lines[key],)]
        group[0] += 1
        group[1].add(record["answers"].get("overall"))
    return [key for key, (n, ratings) in found.items() if n < K or len(ratings) < L]


@pytest.mark.parametrize("stage", ["at_report", "during_investigation", "at_outcome"])
def test_the_questions_about_the_officers_own_actions_are_marked(stage):
    assert known_questions(SURVEYS[stage])


@pytest.mark.parametrize("stage", ["at_report", "during_investigation", "at_outcome"])
def test_knowing_one_answer_never_narrows_the_file_below_k_or_l(stage):
    records = sample(stage, 1000)
    known = known_questions(SURVEYS[stage])
    plan = kanon.choose(classes(records, known), K, L, 0.05)
    assert attack(plan, records, known) == []
    assert plan.kept > 0.5 * plan.total  # a file that keeps most rows, not an empty one


def test_without_the_known_answers_the_same_file_leaks():
    """The defence is what makes the difference: the plan chosen on the columns
    alone leaves groups that one known answer narrows below k."""
    records = sample("at_outcome", 1000)
    known = known_questions(SURVEYS["at_outcome"])
    blind = kanon.choose(classes(records, []), K, L, 0.05)
    # The same plan, read as the file would be by someone who knows one answer.
    lines = export.coarse_columns(blind)
    seen = defaultdict(lambda: [0, set()])
    for record in records:
        key = tuple(classes([record], [])[0][:-2])
        if key in lines:
            for question in known:
                group = seen[(lines[key], question, record["answers"].get(question, ""))]
                group[0] += 1
                group[1].add(record["answers"].get("overall"))
    assert [key for key, (n, ratings) in seen.items() if n < K or len(ratings) < L]


def test_a_small_group_of_one_known_answer_is_withheld_and_the_rest_kept():
    # 40 rows alike; 4 of them were not told about support, and all 4 gave the same
    # overall rating as each other.
    base = ("2026-W30", "Team A", "Camden", "burglary", "qr", "en", 1)
    rows = [(*base, "yes", "very_satisfied", 18), (*base, "yes", "neither", 18),
            (*base, "no", "very_dissatisfied", 4)]
    plan = kanon.choose(rows, K, L, 0.5)
    assert plan.kept == 36
    assert (*base, "no") not in plan.kept_keys
    assert {(*base, "yes")} <= plan.kept_keys


def test_the_downloaded_file_withholds_a_small_group_of_one_known_answer(trainer_browser, db):
    """End to end: 36 alike who were told about support, and 4 who were not and gave
    the same rating. The officer of one of the 4 would find them in the file."""
    week = a_week_in(month_start(datetime.fromisoformat(
        months_of_quarter(LAST_QUARTER)[1] + "-01").date()))
    for number in range(40):
        told, overall = (("no", "very_dissatisfied") if number < 4 else
                         ("yes", ("very_satisfied", "neither")[number % 2]))
        add_response(db, week=week, answers={"overall": overall, "told_about_support": told})
    response = trainer_browser.post_form(
        f"/trainer/export?survey=at_report&quarter={LAST_QUARTER}",
        {"survey": "at_report", "quarter": LAST_QUARTER}, action="/trainer/export/responses")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 36
    assert {row["told_about_support"] for row in rows} == {"1"}  # yes; "no" is 0
