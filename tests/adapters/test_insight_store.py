"""The dashboard's totals: each published month's release, summed once, and
nothing else (feedback/domain/privacy/kanon.py, Release)."""

import json
import random
from collections import Counter
from datetime import timedelta

from feedback.adapters import store
from feedback.adapters.store import insights as insight_store
from feedback.domain import periods
from feedback.domain.privacy import kanon
from tests.dates import TODAY, iso_week, month_key, month_start
from tests.trainer_data import add_response, add_sample, publish

# Where the samples below end: the last day of the month before last (30 September
# on 18 November).
LATELY = month_start(TODAY, 1) - timedelta(days=1)


def totals(db):
    return tuple(tuple(sorted(tuple(row.values()) for row in db.query(f"SELECT * FROM {table}")))
                 for table in ("response_counts", "answer_counts", "answer_totals"))


def from_scratch(db):
    """The totals worked out here from the stored responses and releases: each
    response its release keeps, counted by its released values."""
    releases = {(row["stage"], row["month"]): kanon.Release.from_json(row["plan"])
                for row in db.query("SELECT * FROM releases")}
    counts = Counter()
    for row in db.query("SELECT * FROM responses"):
        month = periods.month_of_week(row["week"])
        if (row["stage"], month) not in releases:
            # Not published yet (a week whose Thursday is in the next month): in no total.
            assert month > periods.newest_published_month(TODAY)
            continue
        coarse = releases[(row["stage"], month)].coarse(
            (row["week"], row["team"], row["borough"], row["crime_category"], row["channel"],
             row["language"], row["survey_version"]))
        if coarse is not None:
            _, (team, borough), (_, group), channel, language = coarse
            counts[(month, row["stage"], team, borough, group, channel, language)] += 1
    return sorted((*key, n) for key, n in counts.items())


def test_the_totals_are_the_releases_summed(app, db):
    add_sample(app, db, 400, month_start(TODAY, 11), LATELY)
    assert totals(db) == ((), (), ())  # nothing until a month is released
    publish(db, app.config["SURVEYS"])
    kept = totals(db)
    assert kept[0] == tuple(from_scratch(db))
    released = [json.loads(row["plan"]) for row in db.query("SELECT plan FROM releases")]
    # Every response of a published month was weighed; those in groups too small
    # for any level are left out.
    published = periods.newest_published_month(TODAY)
    assert sum(r["total"] for r in released) == sum(
        1 for row in db.query("SELECT week FROM responses")
        if periods.month_of_week(row["week"]) <= published)
    assert 0 < sum(row[-1] for row in kept[0]) == sum(r["kept"] for r in released) <= 400
    # Every cell is a union of released groups: none under 10.
    assert min(row[-1] for row in kept[0]) >= 10
    # Released once: publishing again, or more responses arriving, changes nothing.
    add_sample(app, db, 50, month_start(TODAY, 11), LATELY, seed=9)
    publish(db, app.config["SURVEYS"])
    assert totals(db) == kept


def per_quarter(db):
    found = Counter()
    for row in db.query("SELECT week FROM responses"):
        found[periods.quarter_of_week(row["week"])] += 1
    return found


def test_totals_follow_the_retention_purge(app, db, runner):
    # Nearly seven years, of which the newest two are kept, in whole quarters.
    add_sample(app, db, 3000, month_start(TODAY, 82), LATELY, seed=7)
    publish(db, app.config["SURVEYS"])
    before = per_quarter(db)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    remaining = next(db.query("SELECT count(*) AS n FROM responses"))["n"]
    assert 0 < remaining < 3000
    oldest = periods.oldest_kept_quarter(TODAY, app.config["RETENTION_RESPONSE_DAYS"])
    assert per_quarter(db) == {q: n for q, n in before.items() if q >= oldest}
    first = periods.months_of_quarter(oldest)[0]
    assert min(row["month"] for row in db.query("SELECT month FROM releases")) == first
    assert min(row["month"] for row in db.query("SELECT month FROM response_counts")) >= first
    assert totals(db)[0] == tuple(from_scratch(db))


def a_week_across_a_month_end():
    """A recent week that ends in the month after its Thursday's (a month's last day
    is a Thursday, Friday or Saturday): (week, the month it counts in)."""
    back = 2
    while month_start(TODAY, back - 1).weekday() not in (4, 5, 6):
        back += 1
    return iso_week(month_start(TODAY, back - 1) - timedelta(days=1)), month_key(TODAY, back)


def test_the_totals_hold_months_and_groups_only(app, db):
    week, month = a_week_across_a_month_end()
    for number in range(10):
        store.insert_response(db, {
            "id": f"{random.getrandbits(128):032x}", "survey_id": "at-report",
            "survey_version": 1, "stage": "at_report", "team": "T", "borough": "B",
            "crime_category": "stalking_harassment", "channel": "qr", "language": "en",
            "week": week, "answers": {"overall": ("neither", "very_satisfied")[number % 2]},
            "free_text": {"comments": "secret words"}})
    publish(db, app.config["SURVEYS"])
    assert list(db.query("SELECT * FROM response_counts")) == [
        {"month": month, "stage": "at_report", "team": "T", "borough": "B",
         "crime_group": "vawg", "channel": "qr", "language": "en", "n": 10}]
    assert sorted(tuple(row.values()) for row in db.query(
        "SELECT question, answer, n FROM answer_counts")) == [
        ("overall", "neither", 5), ("overall", "very_satisfied", 5)]
    assert len(list(db.query("SELECT * FROM answer_totals WHERE month = ?", [month]))) == 2


def test_a_view_without_filters_reads_the_same_figures_from_either_table(app, db):
    add_sample(app, db, 600, month_start(TODAY, 10), month_start(TODAY, 4) - timedelta(days=1),
               seed=3)
    publish(db, app.config["SURVEYS"])
    months = periods.months_between(month_key(TODAY, 10), month_key(TODAY, 5))
    summed = insight_store.sum_answers(db, months, by=("month",))
    assert summed
    everyone = []
    for row in db.query("SELECT DISTINCT language FROM response_counts"):
        everyone += insight_store.sum_answers(db, months, where={"language": row["language"]},
                                              by=("month",))
    combined = {}
    for row in everyone:
        key = (row["stage"], row["month"], row["question"], row["answer"])
        combined[key] = combined.get(key, 0) + row["n"]
    assert combined == {
        (r["stage"], r["month"], r["question"], r["answer"]): r["n"] for r in summed}


def test_a_month_with_a_response_still_held_is_not_released_yet(app, db):
    """Another process may be moving a held response into responses while a trainer
    page publishes: the month waits until none of its responses is held, so its one
    release is decided on all of them."""
    add_sample(app, db, 400, month_start(TODAY, 3), LATELY)
    month = month_key(TODAY, 2)
    week = periods.weeks_of_months(month, month)[0]
    db.execute("INSERT INTO held_responses (id, week, sealed) VALUES ('held-1', ?, 'x')",
               [week])
    publish(db, app.config["SURVEYS"])
    released = {row["month"] for row in db.query("SELECT month FROM releases")}
    assert month not in released and month_key(TODAY, 3) in released
    db.execute("DELETE FROM held_responses")
    publish(db, app.config["SURVEYS"])
    assert month in {row["month"] for row in db.query("SELECT month FROM releases")}


def test_the_export_reads_back_each_rows_stored_values_exactly(db):
    odd = [("2026-W27", "12:Team, \"A\"", "Camden:", "burglary", "qr", "en", 1),
           ("2026-W27", "Zoë ✓ \x1f\t\n", "", "burglary", "sms", "pl", 12),
           ("2026-W28", "3", "4:5", "theft", "email", "ar", 3)]
    for week, team, borough, category, channel, language, version in odd:
        add_response(db, week=week, team=team, borough=borough, crime_category=category,
                     channel=channel, language=language, survey_version=version)
    rows = insight_store.iter_export_rows(db, "at-report", ("2026-W27", "2026-W28"))
    assert sorted(insight_store.export_key_values(key) for key, _, _ in rows) == sorted(odd)
