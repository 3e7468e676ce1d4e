"""The files stay anonymous when the officer knows one answer (issue 16, leak 3).
Measured before: knowing `told_about_support` alone made the overall rating certain
for 16 rows (4 of them unique); any two answers narrowed up to 344 rows.

Questions about the officer's own actions are marked `officer_knows` in the survey
definitions. Their answers are in no row of any file: only in the dashboard's
totals, one question at a time, never joined to another answer. (Withholding the
rows that one known answer narrows cost team detail at every force size below
10,000 responses a quarter; blanking those answers biased the figures on officers'
actions towards "yes", which is what trainers look at them for.)"""

import csv
import io
import random
import re
from collections import defaultdict

import pytest

from feedback.domain import sample_data
from feedback.domain.periods import months_of_quarter
from feedback.domain.privacy import kanon
from feedback.domain.reporting import export
from feedback.domain.surveys import load_surveys
from tests.dates import LAST_QUARTER, a_week_in_each_month, quarter_days
from tests.trainer_data import add_response

SURVEYS = load_surveys("feedback/survey_definitions", 500)
K, L = 10, 2
STAGES = ["at_report", "during_investigation", "at_outcome"]


def known_questions(survey):
    return [q.id for q in survey.questions if q.officer_knows]


def sample(stage, count, seed=7):
    rng = random.Random(seed)
    records = sample_data.responses(rng, SURVEYS, count * 3, *quarter_days(LAST_QUARTER))
    return [r for r in records if r["stage"] == stage]


def file_of(records, columns):
    """The file's rows as the service would make them from records: each row its
    attribute columns (as the month's release gives them) and the answers to the
    question ids in columns."""
    classes = defaultdict(int)
    for r in records:
        classes[(r["week"], r["team"], r["borough"], r["crime_category"], r["channel"],
                 r["language"], r["survey_version"], r["answers"].get("overall"))] += 1
    plan = kanon.choose([(*key, n) for key, n in classes.items()], K, L, 0.05, times=(1,))
    release = kanon.Release.of(plan)
    releases = {m: release for m in months_of_quarter(LAST_QUARTER)}
    rows = []
    for r in records:
        line = export.attribute_text(releases, (
            r["week"], r["team"], r["borough"], r["crime_category"], r["channel"],
            r["language"], r["survey_version"]))
        if line is not None:
            rows.append((line, {q: r["answers"].get(q, "") for q in columns},
                         r["answers"].get("overall")))
    return rows


def narrowed(rows, known):
    """An officer who knows a victim's attribute columns and the true answer to one
    question the file has a column for: the groups of rows they could be, with
    fewer than K rows or L overall ratings."""
    found = defaultdict(lambda: [0, set()])
    for line, answers, overall in rows:
        for question in known:
            if question in answers:
                group = found[(line, question, answers[question])]
                group[0] += 1
                group[1].add(overall)
        group = found[(line,)]
        group[0] += 1
        group[1].add(overall)
    return [key for key, (n, ratings) in found.items() if n < K or len(ratings) < L]


@pytest.mark.parametrize("stage", STAGES)
def test_the_questions_about_the_officers_own_actions_are_marked(stage):
    assert known_questions(SURVEYS[stage])


@pytest.mark.parametrize("stage", STAGES)
def test_knowing_one_answer_never_narrows_the_file_below_k_or_l(stage):
    survey, records = SURVEYS[stage], sample(stage, 1000)
    known = known_questions(survey)
    # The file's columns: every question but the officer-known ones.
    columns = [q.id for q in survey.questions if not q.officer_knows]
    rows = file_of(records, columns)
    assert narrowed(rows, known) == []
    assert len(rows) > 0.9 * len(records)  # a file that keeps most rows, not an empty one


@pytest.mark.parametrize("stage", STAGES)
def test_with_the_known_answers_in_it_the_same_file_leaks(stage):
    """The defence is what makes the difference: the same rows with the officer-known
    answers as columns let one known answer narrow groups below k."""
    survey, records = SURVEYS[stage], sample(stage, 1000)
    rows = file_of(records, [q.id for q in survey.questions])
    assert narrowed(rows, known_questions(survey))


def test_the_downloaded_file_has_no_column_an_officer_knows_the_answer_to(trainer_browser,
                                                                        db):
    """End to end: 36 who were told about support, and 4 who were not and gave the
    same rating. The officer of one of the 4 finds nothing to pick them out by; the
    dictionary says why the column is missing, and the dashboard still counts it."""
    week = a_week_in_each_month(LAST_QUARTER)[1]
    for number in range(40):
        told, overall = (("no", "very_dissatisfied") if number < 4 else
                         ("yes", ("very_satisfied", "neither")[number % 2]))
        add_response(db, week=week, answers={"overall": overall, "told_about_support": told})
    form = {"survey": "at_report", "quarter": LAST_QUARTER}
    response = trainer_browser.post_form(f"/trainer/export?survey=at_report&quarter="
                                         f"{LAST_QUARTER}", form,
                                         action="/trainer/export/responses")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 40
    assert "told_about_support" not in rows[0]
    assert {row["overall"] for row in rows} == {"1", "3", "5"}
    dictionary = trainer_browser.post_form(
        f"/trainer/export?survey=at_report&quarter={LAST_QUARTER}", form,
        action="/trainer/export/dictionary").get_data(as_text=True)
    [line] = [line for line in dictionary.splitlines() if line.startswith('"told_about_support"')]
    assert "Not in this file: the officer who gave the link knows the true answer" in line
    month = months_of_quarter(LAST_QUARTER)[1]
    page = trainer_browser.get(f"/trainer/?from_month={month}&to_month={month}").get_data(
        as_text=True)
    question = "Did the officer tell you about support services, like Victim Support?"
    told = page.split(f"<caption class=\"visually-hidden\">Answers: {question}")[1]
    # 40 answered it; the 4 who said no are hidden, and yes with them (the total
    # minus yes would give them back).
    assert f"{question}</h3>\n  <p class=\"body\">40 answers." in page
    assert re.search(r"<th scope=\"row\">Yes</th><td class=\"numeric\">fewer than 10", told)
