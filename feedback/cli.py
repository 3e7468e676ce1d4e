"""flask commands: users, db, purge, demo. Run `flask --app app --help`."""

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from feedback import accounts, anonymise, audit, store
from feedback.web import now


def _db():
    return store.connect(current_app.config["DATABASE_PATH"])


def _read_password(from_stdin):
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


users = AppGroup("users", help="Create, list, disable and unlock staff accounts.")


@users.command("create", help="Create an account. The password is prompted for twice.")
@click.argument("email")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--team", default="", help="Team or unit (officers).")
@click.option("--borough", default="", help="Borough (officers).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, role, team, borough, password_stdin):
    db = _db()
    if store.fetch_user_by_email(db, email):
        raise click.ClickException(f"An account for {email} already exists")
    try:
        password_hash = accounts.hash_password(_read_password(password_stdin))
    except accounts.WeakPassword as error:
        raise click.ClickException(str(error)) from None
    store.create_user(db, email, password_hash, role, team, borough, now())
    click.echo(f"Created {role} {email.lower()}")


@users.command("list", help="List every account with its role and status.")
def list_users():
    for user in store.fetch_users(_db()):
        status = "disabled" if user["disabled"] else "active"
        click.echo(f"{user['email']}\t{user['role']}\t{user['team']}\t{user['borough']}\t{status}")


@users.command("disable", help="Disable an account: it can no longer sign in.")
@click.argument("email")
def disable_user(email):
    if not store.set_user_disabled(_db(), email, True):
        raise click.ClickException(f"No account for {email}")
    click.echo(f"Disabled {email.lower()}")


@users.command("unlock", help="Unlock an account locked after failed sign-ins.")
@click.argument("email")
def unlock_user(email):
    db = _db()
    user = store.fetch_user_by_email(db, email)
    if user is None or not store.unlock_user(db, user["id"]):
        raise click.ClickException(f"No account for {email}")
    audit.record_audit(db, "account_unlocked", now(), subject=user["id"],
                       detail={"by": "command line"})
    click.echo(f"Unlocked {email.lower()}")


db_group = AppGroup("db", help="Database schema commands.")


@db_group.command("upgrade", help="Apply any pending schema migrations.")
def upgrade():
    store.upgrade(_db())
    click.echo("Database is up to date")


@click.command("purge", help="Delete links, responses, sessions and audit entries past their"
               " retention period.")
@with_appcontext
def purge():
    config, moment, db = current_app.config, now(), _db()
    longest_session = max(config["SESSION_ABSOLUTE_HOURS"], config["SURVEY_SESSION_ABSOLUTE_HOURS"])
    counts = store.purge(
        db,
        links_created_before=(moment - timedelta(days=config["RETENTION_LINK_DAYS"])).isoformat(),
        responses_before_week=anonymise.iso_week(
            (moment - timedelta(days=config["RETENTION_RESPONSE_DAYS"])).date()),
        sessions_seen_before=(moment - timedelta(hours=longest_session)).isoformat())
    counts["audit entries"] = audit.purge_audit(
        db, (moment - timedelta(days=config["RETENTION_AUDIT_DAYS"])).isoformat())
    click.echo(", ".join(f"{n} {name}" for name, n in counts.items()) + " deleted")


def register(app):
    from feedback import demo
    for command in (users, db_group, purge, demo.demo):
        app.cli.add_command(command)
