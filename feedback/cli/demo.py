"""Demo accounts and sample responses, for development only."""

import click
from flask import current_app
from flask.cli import with_appcontext

from feedback.domain.clock import now
from feedback.usecases import samples
from feedback.web import secret_keys
from feedback.web.db import open_db

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
    config = current_app.config
    if config["APP_ENV"] != "development":
        raise click.ClickException("Demo data is only created when APP_ENV=development")
    with open_db(config) as db:
        for email, password, role, team, borough in DEMO_ACCOUNTS:
            samples.add_demo_account(db, email, password, role, team, borough, now())
            click.echo(f"Demo {role}: {email} / {password}")
        if samples.add_sample_responses(db, config["SURVEYS"], responses,
                                        config["RETENTION_LINK_DAYS"], now()):
            click.echo(f"Added {responses} sample responses")
        officer = DEMO_ACCOUNTS[0][0]
        if samples.add_demo_links(db, officer, secret_keys(), now()):
            click.echo(f"Added links in every state for {officer}")
