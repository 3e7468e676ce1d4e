"""Demo accounts and sample responses, for development only."""

import random
import secrets
from datetime import UTC, date, datetime, time, timedelta

from feedback import accounts, sample_data, store

SAMPLE_OFFICER = "sample-links@example.com"


def add_demo_account(db, email, password, role, team, borough, now):
    """The account, unless one with this email address exists already."""
    if store.fetch_user_by_email(db, email) is None:
        store.create_user(db, email, accounts.hash_password(password), role, team, borough,
                          now)


def add_sample_responses(db, surveys, count, link_days, now):
    """count responses over the last year, and for those of the last link_days the
    links behind them (plus links never opened or never finished), as the
    dashboard's funnel needs. Only into a database without responses: returns
    whether any were added."""
    if store.count_responses(db):
        return False
    officer_id = _sample_officer(db, now)
    rng = random.Random(2026)
    recent = now - timedelta(days=link_days)
    with db.atomic():
        for record in sample_data.responses(rng, surveys, count, (now - timedelta(days=365))
                                            .date(), now.date()):
            store.insert_response(db, record)
            created = datetime.combine(date.fromisocalendar(
                int(record["week"][:4]), int(record["week"][6:8]), 1), time(9), UTC)
            if created < recent or created > now:
                continue
            for used in (True, *([False] * rng.choice((0, 0, 1)))):
                link = sample_data.link_for(rng, record, officer_id, created)
                store.create_link(db, link)
                if used or rng.random() < 0.5:
                    store.mark_link_opened(db, link["id"])
                if used:
                    store.mark_link_used(db, link["id"])
    return True


def _sample_officer(db, now):
    """A disabled account that owns the sample links, so that the demo officer's
    own list starts empty."""
    user_id = store.create_user(db, SAMPLE_OFFICER,
                                accounts.hash_password(secrets.token_urlsafe(24)), "officer",
                                "", "", now)
    store.set_user_disabled(db, SAMPLE_OFFICER, True)
    return user_id
