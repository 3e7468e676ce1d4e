"""The dashboard's running totals always agree with the responses they count."""

import random
from datetime import date

from feedback import insight_store, store
from tests.trainer_data import add_sample


def totals(db):
    return (sorted(tuple(row.values()) for row in db.query("SELECT * FROM response_counts")),
            sorted(tuple(row.values()) for row in db.query("SELECT * FROM answer_counts")))


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
