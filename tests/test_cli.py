import pytest

from feedback import accounts, store

COMMANDS = [["users"], ["users", "create"], ["users", "list"], ["users", "disable"],
            ["users", "unlock"],
            ["db"], ["db", "upgrade"], ["purge"], ["demo"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_text(runner, command):
    result = runner.invoke(args=[*command, "--help"])
    assert result.exit_code == 0
    summary = result.output.split("Options:")[0].split("\n", 2)[-1].strip()
    assert len(summary) > 10, result.output


def test_users_create_reads_the_password_twice_from_the_prompt(runner, db):
    result = runner.invoke(args=["users", "create", "New@Example.com", "--role", "officer",
                                 "--team", "CID", "--borough", "Hackney"],
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
    assert store.count_responses(db, {}) == 20
    assert browser.sign_in("officer@example.com", "demo-officer-password").status_code == 303
