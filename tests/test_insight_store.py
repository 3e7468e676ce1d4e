"""The dashboard's running totals always agree with the responses they count."""

import random
from datetime import date

from feedback import insight_store, store
from tests.trainer_data import add_sample


def totals(db):
    return tuple(sorted(tuple(row.values()) for row in db.query(f"SELECT * FROM {table}"))
                 for table in ("response_counts", "answer_counts", "answer_totals"))


def test_totals_kept_as_responses_arrive_equal_a_count_from_scratch(app, db):
    add_sample(app, db, 400, date(2025, 12, 1), date(2026, 9, 30))
    kept = totals(db)
    assert sum(row[-1] for row in kept[0]) == 400
    with db.atomic():
        insight_store.recount(db)
    assert totals(db) == kept


def test_totals_follow_the_retention_purge(app, db, runner):
    add_sample(app, db, 300, date(2020, 1, 1), date(2026, 9, 30), seed=7)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    remaining = next(db.query("SELECT count(*) AS n FROM responses"))["n"]
    assert 0 < remaining < 300
    kept = totals(db)
    assert sum(row[-1] for row in kept[0]) == remaining
    with db.atomic():
        insight_store.recount(db)
    assert totals(db) == kept


def test_the_totals_hold_months_and_groups_only(app, db):
    store.insert_response(db, {
        "id": f"{random.getrandbits(128):032x}", "survey_id": "at-report", "survey_version": 1,
        "stage": "at_report", "team": "T", "borough": "B", "crime_category": "stalking_harassment",
        "channel": "qr", "language": "en", "week": "2026-W05",
        "answers": {"overall": "neither"}, "free_text": {"comments": "secret words"}})
    assert list(db.query("SELECT * FROM response_counts")) == [
        {"month": "2026-01", "stage": "at_report", "team": "T", "borough": "B",
         "crime_group": "vawg", "channel": "qr", "language": "en", "n": 1}]
    [answer] = db.query("SELECT question, answer, n FROM answer_counts")
    assert answer == {"question": "overall", "answer": "neither", "n": 1}
    assert list(db.query("SELECT * FROM answer_totals")) == [
        {"month": "2026-01", "stage": "at_report", "question": "overall", "answer": "neither",
         "n": 1}]


def test_a_view_without_filters_reads_the_same_figures_from_either_table(app, db):
    add_sample(app, db, 600, date(2026, 1, 1), date(2026, 6, 30), seed=3)
    months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    summed = insight_store.sum_answers(db, months, by=("month",))
    everyone = insight_store.sum_answers(db, months, where={"language": "en"}, by=("month",))
    everyone += insight_store.sum_answers(db, months, where={"language": "pl"}, by=("month",))
    everyone += insight_store.sum_answers(db, months, where={"language": "ro"}, by=("month",))
    everyone += insight_store.sum_answers(db, months, where={"language": "ar"}, by=("month",))
    combined = {}
    for row in everyone:
        key = (row["stage"], row["month"], row["question"], row["answer"])
        combined[key] = combined.get(key, 0) + row["n"]
    assert combined == {
        (r["stage"], r["month"], r["question"], r["answer"]): r["n"] for r in summed}
