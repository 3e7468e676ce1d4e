"""Sample responses for trainer tests, stored as the service stores them."""

import random
from datetime import date

from feedback import audit, sample_data, store

SECRET = "Zebedee Quartermaine"  # a detail redaction missed, distinctive enough to scan for
Q3_2026 = (date(2026, 6, 29), date(2026, 9, 27))  # the weeks whose Thursdays are in Q3


def add_sample(app, db, count, first_day, last_day, seed=1):
    rng = random.Random(seed)
    records = list(sample_data.responses(rng, app.config["SURVEYS"], count, first_day, last_day))
    with db.atomic():
        for record in records:
            store.insert_response(db, record)
    return records


def add_response(db, **overrides):
    record = {"id": overrides.pop("id", f"{random.getrandbits(128):032x}"),
              "survey_id": "at-report", "survey_version": 1, "stage": "at_report",
              "team": "Response Team 1", "borough": "Camden", "crime_category": "burglary",
              "channel": "qr", "language": "en", "week": "2026-W40",
              "answers": {"overall": "very_satisfied"}, "free_text": {}, **overrides}
    store.insert_response(db, record)
    return record


def downloads(db):
    """Every download recorded in the audit log, oldest first: [{actor, detail}]."""
    return [{"actor": entry["actor"], "detail": entry["detail"]}
            for entry in reversed(audit.fetch_audit(db, {"action": "export"}, 1000, 0))]
