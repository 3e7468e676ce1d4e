"""flask commands: users, teams, db, api, purge, demo. Run `flask --app app --help`."""

import sys
from contextlib import ExitStack, contextmanager

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from feedback.adapters.store import DatabaseFault
from feedback.domain import accounts
from feedback.domain.clock import now
from feedback.usecases import api_clients, housekeeping, second_factor, staff
from feedback.usecases.auditing import COMMAND_LINE
from feedback.web.db import database_label, open_db


@contextmanager
def _db():
    """The database for one command, closed after it; a fault opening it is a
    plain message, not a traceback."""
    with ExitStack() as stack:
        try:
            db = stack.enter_context(open_db(current_app.config))
        except DatabaseFault as fault:
            message = str(fault)
            raise click.ClickException(message[:1].upper() + message[1:]) from None
        yield db


@contextmanager
def _said_plainly(*problems):
    """A use case's refusal (one of problems) as a one-line message, not a traceback."""
    try:
        yield
    except problems as problem:
        raise click.ClickException(str(problem)) from None


def _read_password(from_stdin):
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


# Every command that changes an account is noted in the audit log, by "command line".
users = AppGroup("users", help="Create, list, disable, enable and unlock staff accounts.")


@users.command("create", help="Create an account. The password is prompted for twice.")
@click.argument("email")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--team", default="", help="Team or unit (officers): letters, digits, spaces"
              " and . , ' & ( ) / -, up to 60 characters. An existing team's name in any"
              " case and spacing is that team.")
@click.option("--new-team", is_flag=True, help="The team is a new one (no account has it).")
@click.option("--borough", default="", help="Borough (officers), as for --team.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, role, team, new_team, borough, password_stdin):
    with _db() as db:
        try:
            # Checked before the password prompt, so nobody types it twice for nothing.
            details = staff.new_account_details(db, email, team, borough, new_team)
            staff.create_account(db, details, role, _read_password(password_stdin), now(),
                                 COMMAND_LINE)
        except (accounts.InvalidAccountDetail, accounts.WeakPassword) as error:
            raise click.ClickException(str(error)) from None
        except staff.UnknownTeam as unknown:
            raise click.ClickException(
                f"No account is in a team called {unknown}: check `flask teams list`, or"
                " add --new-team") from None
        except staff.AccountExists as exists:
            raise click.ClickException(f"An account for {exists} already exists") from None
    click.echo(f"Created {role} {details['email']}")


@users.command("list", help="List every account with its role and status.")
def list_users():
    with _db() as db:
        users_found = staff.list_accounts(db)
    for user in users_found:
        status = "disabled" if user["disabled"] else "active"
        click.echo(f"{user['email']}\t{user['role']}\t{user['team']}\t{user['borough']}\t{status}")


@users.command("disable", help="Disable an account: it can no longer sign in.")
@click.argument("email")
def disable_user(email):
    with _db() as db, _known(email):
        staff.set_disabled_by_email(db, email, True, COMMAND_LINE, now())
    click.echo(f"Disabled {email.lower()}")


@users.command("enable", help="Enable a disabled account: it can sign in again.")
@click.argument("email")
def enable_user(email):
    with _db() as db, _known(email):
        staff.set_disabled_by_email(db, email, False, COMMAND_LINE, now())
    click.echo(f"Enabled {email.lower()}")


@users.command("reset-second-factor", help="Forget an account's authenticator app and"
               " recovery codes: the person sets up an app again at their next sign-in.")
@click.argument("email")
def reset_second_factor(email):
    with _db() as db, _known(email):
        had_one = second_factor.reset_by_email(db, email, COMMAND_LINE, now())
    click.echo(f"Second factor reset for {email.strip().lower()}" if had_one else
               f"{email.strip().lower()} had no second factor; it sets one up at its next"
               " sign-in")


@users.command("unlock", help="Unlock an account locked after failed sign-ins.")
@click.argument("email")
def unlock_user(email):
    with _db() as db, _known(email):
        staff.unlock_by_email(db, email, COMMAND_LINE, now())
    click.echo(f"Unlocked {email.lower()}")


teams = AppGroup("teams", help="List teams, and merge two that are the same.")


@teams.command("list", help="Every team an account has, with how many accounts.")
def list_teams():
    with _db() as db:
        for name, count in staff.team_names(db):
            click.echo(f"{name}\t{count}")


@teams.command("merge", help="Merge team MERGED into team KEPT: its accounts and open links"
               " move to KEPT; used and expired links keep their name (published figures"
               " never change).")
@click.argument("merged")
@click.argument("kept")
def merge_teams(merged, kept):
    with _db() as db:
        try:
            accounts_moved, links_moved = staff.merge_teams(db, merged, kept, COMMAND_LINE,
                                                            now())
        except staff.UnknownTeam as unknown:
            raise click.ClickException(f"No account is in a team called {unknown}") from None
    click.echo(f"Merged {merged} into {kept}: {accounts_moved} accounts and {links_moved}"
               " open links moved")


@contextmanager
def _known(email):
    try:
        yield
    except staff.NoSuchAccount:
        raise click.ClickException(f"No account for {email}") from None


db_group = AppGroup("db", help="Database schema, integrity and backup commands.")


@db_group.command("upgrade", help="Apply any pending schema migrations.")
def upgrade():
    with _db() as db:
        before, after = housekeeping.upgrade(db)
    where, newest = database_label(current_app.config), after[-1] if after else "none"
    if current_app.extensions.pop("database_created", False):  # once: by this start-up
        click.echo(f"Created a new database ({where}) with all {len(after)} migrations;"
                   f" the newest is {newest}")
    elif after != before:
        click.echo(f"Applied {len(after) - len(before)} migrations to {where}: "
                   + ", ".join(name for name in after if name not in before))
    else:
        click.echo(f"The database ({where}) is up to date: {len(after)} migrations,"
                   f" the newest {newest}")


@db_group.command("check", help="Check every page and index of the database (SQLite"
                  " integrity_check); exits with status 1 if it is damaged.")
def check():
    path = current_app.config["DATABASE_PATH"]
    with _db() as db, _said_plainly(housekeeping.FileOnly):
        problems = housekeeping.check_integrity(db)
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
        with _db() as db, _said_plainly(housekeeping.FileOnly):
            problems = housekeeping.backup(db, target)
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
    config = current_app.config
    retention = {
        "link_days": config["RETENTION_LINK_DAYS"],
        "response_days": config["RETENTION_RESPONSE_DAYS"],
        "audit_days": config["RETENTION_AUDIT_DAYS"],
        "session_hours": max(config["SESSION_ABSOLUTE_HOURS"],
                             config["SURVEY_SESSION_ABSOLUTE_HOURS"])}
    with _db() as db:
        counts = housekeeping.purge(db, retention, now())
    click.echo(", ".join(f"{n} {name}" for name, n in counts.items()) + " deleted")


# Each change to a client is noted in the audit log, by "command line".
api = AppGroup("api", help="Register the case systems that call /api/v1, and rotate or"
                           " revoke their keys.")
_DAYS = click.option("--days", type=click.IntRange(1, api_clients.MAX_KEY_DAYS),
                     default=api_clients.KEY_DAYS,
                     show_default=True, help="Days until the key expires.")


def _show_key(key):
    click.echo(key)
    click.echo("Keep this key now: it is shown only this once.", err=True)


@api.command("register", help="Register a client and print its first key (shown once).")
@click.argument("name")
@click.option("--scopes", default=",".join(api_clients.SCOPES), show_default=True,
              help="Comma-separated: what the client may do (create, send, status, cancel).")
@_DAYS
def register_client(name, scopes, days):
    with _db() as db, _said_plainly(api_clients.ClientProblem):
        _show_key(api_clients.register_client(
            db, name, [scope.strip() for scope in scopes.split(",") if scope.strip()], days,
            now()))


@api.command("rotate", help="Print a new key for the client; its older keys stop working.")
@click.argument("name")
@_DAYS
def rotate_key(name, days):
    with _db() as db, _said_plainly(api_clients.ClientProblem):
        _show_key(api_clients.rotate_key(db, name, days, now()))


@api.command("revoke", help="Stop the client and all its keys, for good.")
@click.argument("name")
def revoke_client(name):
    with _db() as db, _said_plainly(api_clients.ClientProblem):
        api_clients.revoke_client(db, name, now())
    click.echo(f"{name} revoked")


@api.command("list", help="List clients: scopes, each live key's prefix and expiry, state.")
def list_clients():
    with _db() as db:
        for client in api_clients.clients(db):
            key = f"mms_{client['prefix']}_…" if client["prefix"] else "no key"
            state = "revoked" if client["revoked"] else "active"
            click.echo(f"{client['name']}\t{client['scopes']}\t{key}"
                       f"\t{client['expires_at'] or '-'}\t{state}")


def register(app):
    from feedback.cli import demo
    for command in (users, teams, db_group, api, purge, demo.demo):
        app.cli.add_command(command)
