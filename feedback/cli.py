"""flask commands: users, db, purge, demo. Run `flask --app app --help`."""

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from feedback import accounts, anonymise, audit, ratelimit, store
from feedback.web import now


def _db():
    try:
        return store.connect(current_app.config["DATABASE_PATH"], must_exist=True)
    except store.DatabaseFault as fault:
        message = str(fault)
        raise click.ClickException(message[:1].upper() + message[1:]) from None


def _read_password(from_stdin):
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


users = AppGroup("users", help="Create, list, disable and unlock staff accounts.")


@users.command("create", help="Create an account. The password is prompted for twice.")
@click.argument("email")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--team", default="", help="Team or unit (officers): letters, digits, spaces"
              " and - ' & . ( ), up to 60 characters.")
@click.option("--borough", default="", help="Borough (officers), as for --team.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, role, team, borough, password_stdin):
    try:  # before the password prompt, so nobody types it twice for nothing
        email = accounts.check_email(email)
        team, borough = accounts.check_name("Team", team), accounts.check_name("Borough", borough)
    except accounts.InvalidAccountDetail as error:
        raise click.ClickException(str(error)) from None
    db = _db()
    if store.fetch_user_by_email(db, email):
        raise click.ClickException(f"An account for {email} already exists")
    try:
        password_hash = accounts.hash_password(_read_password(password_stdin))
    except accounts.WeakPassword as error:
        raise click.ClickException(str(error)) from None
    store.create_user(db, email, password_hash, role, team, borough, now())
    click.echo(f"Created {role} {email}")


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


db_group = AppGroup("db", help="Database schema, integrity and backup commands.")


@db_group.command("upgrade", help="Apply any pending schema migrations.")
def upgrade():
    store.upgrade(_db())
    click.echo("Database is up to date")


@db_group.command("check", help="Check every page and index of the database (SQLite"
                  " integrity_check); exits with status 1 if it is damaged.")
def check():
    path = current_app.config["DATABASE_PATH"]
    problems = store.check_integrity(_db())
    if problems:
        for problem in problems[:20]:
            click.echo(problem, err=True)
        raise click.ClickException(
            f"The database file {path} is damaged; restore it from a backup, see README")
    click.echo(f"The database file {path} passed the integrity check")


@db_group.command("backup", help="Copy the database, while the service runs, into a new"
                  " file PATH (SQLite online backup); never overwrites a file.")
@click.argument("target", metavar="PATH", type=click.Path(dir_okay=False))
def backup(target):
    try:
        problems = store.backup(_db(), target)
    except FileExistsError:
        raise click.ClickException(f"{target} already exists; choose a new file name") from None
    except OSError as error:
        raise click.ClickException(f"Cannot write {target}: {error.strerror}") from None
    if problems:
        raise click.ClickException(f"The backup failed ({problems[0]}); {target} was removed")
    click.echo(f"Backed up to {target}; the copy passed the integrity check")


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
    counts["rate-limit counters"] = ratelimit.prune(db, moment.timestamp())
    counts["audit entries"] = audit.purge_audit(
        db, (moment - timedelta(days=config["RETENTION_AUDIT_DAYS"])).isoformat())
    click.echo(", ".join(f"{n} {name}" for name, n in counts.items()) + " deleted")


def register(app):
    from feedback import demo
    for command in (users, db_group, purge, demo.demo):
        app.cli.add_command(command)
