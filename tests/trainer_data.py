"""Sample responses for trainer tests, stored as the service stores them."""

import random
import re

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.domain import sample_data
from feedback.usecases import reporting
from tests.dates import LAST_QUARTER, TODAY, a_week_in_each_month, iso_week, weeks_later

SECRET = "Zebedee Quartermaine"  # a detail redaction missed, distinctive enough to scan for


def add_sample(app, db, count, first_day, last_day, seed=1):
    rng = random.Random(seed)
    records = list(sample_data.responses(rng, app.config["SURVEYS"], count, first_day, last_day))
    with db.atomic():
        for record in records:
            store.insert_response(db, record)
    return records


def publish(db, surveys, today=TODAY, k=10):
    """Release every published month, as the trainer pages do before reading."""
    reporting.publish(db, surveys, today, {"k": k, "l": 2, "max_withheld": 0.05,
                                           "response_days": 730})


def add_response(db, **overrides):
    record = {"id": overrides.pop("id", f"{random.getrandbits(128):032x}"),
              "survey_id": "at-report", "survey_version": 1, "stage": "at_report",
              "team": "Response Team 1", "borough": "Camden", "crime_category": "burglary",
              "channel": "qr", "language": "en", "week": iso_week(TODAY),
              "answers": {"overall": "very_satisfied"}, "free_text": {}, **overrides}
    store.insert_response(db, record)
    return record


def downloads(db):
    """Every download recorded in the audit log, oldest first: [{actor, detail}]."""
    return [{"actor": entry["actor"], "detail": entry["detail"]}
            for entry in reversed(audit.fetch_audit(db, {"action": "export"}, 1000, 0))]


def add_comments(db):
    """120 responses in LAST_QUARTER, 40 a month with each rating at least 13 times a
    month (so a filter on satisfaction leaves no small group), half of them with a
    comment; and a comment naming SECRET in a newer week than all of them."""
    weeks = a_week_in_each_month(LAST_QUARTER)
    made = []
    for number in range(120):
        week = weeks[number % 3]
        rating = ("very_satisfied", "neither", "very_dissatisfied")[number // 3 % 3]
        text = {"comments": f"Comment {number:03d} in {week}"} if number % 2 == 0 else {}
        made.append(add_response(db, week=week, answers={"overall": rating}, free_text=text))
    # The week after the last month's: still wholly inside that month (a_week_in's
    # week ends by the 20th, so this one by the 27th).
    target = add_response(db, week=weeks_later(weeks[-1]), answers={"overall": "neither"},
                          free_text={"comments": f"The officer {SECRET} was kind"})
    return made, target


def without_tokens(page):
    """A page with its CSRF tokens blanked: each response masks them afresh
    (feedback/web/csrf_mask.py), and nothing else on a trainer's page may differ."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', page)
