"""The dashboard's running totals always agree with the responses they count."""

import random
from collections import Counter
from datetime import timedelta

from feedback import insight_store, periods, store
from tests.dates import TODAY, iso_week, month_key, month_start
from tests.trainer_data import add_sample

# Where the samples below end: the last day of the month before last (30 September
# on 18 November).
LATELY = month_start(TODAY, 1) - timedelta(days=1)


def totals(db):
    return tuple(sorted(tuple(row.values()) for row in db.query(f"SELECT * FROM {table}"))
                 for table in ("response_counts", "answer_counts", "answer_totals"))


def test_totals_kept_as_responses_arrive_equal_a_count_from_scratch(app, db):
    add_sample(app, db, 400, month_start(TODAY, 11), LATELY)
    kept = totals(db)
    assert sum(row[-1] for row in kept[0]) == 400
    with db.atomic():
        insight_store.recount(db)
    assert totals(db) == kept


def per_quarter(db):
    found = Counter()
    for row in db.query("SELECT week FROM responses"):
        found[periods.quarter_of_week(row["week"])] += 1
    return found


def test_totals_follow_the_retention_purge(app, db, runner):
    # Nearly seven years, of which the newest two are kept, in whole quarters.
    add_sample(app, db, 300, month_start(TODAY, 82), LATELY, seed=7)
    before = per_quarter(db)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    remaining = next(db.query("SELECT count(*) AS n FROM responses"))["n"]
    assert 0 < remaining < 300
    oldest = periods.oldest_kept_quarter(TODAY, app.config["RETENTION_RESPONSE_DAYS"])
    assert per_quarter(db) == {q: n for q, n in before.items() if q >= oldest}
    kept = totals(db)
    assert sum(row[-1] for row in kept[0]) == remaining
    with db.atomic():
        insight_store.recount(db)
    assert totals(db) == kept


def a_week_across_a_month_end():
    """A recent week that ends in the month after its Thursday's (a month's last day
    is a Thursday, Friday or Saturday): (week, the month it counts in)."""
    back = 2
    while month_start(TODAY, back - 1).weekday() not in (4, 5, 6):
        back += 1
    return iso_week(month_start(TODAY, back - 1) - timedelta(days=1)), month_key(TODAY, back)


def test_the_totals_hold_months_and_groups_only(app, db):
    week, month = a_week_across_a_month_end()
    store.insert_response(db, {
        "id": f"{random.getrandbits(128):032x}", "survey_id": "at-report", "survey_version": 1,
        "stage": "at_report", "team": "T", "borough": "B", "crime_category": "stalking_harassment",
        "channel": "qr", "language": "en", "week": week,
        "answers": {"overall": "neither"}, "free_text": {"comments": "secret words"}})
    assert list(db.query("SELECT * FROM response_counts")) == [
        {"month": month, "stage": "at_report", "team": "T", "borough": "B",
         "crime_group": "vawg", "channel": "qr", "language": "en", "n": 1}]
    [answer] = db.query("SELECT question, answer, n FROM answer_counts")
    assert answer == {"question": "overall", "answer": "neither", "n": 1}
    assert list(db.query("SELECT * FROM answer_totals")) == [
        {"month": month, "stage": "at_report", "question": "overall", "answer": "neither",
         "n": 1}]


def test_a_view_without_filters_reads_the_same_figures_from_either_table(app, db):
    add_sample(app, db, 600, month_start(TODAY, 10), month_start(TODAY, 4) - timedelta(days=1),
               seed=3)
    months = periods.months_between(month_key(TODAY, 10), month_key(TODAY, 5))
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
