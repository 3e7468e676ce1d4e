"""Demo accounts and sample responses, for development only."""

import random
import secrets
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from feedback import accounts, anonymise, store
from feedback.categories import CATEGORIES
from feedback.surveys import response_record
from feedback.web import now

DEMO_ACCOUNTS = (
    # email, password, role, team, borough
    ("officer@example.com", "demo-officer-password", "officer", "Response Team 3", "Camden"),
    ("trainer@example.com", "demo-trainer-password", "trainer", "", ""),
)


@click.command("demo", help="Development only: create demo accounts and sample responses.")
@click.option("--responses", default=200, show_default=True,
              help="How many sample responses to add.")
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
    if store.count_responses(db, {}) == 0:
        _sample_responses(db, responses)
        click.echo(f"Added {responses} sample responses")


def _sample_responses(db, count):
    rng = random.Random(2026)
    surveys = list(current_app.config["SURVEYS"].values())
    with db.atomic():
        for _ in range(count):
            survey = rng.choice(surveys)
            answers = {q.id: rng.choice(q.choices)[0] for q in survey.questions if q.choices}
            attributes = {
                "team": rng.choice(["Response Team 1", "Response Team 3", "CID Camden"]),
                "borough": "Camden", "crime_category": rng.choice(CATEGORIES).code,
                "channel": rng.choice(["qr", "sms", "email"]), "language": "en",
            }
            week = anonymise.iso_week((now() - timedelta(days=rng.randrange(0, 120))).date())
            record = response_record(secrets.token_hex(16), survey, attributes, week,
                                     answers, {})
            store.insert_response(db, record)
