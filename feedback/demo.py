"""Demo accounts and sample responses, for development only."""

import random
import secrets
from datetime import UTC, date, datetime, time, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from feedback import accounts, sample_data, store
from feedback.web import now

DEMO_ACCOUNTS = (
    # email, password, role, team, borough
    ("officer@example.com", "demo-officer-password", "officer", "Response Team 3", "Camden"),
    ("trainer@example.com", "demo-trainer-password", "trainer", "", ""),
    ("admin@example.com", "demo-admin-password", "admin", "", ""),
)


@click.command("demo", help="Development only: create demo accounts and sample responses.")
@click.option("--responses", default=3000, show_default=True,
              help="How many sample responses to add, over the last 12 months.")
@with_appcontext
def demo(responses):
    if current_app.config["APP_ENV"] != "development":
        raise click.ClickException("Demo data is only created when APP_ENV=development")
    db = store.connect(current_app.config["DATABASE_PATH"])
    for email, password, role, team, borough in DEMO_ACCOUNTS:
        if store.fetch_user_by_email(db, email) is None:
            store.create_user(db, email, accounts.hash_password(password), role, team,
                              borough, now())
        click.echo(f"Demo {role}: {email} / {password}")
    if store.count_responses(db) == 0:
        _sample_responses(db, responses, _sample_officer(db))
        click.echo(f"Added {responses} sample responses")


def _sample_officer(db):
    """A disabled account that owns the sample links, so that the demo officer's
    own list starts empty."""
    user_id = store.create_user(db, "sample-links@example.com",
                                accounts.hash_password(secrets.token_urlsafe(24)), "officer",
                                "", "", now())
    store.set_user_disabled(db, "sample-links@example.com", True)
    return user_id


def _sample_responses(db, count, officer_id):
    """Responses over the last year and, for the recent ones, the links behind them
    (plus links never opened or never finished), as the dashboard's funnel needs."""
    rng = random.Random(2026)
    surveys = current_app.config["SURVEYS"]
    today = now()
    recent = today - timedelta(days=current_app.config["RETENTION_LINK_DAYS"])
    with db.atomic():
        for record in sample_data.responses(rng, surveys, count, (today - timedelta(days=365))
                                            .date(), today.date()):
            store.insert_response(db, record)
            created = datetime.combine(date.fromisocalendar(
                int(record["week"][:4]), int(record["week"][6:8]), 1), time(9), UTC)
            if created < recent or created > today:
                continue
            for used in (True, *([False] * rng.choice((0, 0, 1)))):
                link = sample_data.link_for(rng, record, officer_id, created)
                store.create_link(db, link)
                if used or rng.random() < 0.5:
                    store.mark_link_opened(db, link["id"])
                if used:
                    store.mark_link_used(db, link["id"])
