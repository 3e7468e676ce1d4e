"""Administrators manage accounts in the browser: invitations with a one-time
set-password link, disable, unlock, role and team; all audit-logged, CSRF-
protected, no change on GET, admins only."""

import html
import re
from datetime import timedelta

import pytest

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.domain import clock
from tests import team_names
from tests.conftest import PASSWORD, Browser
from tests.stored import every_row

NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.com", role="admin", team="", borough="")


@pytest.fixture
def signed_in_admin(browser, admin):
    assert browser.sign_in(admin["email"]).status_code == 303
    return browser


def entries(db, action):
    return audit.fetch_audit(db, {"action": action}, 100, 0)


def invite(browser, email="new.officer@example.com", **fields):
    data = {"email": email, "role": "officer", "team": "Response Team 2", "borough": "Hackney",
            "new_team": "y", **fields}
    return browser.post_form("/admin/users/new", data)


def invitation_path(response):
    match = re.search(r"https://feedback\.example\.test(/invitation/[A-Za-z0-9_-]+)",
                      response.get_data(as_text=True))
    assert match, "no invitation link on the page"
    return match.group(1)


def set_password(app, path, password=NEW_PASSWORD, confirm=None):
    return Browser(app.test_client()).post_form(
        path, {"password": password, "confirm": confirm or password})


def test_an_admin_lands_on_the_accounts_page(browser, admin, officer):
    assert browser.sign_in(admin["email"]).headers["Location"] == "/admin/users"
    page = browser.get("/admin/users").get_data(as_text=True)
    assert officer["email"] in page and admin["email"] in page


@pytest.mark.parametrize("role", ["officer", "trainer"])
@pytest.mark.parametrize("url", ["/admin/users", "/admin/users/new", "/admin/audit",
                                 "/admin/users/1"])
def test_only_admins_see_the_admin_pages(browser, make_user, role, url):
    user = make_user(f"{role}@example.com", role=role)
    browser.sign_in(user["email"])
    assert browser.client.get(url).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.headers["Location"] == "/sign-in?next=/admin/users"


@pytest.mark.parametrize("action", ["role", "team", "disable", "enable", "unlock", "invitation"])
def test_nothing_changes_on_get(signed_in_admin, officer, action):
    assert signed_in_admin.client.get(f"/admin/users/{officer['id']}/{action}").status_code == 405


def test_a_change_without_the_csrf_token_is_refused_and_changes_nothing(
        signed_in_admin, officer, db):
    response = signed_in_admin.client.post(f"/admin/users/{officer['id']}/disable")
    assert response.status_code == 400
    assert store.fetch_user(db, officer["id"])["disabled"] == 0
    assert entries(db, "account_disabled") == []


def test_an_invitation_lets_the_person_set_a_password_once(app, signed_in_admin, admin, db):
    response = invite(signed_in_admin)
    assert response.status_code == 200
    path = invitation_path(response)
    token = path.rsplit("/", 1)[1]
    user = store.fetch_user_by_email(db, "new.officer@example.com")
    assert (user["role"], user["team"], user["borough"]) == ("officer", "Response Team 2",
                                                             "Hackney")
    # Only a hash of the token is kept, and the account cannot sign in yet.
    dump = every_row(db)
    assert token not in dump
    assert Browser(app.test_client()).sign_in(user["email"], "").status_code == 400
    assert Browser(app.test_client()).sign_in(user["email"], PASSWORD).status_code == 400

    page = Browser(app.test_client()).get(path).get_data(as_text=True)
    assert "Set your password" in page and user["email"] in page
    assert set_password(app, path).status_code == 200
    assert Browser(app.test_client()).sign_in(user["email"], NEW_PASSWORD).status_code == 303
    # Once only.
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "does not work" in again.get_data(as_text=True)
    (invited,) = entries(db, "account_invited")
    assert (invited["user_id"], invited["subject"]) == (admin["id"], str(user["id"]))
    (used,) = entries(db, "invitation_used")
    assert used["user_id"] == user["id"]


def test_the_set_password_page_explains_its_mistakes(app, signed_in_admin):
    path = invitation_path(invite(signed_in_admin))
    short = set_password(app, path, "short")
    assert short.status_code == 400
    assert "Your password must be 12 characters or more" in short.get_data(as_text=True)
    different = set_password(app, path, NEW_PASSWORD, "another long password")
    assert "Enter the same password twice" in different.get_data(as_text=True)
    # Common and guessable ones (NCSC), the person's own address and the service's
    # words among them, with a plain message.
    for guessable in ("password123456", "qwertyuiop123", "new.officer2026",
                      "police12345678", "Metropolitan1"):
        weak = set_password(app, path, guessable, guessable)
        assert weak.status_code == 400, guessable
        assert "Choose a password that is harder to guess" in weak.get_data(as_text=True)
    assert set_password(app, path).status_code == 200  # still usable after mistakes


def test_an_expired_invitation_does_not_work(app, signed_in_admin, db):
    path = invitation_path(invite(signed_in_admin))
    db.execute("UPDATE invitations SET expires_at = ?",
               [(clock.now() - timedelta(minutes=1)).isoformat()])
    assert app.test_client().get(path).status_code == 404


def test_a_new_invitation_replaces_the_old_one(app, signed_in_admin, db):
    first = invitation_path(invite(signed_in_admin))
    user = store.fetch_user_by_email(db, "new.officer@example.com")
    second = invitation_path(signed_in_admin.post_form(
        f"/admin/users/{user['id']}", {}, action=f"/admin/users/{user['id']}/invitation"))
    assert first != second
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200


@pytest.mark.parametrize(("fields", "message"), [
    ({"email": "not an email"}, "Enter an email address in the correct format"),
    ({"email": ""}, "Enter the person&#39;s email address"),
    ({"role": "boss"}, "Select a role"),
    ({"team": "<script>alert(1)</script>"}, "can only contain the letters A to Z"),
    ({"team": "T" * 61}, "Team must be 60 characters or fewer"),
    ({"borough": "Camden\x00"}, "can only contain the letters A to Z"),
])
def test_a_bad_invitation_is_refused_with_a_clear_message(signed_in_admin, db, fields, message):
    response = invite(signed_in_admin, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(store.fetch_users(db)) == 1  # the admin only


def test_an_existing_email_is_refused(signed_in_admin, officer):
    response = invite(signed_in_admin, email=officer["email"].upper())
    assert response.status_code == 400
    assert "An account with this email address already exists" in response.get_data(
        as_text=True)


def test_disabling_ends_the_persons_sessions_and_enabling_lets_them_back(
        app, signed_in_admin, officer, db):
    other = Browser(app.test_client())
    other.sign_in(officer["email"])
    page = f"/admin/users/{officer['id']}"
    response = signed_in_admin.post_form(page, {}, action=page + "/disable", status=303)
    assert "Account disabled" in signed_in_admin.get(response.headers["Location"]).get_data(
        as_text=True)
    assert other.client.get("/officer/links").status_code == 302
    assert Browser(app.test_client()).sign_in(officer["email"]).status_code == 400
    signed_in_admin.post_form(page, {}, action=page + "/enable", status=303)
    assert Browser(app.test_client()).sign_in(officer["email"]).status_code == 303
    assert [e["action"] for e in audit.fetch_audit(db, {"user_id": 1}, 10, 0)
            if e["action"].startswith("account_")] == ["account_enabled", "account_disabled"]


def test_an_admin_unlocks_a_locked_account(app, signed_in_admin, officer, db):
    db.execute("UPDATE users SET failed_logins = 10, locked_until = '2999-01-01T00:00:00+00:00'"
               " WHERE id = ?", [officer["id"]])
    page = f"/admin/users/{officer['id']}"
    assert "Locked after failed sign-ins" in signed_in_admin.get(page).get_data(as_text=True)
    signed_in_admin.post_form(page, {}, action=page + "/unlock", status=303)
    assert store.fetch_user(db, officer["id"])["locked_until"] is None
    assert Browser(app.test_client()).sign_in(officer["email"]).status_code == 303
    (entry,) = entries(db, "account_unlocked")
    assert entry["subject"] == str(officer["id"]) and entry["user_id"] == 1


def test_changing_role_and_team_is_saved_and_logged(signed_in_admin, officer, db):
    page = f"/admin/users/{officer['id']}"
    signed_in_admin.post_form(page, {"role": "trainer"}, action=page + "/role", status=303)
    signed_in_admin.post_form(page, {"team": "CID", "new_team": "y", "borough": "Islington"},
                              action=page + "/team", status=303)
    user = store.fetch_user(db, officer["id"])
    assert (user["role"], user["team"], user["borough"]) == ("trainer", "CID", "Islington")
    (role,) = entries(db, "role_changed")
    assert role["detail"] == {"from": "officer", "to": "trainer"}
    (team,) = entries(db, "team_changed")
    assert team["detail"] == {"from": ["Response Team 1", "Camden"], "to": ["CID", "Islington"]}


@pytest.mark.parametrize("field", ["team", "borough"])
@pytest.mark.parametrize("name, message", team_names.REFUSED)
def test_a_team_or_borough_that_is_not_plain_text_is_refused_and_nothing_changes(
        signed_in_admin, officer, db, field, name, message):
    page = f"/admin/users/{officer['id']}"
    response = signed_in_admin.post_form(
        page, {"team": officer["team"], "borough": officer["borough"], "new_team": "y",
               field: name}, action=page + "/team", status=400)
    assert message in html.unescape(response.get_data(as_text=True))
    user = store.fetch_user(db, officer["id"])
    assert (user["team"], user["borough"]) == (officer["team"], officer["borough"])


@pytest.mark.parametrize("team, borough", team_names.ACCEPTED)
def test_a_plain_team_and_borough_are_taken_as_typed(signed_in_admin, officer, db, team,
                                                     borough):
    page = f"/admin/users/{officer['id']}"
    signed_in_admin.post_form(page, {"team": f"  {team} ", "borough": borough,
                                     "new_team": "y"}, action=page + "/team", status=303)
    user = store.fetch_user(db, officer["id"])
    assert (user["team"], user["borough"]) == (team, borough)


def test_an_admin_cannot_disable_or_demote_themselves(signed_in_admin, admin, db):
    page = f"/admin/users/{admin['id']}"
    text = signed_in_admin.get(page).get_data(as_text=True)
    assert "Disable the account" not in text and "Save the role" not in text
    signed_in_admin.post_form(page, {"role": "officer"}, action=page + "/role", status=400)
    signed_in_admin.post_form(page, {}, action=page + "/disable", status=400)
    user = store.fetch_user(db, admin["id"])
    assert (user["role"], user["disabled"]) == ("admin", 0)


def test_an_unknown_account_is_not_found(signed_in_admin):
    assert signed_in_admin.client.get("/admin/users/999").status_code == 404


def test_log_lines_never_carry_invitation_tokens():
    from feedback.web import logsafety
    line = logsafety.redact('- - - [28/Nov/2026] "GET /invitation/Rbupz6TfXxI2eik-BjHX_w HTTP/1.1"')
    assert line == '- - - [28/Nov/2026] "GET /invitation/[token] HTTP/1.1"'


def test_an_invitation_posted_without_its_fields_is_a_400(signed_in_admin, db):
    response = signed_in_admin.post_form("/admin/users/new", {}, status=400)
    assert "Enter" in response.get_data(as_text=True)
    assert len(list(db.query("SELECT id FROM users"))) == 1  # the admin only
    # A trainer needs no team: without those fields at all, the invitation is made.
    signed_in_admin.post_form("/admin/users/new", {"email": "trainer.two@example.com",
                                                   "role": "trainer"}, status=200)
    [made] = db.query("SELECT team, borough FROM users WHERE email = 'trainer.two@example.com'")
    assert made == {"team": "", "borough": ""}


def test_a_team_change_posted_without_its_fields_is_no_500(signed_in_admin, officer, db):
    # Fields left out say what empty ones say, "no team, no borough" (it was a 500).
    page = f"/admin/users/{officer['id']}"
    signed_in_admin.post_form(page, {}, action=page + "/team", status=303)
    user = store.fetch_user(db, officer["id"])
    assert (user["team"], user["borough"]) == ("", "")


@pytest.mark.parametrize("page", ["99999999999999999999", "0", "-1", "100001"])
def test_an_audit_page_number_no_log_could_have_is_a_400(signed_in_admin, page):
    response = signed_in_admin.client.get(f"/admin/audit?page={page}")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_an_admins_own_page_says_no_team_not_none(signed_in_admin, admin):
    page = signed_in_admin.client.get(f"/admin/users/{admin['id']}").get_data(as_text=True)
    assert "<dd>No team</dd>" in page and "<dd>No borough</dd>" in page
    assert "None" not in page


def test_an_admin_picks_a_team_or_adds_one_on_purpose(signed_in_admin, officer, db):
    """Teams were typed freely: "camden response team 1" became a second team beside
    "Camden Response Team 1", offered to every officer and split in the figures."""
    page = f"/admin/users/{officer['id']}"
    form = signed_in_admin.get(page).get_data(as_text=True)
    assert '<datalist id="team-names"><option value="Response Team 1">' in form
    # The same name in other case and spacing is the existing team.
    invite(signed_in_admin, "same.team@example.com", team="response  team 1",
           borough="camden", new_team="")
    same = store.fetch_user_by_email(db, "same.team@example.com")
    assert (same["team"], same["borough"]) == ("Response Team 1", "Camden")
    # A name no team has is refused unless it is meant as a new team.
    refused = signed_in_admin.post_form(page, {"team": "Camden Response Team 9",
                                               "borough": "Camden"},
                                        action=page + "/team", status=400)
    assert ("No account is in a team called Camden Response Team 9: choose one from the list,"
            in refused.get_data(as_text=True))
    assert store.fetch_user(db, officer["id"])["team"] == "Response Team 1"
    signed_in_admin.post_form(page, {"team": "Camden Response Team 9", "new_team": "y",
                                     "borough": "Camden"}, action=page + "/team", status=303)
    assert store.fetch_user(db, officer["id"])["team"] == "Camden Response Team 9"
    # One rule for names: the admin pages take what the command line takes.
    signed_in_admin.post_form(page, {"team": "Team A/B, North", "new_team": "y",
                                     "borough": "Camden"}, action=page + "/team", status=303)
