import pytest

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.domain import accounts, clock
from feedback.domain.links import link_status
from tests import team_names
from tests.stored import every_row

COMMANDS = [["users"], ["users", "create"], ["users", "list"], ["users", "disable"],
            ["users", "enable"], ["users", "unlock"],
            ["db"], ["db", "upgrade"], ["db", "check"], ["db", "backup"], ["purge"],
            ["demo"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_text(runner, command):
    result = runner.invoke(args=[*command, "--help"])
    assert result.exit_code == 0
    summary = result.output.split("Options:")[0].split("\n", 2)[-1].strip()
    assert len(summary) > 10, result.output


def test_users_create_reads_the_password_twice_from_the_prompt(runner, db):
    result = runner.invoke(args=["users", "create", "New@Example.com", "--role", "officer",
                                 "--team", "CID", "--new-team", "--borough", "Hackney"],
                           input="a long enough password\na long enough password\n")
    assert result.exit_code == 0, result.output
    user = store.fetch_user_by_email(db, "new@example.com")
    assert (user["role"], user["team"], user["borough"]) == ("officer", "CID", "Hackney")
    assert user["password_hash"].startswith("$argon2id$")
    assert accounts.verify_password(user["password_hash"], "a long enough password")


def test_users_create_can_read_the_password_from_stdin(runner, db):
    result = runner.invoke(args=["users", "create", "t@example.com", "--role", "trainer",
                                 "--password-stdin"], input="another long password\n")
    assert result.exit_code == 0, result.output
    assert store.fetch_user_by_email(db, "t@example.com")["role"] == "trainer"


def test_a_short_password_is_refused(runner, db):
    result = runner.invoke(args=["users", "create", "s@example.com", "--role", "officer",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code == 1
    assert "Password must be 12 characters or more" in result.output
    assert store.fetch_user_by_email(db, "s@example.com") is None


def test_a_common_password_is_refused(runner, db):
    result = runner.invoke(args=["users", "create", "s@example.com", "--role", "officer",
                                 "--team", "Team A", "--new-team", "--borough", "Camden",
                                 "--password-stdin"], input="password123456\n")
    assert result.exit_code == 1
    assert "Choose a password that is harder to guess" in result.output
    assert store.fetch_user_by_email(db, "s@example.com") is None


def test_a_duplicate_account_is_refused(runner, officer):
    result = runner.invoke(args=["users", "create", officer["email"], "--role", "officer",
                                 "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_an_unknown_role_is_refused(runner):
    result = runner.invoke(args=["users", "create", "x@example.com", "--role", "boss"])
    assert result.exit_code == 2


def test_users_list_and_disable(runner, officer, db):
    assert officer["email"] in runner.invoke(args=["users", "list"]).output
    result = runner.invoke(args=["users", "disable", officer["email"]])
    assert result.exit_code == 0
    assert store.fetch_user(db, officer["id"])["disabled"] == 1
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "nobody@example.com"]).exit_code == 1


def test_demo_data_is_refused_outside_development(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "only created when APP_ENV=development" in result.output
    assert store.fetch_users(db) == []


def test_demo_creates_accounts_that_can_sign_in(app, runner, db, browser):
    app.config["APP_ENV"] = "development"
    result = runner.invoke(args=["demo", "--responses", "20"])
    assert result.exit_code == 0, result.output
    assert store.count_responses(db) == 20
    assert browser.sign_in("officer@example.com", "demo-officer-password").status_code == 303
    assert type(browser)(browser.client.application.test_client()).sign_in(
        "admin@example.com", "demo-admin-password").status_code == 303
    # The demo officer has links in every state, on more than one page of My links,
    # each with a typed code, and ones sent by text and by email.
    officer = store.fetch_user_by_email(db, "officer@example.com")
    links = list(db.query("SELECT * FROM links WHERE officer_id = ?", [officer["id"]]))
    assert {link_status(link, clock.now()) for link in links} == {
        "not_opened", "opened", "completed", "expired", "revoked"}
    assert {(link["channel"], link["delivery_status"]) for link in links} >= {
        ("sms", "delivered"), ("email", "delivered"), ("email", "failed"), ("qr", None)}
    assert all(link["code_digest"] for link in links)
    page = browser.get("/officer/links").get_data(as_text=True)
    assert "Next page" in page or "page 1 of 2" in page.lower()
    # Run again: nothing is added twice.
    assert runner.invoke(args=["demo", "--responses", "20"]).exit_code == 0
    assert len(list(db.query("SELECT id FROM links WHERE officer_id = ?",
                             [officer["id"]]))) == len(links)


def create(runner, email="new@example.com", team="CID", borough="Hackney", new_team=True):
    return runner.invoke(args=["users", "create", email, "--role", "officer", "--team", team,
                               *(["--new-team"] if new_team else []),
                               "--borough", borough, "--password-stdin"],
                         input="a long enough password\n")


def test_a_team_is_picked_ignoring_case_and_spaces_or_added_on_purpose(runner, db):
    assert create(runner, "a@example.com", "Camden Response Team 1", "Camden").exit_code == 0
    # The same team typed differently is that team, as it is spelled already.
    made = create(runner, "b@example.com", "camden  response team 1 ", "camden",
                  new_team=False)
    assert made.exit_code == 0, made.output
    assert [(u["team"], u["borough"]) for u in (store.fetch_user_by_email(db, e) for e in (
        "a@example.com", "b@example.com"))] == [("Camden Response Team 1", "Camden")] * 2
    # A team nobody has needs --new-team.
    refused = create(runner, "c@example.com", "Camden Response Team 9", new_team=False)
    assert refused.exit_code == 1
    assert "No account is in a team called Camden Response Team 9" in refused.output
    assert store.fetch_user_by_email(db, "c@example.com") is None
    # One rule for names: what the admin pages take, the command takes.
    assert create(runner, "d@example.com", "Team A/B, North").exit_code == 0
    listed = runner.invoke(args=["teams", "list"]).output.splitlines()
    assert listed == ["Camden Response Team 1\t2", "Team A/B, North\t1"]


def test_two_teams_that_are_the_same_are_merged(runner, db, app, make_user):
    from tests.conftest import store_link
    kept = make_user("kept@example.com", team="Camden Response Team 1")
    merged = make_user("merged@example.com", team="Camden Resp Team 1")
    open_link, _ = store_link(app, db, merged["id"], team="Camden Resp Team 1")
    used_link, _ = store_link(app, db, merged["id"], team="Camden Resp Team 1")
    db.execute("UPDATE links SET used = 1 WHERE id = ?", [used_link["id"]])
    result = runner.invoke(args=["teams", "merge", "camden resp team 1",
                                 "Camden Response Team 1"])
    assert result.exit_code == 0, result.output
    assert "1 accounts and 1 open links moved" in result.output
    assert store.fetch_user(db, merged["id"])["team"] == "Camden Response Team 1"
    assert store.fetch_user(db, kept["id"])["team"] == "Camden Response Team 1"
    assert store.fetch_link(db, open_link["id"])["team"] == "Camden Response Team 1"
    # A used link was counted under its name already: it keeps it.
    assert store.fetch_link(db, used_link["id"])["team"] == "Camden Resp Team 1"
    [entry] = audit.fetch_audit(db, {"action": "teams_merged"}, 10, 0)
    assert entry["detail"] == {"merged": "Camden Resp Team 1", "into": "Camden Response Team 1",
                               "accounts": 1, "links": 1, "by": "command line"}
    unknown = runner.invoke(args=["teams", "merge", "Nobody", "Camden Response Team 1"])
    assert unknown.exit_code == 1 and "No account is in a team called Nobody" in unknown.output


@pytest.mark.parametrize("email, reason", [
    ("not-an-email", "must have an @-sign"),
    ("name@example", "It should have a period"),
    ("name@@example.com", "invalid characters: '@'"),
    ("name@example.test", "special-use or reserved name"),
    ("zoë@example.com", "Internationalized characters before the @-sign are not supported"),
    ("a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com", "too long"),
])
def test_users_create_refuses_an_email_address_in_the_wrong_format(runner, db, email, reason):
    result = create(runner, email=email)
    assert result.exit_code == 1
    assert "Enter an email address in the correct format, like name@example.police.uk" in (
        result.output)
    assert reason in result.output
    assert store.fetch_users(db) == []


@pytest.mark.parametrize("option", ["team", "borough"])
@pytest.mark.parametrize("name, message", team_names.REFUSED)
def test_users_create_refuses_a_team_or_borough_that_is_not_plain_text(runner, db, option,
                                                                      name, message):
    result = create(runner, **{option: name})
    assert result.exit_code == 1
    assert f"Error: {option.title()} " in result.output and message in result.output
    assert store.fetch_users(db) == []


@pytest.mark.parametrize("team, borough", team_names.ACCEPTED)
def test_users_create_accepts_plain_team_and_borough_names(runner, db, team, borough):
    result = create(runner, team=f"  {team} ", borough=borough)
    assert result.exit_code == 0, result.output
    user = store.fetch_user_by_email(db, "new@example.com")
    assert (user["team"], user["borough"]) == (team, borough)


def logged(db):
    """The audit entries, oldest first: (action, actor, subject, detail, user_id)."""
    return [(e["action"], e["actor"], e["subject"], e["detail"], e["user_id"])
            for e in reversed(audit.fetch_audit(db, {}, 100, 0))]


BY_COMMAND_LINE = {"by": "command line"}


def test_users_create_is_audited_without_the_password(runner, db):
    result = create(runner)
    assert result.exit_code == 0, result.output
    user = store.fetch_user_by_email(db, "new@example.com")
    assert logged(db) == [("account_created", "command line", str(user["id"]),
                           {"role": "officer", **BY_COMMAND_LINE}, None)]
    assert "a long enough password" not in every_row(db)


def test_users_disable_and_enable_are_audited(runner, officer, db):
    assert runner.invoke(args=["users", "disable", officer["email"]]).exit_code == 0
    result = runner.invoke(args=["users", "enable", "Officer@Example.com"])
    assert result.exit_code == 0, result.output
    assert "Enabled officer@example.com" in result.output
    assert store.fetch_user(db, officer["id"])["disabled"] == 0
    subject = str(officer["id"])
    assert logged(db) == [
        ("account_disabled", "command line", subject, BY_COMMAND_LINE, None),
        ("account_enabled", "command line", subject, BY_COMMAND_LINE, None)]


def test_users_unlock_is_audited(runner, officer, db):
    db.execute("UPDATE users SET failed_logins = 10, locked_until = '2999-01-01T00:00:00+00:00'"
               " WHERE id = ?", [officer["id"]])
    assert runner.invoke(args=["users", "unlock", officer["email"]]).exit_code == 0
    assert logged(db) == [("account_unlocked", "command line", str(officer["id"]),
                           BY_COMMAND_LINE, None)]


@pytest.mark.parametrize("command", ["disable", "enable", "unlock"])
def test_a_command_for_no_account_says_so_and_logs_nothing(runner, db, command):
    result = runner.invoke(args=["users", command, "nobody@example.com"])
    assert result.exit_code == 1
    assert "No account for nobody@example.com" in result.output
    assert logged(db) == []


class Refused(Exception):
    pass


@pytest.mark.parametrize("args", [
    ["users", "create", "new@example.com", "--role", "officer", "--password-stdin"],
    ["users", "disable", "officer@example.com"],
])
def test_a_change_whose_entry_cannot_be_written_is_not_made(runner, officer, db, monkeypatch,
                                                            args):
    """The entry is written in the change's own transaction: no change goes unlogged."""
    def refuse(*_args, **_kwargs):
        raise Refused()
    monkeypatch.setattr(audit, "record_audit", refuse)
    result = runner.invoke(args=args, input="a long enough password\n")
    assert isinstance(result.exception, Refused)
    assert store.fetch_user_by_email(db, "new@example.com") is None
    assert store.fetch_user(db, officer["id"])["disabled"] == 0
