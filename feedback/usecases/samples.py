"""Demo accounts and sample responses, for development only."""

import random
import secrets
from datetime import UTC, date, datetime, time, timedelta

from feedback.adapters import store
from feedback.adapters.delivery import new_reference
from feedback.adapters.store import links as link_store
from feedback.domain import accounts, sample_data
from feedback.usecases import links

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
    store.set_disabled(db, user_id, True)
    return user_id


# The demo officer's own links, newest first: every state My links can show, and
# enough of them for a second page. (state, days ago, days the link lasts)
_DEMO_LINKS = [
    ("not_opened", 0, 28), ("opened", 0, 28), ("sms", 1, 28), ("completed", 1, 28),
    ("email", 2, 14), ("revoked", 3, 28), ("expired", 5, 3), ("email_failed", 6, 28),
    ("completed", 8, 28), ("not_opened", 9, 28), ("opened", 11, 28), ("expired", 14, 7),
    ("completed", 15, 28), ("sms", 17, 28), ("revoked", 19, 28), ("completed", 22, 28),
    ("expired", 26, 1), ("not_opened", 27, 28), ("completed", 29, 28), ("opened", 31, 28),
    ("expired", 33, 2), ("completed", 35, 28), ("sms", 38, 28), ("completed", 40, 28),
]
_DEMO_CHOICES = [("at_report", "burglary", "en"), ("during_investigation", "theft", "en"),
                 ("at_outcome", "assault", "pl"), ("at_report", "vehicle_crime", "ro")]


def add_demo_links(db, email, keys, now):
    """Links of every state for the demo officer (open, opened, completed, expired,
    cancelled, sent by text, sent by email, not delivered), so My links, its filters
    and paging show something at once. Only for an officer without links: returns
    whether any were added."""
    officer = store.fetch_user_by_email(db, email)
    if officer is None or link_store.fetch_link_page(db, officer["id"], now, {}, 1, 0)["total"]:
        return False
    with db.atomic():
        for number, (state, days_ago, lasts) in enumerate(_DEMO_LINKS):
            stage, category, language = _DEMO_CHOICES[number % len(_DEMO_CHOICES)]
            made = now - timedelta(days=days_ago, hours=number % 5, minutes=7 * number)
            link = links.create_link(db, officer, {
                "stage": stage, "crime_category": category, "team": officer["team"],
                "language": language, "expiry_days": lasts}, keys, made)
            if state in ("opened", "completed"):
                store.mark_link_opened(db, link["id"])
            if state == "completed":
                store.mark_link_used(db, link["id"])
            if state == "revoked":
                store.revoke_link(db, officer["id"], link["id"])
            if state in ("sms", "email", "email_failed"):
                channel = "sms" if state == "sms" else "email"
                reference = new_reference()
                store.reserve_send(db, reference, link["id"], officer["id"], channel, made,
                                   since=made.isoformat(), limit=1000)
                store.record_delivery(db, reference, link["id"], channel)
                store.set_delivery_status(db, link["id"], reference,
                                          "failed" if state == "email_failed" else "delivered")
    return True
