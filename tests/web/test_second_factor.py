"""Signing in with a second factor (SECOND_FACTOR=required, production's default):
setting up an authenticator app at the first sign-in, codes from it (each accepted
once, the neighbouring time steps too), recovery codes, throttling and lockout,
and an administrator's reset. The clock is pinned: codes are computed by pyotp
for the pinned moment, as a phone would."""

import re
import threading

import pyotp
import pytest
import requests

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.usecases import second_factor
from feedback.usecases.auditing import COMMAND_LINE
from feedback.web.db import database_target
from tests.conftest import PASSWORD, Browser
from tests.pages import check_page, csrf_token

WRONG_CODE = "Enter a correct code. Each code works once: wait for the next one"


@pytest.fixture
def app(make_app):
    return make_app(SECOND_FACTOR="required")


def secret_on(page):
    """The key the set-up page writes out for typing, as a person would type it."""
    found = re.search(r'id="secret"[^>]*>([A-Z2-7 ]+)<', page)
    assert found, "no key written out on the set-up page"
    return found.group(1).replace(" ", "")


def recovery_codes_on(page):
    listed = re.search(r'id="recovery-codes">(.*?)</ul>', page, re.S).group(1)
    return re.findall(r"<li>([a-z2-9 ]+)</li>", listed)


def code_at(secret, moment, steps=0):
    return pyotp.TOTP(secret).at(moment, counter_offset=steps)


def wrong_code(secret, moment):
    """Six digits that are not the code of the step at moment."""
    return str((int(code_at(secret, moment)) + 1) % 10**6).zfill(6)


def enter_code(browser, page_url, code, address=None):
    token = csrf_token(browser.client.get(page_url).get_data(as_text=True))
    extra = {"environ_overrides": {"REMOTE_ADDR": address}} if address else {}
    response = browser.client.post(page_url, data={"code": code, "csrf_token": token}, **extra)
    if response.mimetype == "text/html":
        check_page(response.get_data(as_text=True))
    return response


def set_up(browser, email, moment):
    """Sign in for the first time and set up the app: (secret, recovery codes)."""
    response = browser.sign_in(email)
    assert response.headers["Location"] == "/sign-in/set-up"
    secret = secret_on(browser.get("/sign-in/set-up").get_data(as_text=True))
    shown = enter_code(browser, "/sign-in/set-up", code_at(secret, moment))
    assert shown.status_code == 200
    return secret, recovery_codes_on(shown.get_data(as_text=True))


def actions(db, user_id=None):
    """The audit log's actions, oldest first (of one account, if given)."""
    entries = audit.fetch_audit(db, {"user_id": user_id or ""}, 1000, 0)
    return [entry["action"] for entry in reversed(entries)]


def signed_in(browser):
    return browser.client.get("/officer/links").status_code == 200


def sign_out(browser):
    page = browser.client.get("/", follow_redirects=True).get_data(as_text=True)
    browser.client.post("/sign-out", data={"csrf_token": csrf_token(page)})


# Setting up at the first sign-in

def test_the_right_password_alone_does_not_sign_in_a_person_without_an_app(browser, officer,
                                                                            db):
    response = browser.sign_in(officer["email"])
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in/set-up"
    assert not signed_in(browser)
    assert browser.client.get("/officer/links").headers["Location"].startswith("/sign-in")
    assert "sign_in" not in actions(db, officer["id"])


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(
        browser, officer, db):
    browser.sign_in(officer["email"])
    first = browser.get("/sign-in/set-up").get_data(as_text=True)
    assert secret_on(first) == secret_on(browser.get("/sign-in/set-up").get_data(as_text=True))
    qr_code = browser.client.get("/sign-in/set-up/qr.svg")
    assert qr_code.status_code == 200
    assert qr_code.mimetype == "image/svg+xml"
    assert qr_code.headers["Cache-Control"] == "no-store"
    # The secret is stored sealed, never as it is.
    stored = store.fetch_factor(db, officer["id"])
    assert stored["confirmed"] == 0
    assert secret_on(first) not in stored["secret"]


@pytest.mark.parametrize("path", ["/sign-in/set-up/qr.svg", "/sign-in/code"])
def test_the_code_step_and_the_qr_code_need_the_password_first(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in"


def test_setting_up_signs_in_and_shows_ten_recovery_codes_once(browser, officer, db,
                                                                pinned_clock):
    secret, codes = set_up(browser, officer["email"], pinned_clock.now())
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert signed_in(browser)
    assert store.fetch_factor(db, officer["id"])["confirmed"] == 1
    assert store.count_unused_recovery_codes(db, officer["id"]) == 10
    # Only hashes are kept: no code, and not the secret, anywhere in the tables.
    rows = "\n".join(str(row) for table in ("second_factors", "recovery_codes", "audit_log",
                                            "sessions")
                     for row in db.execute(f"SELECT * FROM {table}"))  # noqa: S608
    assert secret not in rows
    assert not any(code.replace(" ", "") in rows for code in codes)
    assert actions(db, officer["id"])[-2:] == ["second_factor_enrolled", "sign_in"]


def test_a_wrong_code_does_not_set_up_the_app(browser, officer, db, pinned_clock):
    browser.sign_in(officer["email"])
    secret = secret_on(browser.get("/sign-in/set-up").get_data(as_text=True))
    wrong = wrong_code(secret, pinned_clock.now())
    response = enter_code(browser, "/sign-in/set-up", wrong)
    assert response.status_code == 400
    assert WRONG_CODE in response.get_data(as_text=True)
    assert not signed_in(browser)
    assert store.fetch_factor(db, officer["id"])["confirmed"] == 0
    assert store.count_unused_recovery_codes(db, officer["id"]) == 0
    assert actions(db, officer["id"])[-1] == "second_factor_failed"


@pytest.mark.parametrize("typed", ["", "1" * 41, "<script>"])
def test_bad_input_on_the_set_up_page_is_a_calm_400_and_changes_nothing(browser, officer, db,
                                                                          typed):
    browser.sign_in(officer["email"])
    browser.get("/sign-in/set-up")
    response = enter_code(browser, "/sign-in/set-up", typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<script>" not in page.split("<main", 1)[1]
    assert check_page(page).startswith("Error: ")
    assert store.fetch_factor(db, officer["id"])["confirmed"] == 0


# The code page, once an app is set up

@pytest.fixture
def enrolled(browser, officer, pinned_clock):
    """An officer with an app set up, signed out again, 30 s (one step) later."""
    secret, codes = set_up(browser, officer["email"], pinned_clock.now())
    sign_out(browser)
    pinned_clock.advance(seconds=30)
    return {"secret": secret, "codes": codes, "user": officer}


def test_a_good_code_signs_in(browser, enrolled, db, pinned_clock):
    response = browser.sign_in(enrolled["user"]["email"])
    assert response.headers["Location"] == "/sign-in/code"
    assert not signed_in(browser)
    response = enter_code(browser, "/sign-in/code", code_at(enrolled["secret"],
                                                            pinned_clock.now()))
    assert response.status_code == 303
    assert response.headers["Location"] == "/officer/links"
    assert signed_in(browser)
    last = audit.fetch_audit(db, {"user_id": enrolled["user"]["id"]}, 1, 0)[0]
    assert (last["action"], last["detail"]) == ("sign_in", {"second_factor": "app"})


@pytest.mark.parametrize("path", ["/sign-in/code", "/sign-in/set-up"])
def test_going_back_to_the_code_step_once_signed_in_keeps_the_person_signed_in(
        browser, enrolled, pinned_clock, path):
    browser.sign_in(enrolled["user"]["email"])
    enter_code(browser, "/sign-in/code", code_at(enrolled["secret"], pinned_clock.now()))
    response = browser.client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert signed_in(browser)


def test_the_code_step_keeps_where_the_person_was_going(browser, enrolled, pinned_clock):
    token = csrf_token(browser.client.get("/sign-in").get_data(as_text=True))
    browser.client.post("/sign-in?next=/officer/links/new", data={
        "email": enrolled["user"]["email"], "password": PASSWORD, "csrf_token": token})
    response = enter_code(browser, "/sign-in/code", code_at(enrolled["secret"],
                                                            pinned_clock.now()))
    assert response.headers["Location"] == "/officer/links/new"


def test_a_code_is_never_accepted_twice(browser, enrolled, db, pinned_clock):
    code = code_at(enrolled["secret"], pinned_clock.now())
    browser.sign_in(enrolled["user"]["email"])
    assert enter_code(browser, "/sign-in/code", code).status_code == 303
    sign_out(browser)
    browser.sign_in(enrolled["user"]["email"])
    response = enter_code(browser, "/sign-in/code", code)
    assert response.status_code == 400
    assert WRONG_CODE in response.get_data(as_text=True)
    assert not signed_in(browser)
    assert actions(db, enrolled["user"]["id"])[-1] == "second_factor_failed"


def test_the_code_that_set_up_the_app_does_not_sign_in_again(browser, officer, db,
                                                              pinned_clock):
    secret, _ = set_up(browser, officer["email"], pinned_clock.now())
    sign_out(browser)
    browser.sign_in(officer["email"])  # the same moment: the same code
    assert enter_code(browser, "/sign-in/code",
                      code_at(secret, pinned_clock.now())).status_code == 400
    assert not signed_in(browser)


def test_a_code_older_than_the_last_accepted_one_is_refused(browser, enrolled, pinned_clock):
    now = pinned_clock.now()
    browser.sign_in(enrolled["user"]["email"])
    # The next step's code (a phone a little fast) is accepted...
    assert enter_code(browser, "/sign-in/code",
                      code_at(enrolled["secret"], now, 1)).status_code == 303
    sign_out(browser)
    browser.sign_in(enrolled["user"]["email"])
    # ... and then the current step's, though on time, is older: refused.
    assert enter_code(browser, "/sign-in/code",
                      code_at(enrolled["secret"], now)).status_code == 400


@pytest.mark.parametrize(("steps", "status"), [(-2, 400), (-1, 303), (0, 303), (1, 303),
                                               (2, 400)])
def test_codes_of_the_neighbouring_steps_are_accepted_and_no_further(
        browser, enrolled, pinned_clock, steps, status):
    pinned_clock.advance(minutes=5)  # well past the step set up at
    browser.sign_in(enrolled["user"]["email"])
    response = enter_code(browser, "/sign-in/code",
                          code_at(enrolled["secret"], pinned_clock.now(), steps))
    assert response.status_code == status
    assert signed_in(browser) == (status == 303)


def test_a_wrong_code_is_refused_and_audited(browser, enrolled, db, pinned_clock):
    right = code_at(enrolled["secret"], pinned_clock.now())
    browser.sign_in(enrolled["user"]["email"])
    response = enter_code(browser, "/sign-in/code",
                          wrong_code(enrolled["secret"], pinned_clock.now()))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert WRONG_CODE in page
    assert check_page(page).startswith("Error: ")
    assert not signed_in(browser)
    assert actions(db, enrolled["user"]["id"])[-1] == "second_factor_failed"
    # The password's attempt and the wrong code: both count until the sign-in is done.
    assert store.fetch_user(db, enrolled["user"]["id"])["failed_logins"] == 2
    # The right code still works afterwards, and the count starts again.
    assert enter_code(browser, "/sign-in/code", right).status_code == 303
    assert store.fetch_user(db, enrolled["user"]["id"])["failed_logins"] == 0


@pytest.mark.parametrize("typed", ["", "1" * 41])
def test_bad_input_on_the_code_page_is_a_calm_400(browser, enrolled, db, typed):
    browser.sign_in(enrolled["user"]["email"])
    response = enter_code(browser, "/sign-in/code", typed)
    assert response.status_code == 400
    assert check_page(response.get_data(as_text=True)).startswith("Error: ")
    # Only the password's attempt, still open, is counted: the bad input is not.
    assert store.fetch_user(db, enrolled["user"]["id"])["failed_logins"] == 1


def test_an_account_disabled_between_the_two_steps_cannot_finish(browser, enrolled, db,
                                                                 pinned_clock):
    browser.sign_in(enrolled["user"]["email"])
    store.set_disabled(db, enrolled["user"]["id"], True)
    response = browser.client.get("/sign-in/code")
    assert response.headers["Location"] == "/sign-in"
    assert not signed_in(browser)


# Throttling: the same limits and lockout as passwords

def test_wrong_codes_from_one_client_are_throttled_like_passwords(make_app, make_user,
                                                                  pinned_clock):
    app = make_app(SECOND_FACTOR="required", LOCKOUT_THRESHOLD="5")
    browser = Browser(app.test_client())
    officer = make_user("officer@example.com")
    secret, _ = set_up(browser, officer["email"], pinned_clock.now())
    sign_out(browser)
    pinned_clock.advance(seconds=30)
    browser.sign_in(officer["email"])
    wrong = wrong_code(secret, pinned_clock.now())
    # One client gets fewer tries than the lockout threshold (4 of 5), as for passwords.
    for _ in range(4):
        assert enter_code(browser, "/sign-in/code", wrong).status_code == 400
    refused = enter_code(browser, "/sign-in/code", code_at(secret, pinned_clock.now()))
    assert refused.status_code == 429
    assert not signed_in(browser)
    db = store.connect(database_target(app.config))
    assert actions(db)[-1] == "sign_in_refused"
    db.close()


def test_enough_wrong_codes_lock_the_account_even_against_the_right_code(
        browser, enrolled, db, pinned_clock):
    user = enrolled["user"]
    browser.sign_in(user["email"])
    right = code_at(enrolled["secret"], pinned_clock.now())
    wrong = wrong_code(enrolled["secret"], pinned_clock.now())
    # From two addresses: one client alone is throttled before the threshold.
    for attempt in range(10):
        response = enter_code(browser, "/sign-in/code", wrong,
                              address=f"192.0.2.{attempt % 2 + 1}")
        assert response.status_code == 400
    assert store.fetch_user(db, user["id"])["locked_until"] is not None
    assert "account_locked" in actions(db, user["id"])
    response = enter_code(browser, "/sign-in/code", right, address="192.0.2.3")
    assert response.status_code == 400
    assert not signed_in(browser)


def test_the_password_alone_does_not_buy_fresh_code_guesses(make_app, make_user,
                                                            pinned_clock):
    """An attacker who has the password signs in again after each wrong code, from a
    new address each time (so no per-client limit stops them): the right password
    must not wipe the count of wrong codes, or the lockout would never come."""
    app = make_app(SECOND_FACTOR="required", LOCKOUT_THRESHOLD="5")
    browser = Browser(app.test_client())
    officer = make_user("officer@example.com")
    secret, _ = set_up(browser, officer["email"], pinned_clock.now())
    sign_out(browser)
    pinned_clock.advance(seconds=30)
    wrong = wrong_code(secret, pinned_clock.now())
    for attempt in range(3):  # password, wrong code: two attempts each
        address = f"198.51.100.{attempt + 1}"
        browser.client.environ_base["REMOTE_ADDR"] = address
        assert browser.sign_in(officer["email"]).headers["Location"] == "/sign-in/code"
        assert enter_code(browser, "/sign-in/code", wrong, address=address).status_code == 400
    db = store.connect(database_target(app.config))
    assert store.fetch_user(db, officer["id"])["locked_until"] is not None
    assert actions(db, officer["id"]).count("account_locked") == 1
    db.close()
    # Locked: even the right password no longer reaches the code page.
    browser.client.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    response = browser.sign_in(officer["email"])
    assert response.status_code == 400
    assert not signed_in(browser)


# Recovery codes

def test_a_recovery_code_signs_in_once(browser, enrolled, db):
    code = enrolled["codes"][3]
    browser.sign_in(enrolled["user"]["email"])
    response = enter_code(browser, "/sign-in/code", code.upper().replace(" ", "-"))
    assert response.status_code == 200
    assert "You have 9 recovery codes left" in response.get_data(as_text=True)
    assert signed_in(browser)
    assert store.count_unused_recovery_codes(db, enrolled["user"]["id"]) == 9
    last = audit.fetch_audit(db, {"user_id": enrolled["user"]["id"]}, 2, 0)
    assert [(e["action"], e["detail"]) for e in last] == [
        ("sign_in", {"second_factor": "recovery code"}), ("recovery_code_used", {"left": 9})]
    sign_out(browser)
    browser.sign_in(enrolled["user"]["email"])
    assert enter_code(browser, "/sign-in/code", code).status_code == 400
    assert not signed_in(browser)


def test_a_made_up_recovery_code_is_refused(browser, enrolled, db):
    browser.sign_in(enrolled["user"]["email"])
    assert enter_code(browser, "/sign-in/code", "abcd efgh jkmn pqrs").status_code == 400
    assert store.count_unused_recovery_codes(db, enrolled["user"]["id"]) == 10


def test_one_accounts_recovery_code_does_not_sign_in_another(browser, enrolled, make_user,
                                                              pinned_clock):
    other = make_user("other@example.com")
    set_up(browser, other["email"], pinned_clock.now())
    sign_out(browser)
    browser.sign_in(other["email"])
    assert enter_code(browser, "/sign-in/code", enrolled["codes"][0]).status_code == 400


# An administrator's reset

def test_an_admin_resets_a_second_factor_from_the_account_page(browser, enrolled, make_user,
                                                               db, pinned_clock):
    admin = make_user("admin@example.com", role="admin")
    set_up(browser, admin["email"], pinned_clock.now())
    user_id = enrolled["user"]["id"]
    page = browser.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert "An authenticator app is set up" in page
    response = browser.post_form(f"/admin/users/{user_id}",
                                 {}, action=f"/admin/users/{user_id}/second-factor/reset",
                                 status=303)
    assert response.headers["Location"] == f"/admin/users/{user_id}"
    assert "No authenticator app is set up" in browser.get(
        f"/admin/users/{user_id}").get_data(as_text=True)
    assert store.fetch_factor(db, user_id) is None
    assert store.count_unused_recovery_codes(db, user_id) == 0
    entry = audit.fetch_audit(db, {"action": "second_factor_reset"}, 1, 0)[0]
    assert (entry["user_id"], entry["subject"], entry["detail"]) == (
        admin["id"], str(user_id), {"had_one": True})
    # The person sets up an app again at their next sign-in; old codes are gone.
    sign_out(browser)
    assert browser.sign_in(enrolled["user"]["email"]).headers["Location"] == "/sign-in/set-up"
    assert enter_code(browser, "/sign-in/set-up", enrolled["codes"][0]).status_code == 400


def test_only_an_admin_can_reset_a_second_factor(browser, enrolled, make_user, db,
                                                 pinned_clock):
    trainer = make_user("trainer@example.com", role="trainer")
    set_up(browser, trainer["email"], pinned_clock.now())
    token = csrf_token(browser.client.get("/trainer/").get_data(as_text=True))
    response = browser.client.post(f"/admin/users/{enrolled['user']['id']}/second-factor/reset",
                                   data={"csrf_token": token})
    assert response.status_code == 403
    assert store.fetch_factor(db, enrolled["user"]["id"])["confirmed"] == 1


def test_the_command_line_resets_a_second_factor(runner, enrolled, db):
    result = runner.invoke(args=["users", "reset-second-factor", "Officer@Example.com"])
    assert result.exit_code == 0, result.output
    assert "Second factor reset for officer@example.com" in result.output
    assert store.fetch_factor(db, enrolled["user"]["id"]) is None
    entry = audit.fetch_audit(db, {"action": "second_factor_reset"}, 1, 0)[0]
    assert (entry["actor"], entry["subject"], entry["detail"]) == (
        "command line", str(enrolled["user"]["id"]), {"had_one": True, "by": "command line"})


def test_the_command_line_says_when_there_is_no_such_account(runner, db):
    result = runner.invoke(args=["users", "reset-second-factor", "nobody@example.com"])
    assert result.exit_code != 0
    assert "No account for nobody@example.com" in result.output
    assert actions(db) == []


def test_a_second_reset_says_there_was_nothing_to_reset(db, enrolled, pinned_clock):
    user_id = enrolled["user"]["id"]
    assert second_factor.reset(db, user_id, COMMAND_LINE, pinned_clock.now()) is True
    assert second_factor.reset(db, user_id, COMMAND_LINE, pinned_clock.now()) is False
    assert actions(db).count("second_factor_reset") == 2


# SECOND_FACTOR=optional (development's default)

def test_optional_lets_an_account_without_an_app_sign_in_with_its_password(
        make_app, make_user, db, pinned_clock):
    browser = Browser(make_app(SECOND_FACTOR="optional").test_client())
    officer = make_user("officer@example.com")
    response = browser.sign_in(officer["email"])
    assert response.headers["Location"] == "/officer/links"
    assert signed_in(browser)
    assert actions(db, officer["id"]) == ["sign_in"]


def test_optional_still_asks_an_account_with_an_app_for_its_code(make_app, make_user, db,
                                                                 pinned_clock):
    required = Browser(make_app(SECOND_FACTOR="required").test_client())
    officer = make_user("officer@example.com")
    secret, _ = set_up(required, officer["email"], pinned_clock.now())
    pinned_clock.advance(seconds=30)
    browser = Browser(make_app(SECOND_FACTOR="optional").test_client())
    assert browser.sign_in(officer["email"]).headers["Location"] == "/sign-in/code"
    assert not signed_in(browser)
    assert enter_code(browser, "/sign-in/code",
                      code_at(secret, pinned_clock.now())).status_code == 303
    assert signed_in(browser)


# Parallel requests

PARALLEL = 8


@pytest.mark.slow  # eight threads, eight password hashes
@pytest.mark.parametrize("which", ["app", "recovery"])
def test_one_code_sent_by_several_requests_at_once_signs_in_once(live_server, enrolled, db,
                                                                 pinned_clock, which):
    code = (code_at(enrolled["secret"], pinned_clock.now()) if which == "app"
            else enrolled["codes"][0])
    sessions, tokens = [], []
    for _ in range(PARALLEL):
        session = requests.Session()
        token = csrf_token(session.get(live_server + "/sign-in", timeout=10).text)
        session.post(live_server + "/sign-in", data={
            "email": enrolled["user"]["email"], "password": PASSWORD, "csrf_token": token},
            allow_redirects=False, timeout=30)
        tokens.append(csrf_token(session.get(live_server + "/sign-in/code", timeout=10).text))
        sessions.append(session)
    barrier, statuses = threading.Barrier(PARALLEL), [None] * PARALLEL

    def send(index):
        barrier.wait()
        statuses[index] = sessions[index].post(
            live_server + "/sign-in/code", data={"code": code, "csrf_token": tokens[index]},
            allow_redirects=False, timeout=30).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = 303 if which == "app" else 200
    assert sorted(statuses) == sorted([accepted] + [400] * (PARALLEL - 1))
    assert actions(db, enrolled["user"]["id"]).count("second_factor_failed") == PARALLEL - 1


def test_the_code_step_ends_ten_minutes_after_the_password(browser, enrolled, pinned_clock):
    browser.sign_in(enrolled["user"]["email"])
    pinned_clock.advance(minutes=10)
    page = browser.client.get("/sign-in/code")
    assert page.status_code == 200
    pinned_clock.advance(seconds=1)
    response = browser.client.post("/sign-in/code", data={
        "code": code_at(enrolled["secret"], pinned_clock.now()),
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.headers["Location"] == "/sign-in"
    assert not signed_in(browser)
    # The password again, and the code then works.
    browser.sign_in(enrolled["user"]["email"])
    assert enter_code(browser, "/sign-in/code", code_at(enrolled["secret"],
                                                        pinned_clock.now())).status_code == 303


# Secrets

def test_neither_the_secret_nor_any_code_reaches_the_log(browser, officer, pinned_clock,
                                                        caplog):
    caplog.set_level("DEBUG")
    secret, codes = set_up(browser, officer["email"], pinned_clock.now())
    sign_out(browser)
    pinned_clock.advance(seconds=30)
    browser.sign_in(officer["email"])
    enter_code(browser, "/sign-in/code", "123456")
    enter_code(browser, "/sign-in/code", codes[1])
    logged = caplog.text
    assert "user id" in logged  # the log is captured
    for secret_text in (secret, *codes, *(c.replace(" ", "") for c in codes), "123456"):
        assert secret_text not in logged


def test_the_secret_still_opens_after_the_secret_key_is_rotated(make_app, make_user,
                                                                pinned_clock):
    old_key = "an-old-secret-key-that-is-long-enough-0123456789"
    browser = Browser(make_app(SECOND_FACTOR="required", SECRET_KEY=old_key).test_client())
    officer = make_user("officer@example.com")
    secret, _ = set_up(browser, officer["email"], pinned_clock.now())
    pinned_clock.advance(seconds=30)
    rotated = Browser(make_app(SECOND_FACTOR="required", SECRET_KEY_FALLBACKS=old_key,
                               SECRET_KEY="a-new-secret-key-that-is-long-enough-9876543210"
                               ).test_client())
    rotated.sign_in(officer["email"])
    assert enter_code(rotated, "/sign-in/code",
                      code_at(secret, pinned_clock.now())).status_code == 303
    # That sign-in sealed the secret again under the new key: once the old key is
    # retired (the README's 90 days), the same app still signs in.
    sign_out(rotated)
    pinned_clock.advance(seconds=30)
    retired = Browser(make_app(SECOND_FACTOR="required",
                               SECRET_KEY="a-new-secret-key-that-is-long-enough-9876543210"
                               ).test_client())
    retired.sign_in(officer["email"])
    assert enter_code(retired, "/sign-in/code",
                      code_at(secret, pinned_clock.now())).status_code == 303


def test_an_app_sealed_under_a_retired_key_gets_a_calm_answer_and_a_recovery_code_works(
        make_app, make_user, pinned_clock):
    """Someone who did not sign in while the old key was still a fallback: no code of
    their app can be checked. A calm 409 that says what to do, not counted as a failed
    attempt; their recovery codes still sign them in."""
    old_key = "an-old-secret-key-that-is-long-enough-0123456789"
    browser = Browser(make_app(SECOND_FACTOR="required", SECRET_KEY=old_key).test_client())
    officer = make_user("officer@example.com")
    secret, codes = set_up(browser, officer["email"], pinned_clock.now())
    pinned_clock.advance(seconds=30)
    app = make_app(SECOND_FACTOR="required",
                   SECRET_KEY="a-new-secret-key-that-is-long-enough-9876543210")
    retired = Browser(app.test_client())
    retired.sign_in(officer["email"])
    response = enter_code(retired, "/sign-in/code", code_at(secret, pinned_clock.now()))
    assert response.status_code == 409
    assert "ask an administrator to reset your second factor" in response.get_data(as_text=True)
    assert not signed_in(retired)
    db = store.connect(database_target(app.config))
    assert store.fetch_user(db, officer["id"])["failed_logins"] == 1  # the password's only
    assert "second_factor_failed" not in actions(db, officer["id"])
    db.close()
    assert enter_code(retired, "/sign-in/code", codes[0]).status_code == 200
    assert signed_in(retired)


def test_a_set_up_page_whose_key_was_retired_shows_a_new_secret(make_app, make_user,
                                                                pinned_clock):
    old_key = "an-old-secret-key-that-is-long-enough-0123456789"
    browser = Browser(make_app(SECOND_FACTOR="required", SECRET_KEY=old_key).test_client())
    officer = make_user("officer@example.com")
    browser.sign_in(officer["email"])
    first = secret_on(browser.get("/sign-in/set-up").get_data(as_text=True))
    retired = Browser(make_app(SECOND_FACTOR="required",
                               SECRET_KEY="a-new-secret-key-that-is-long-enough-9876543210"
                               ).test_client())
    retired.sign_in(officer["email"])
    page = retired.get("/sign-in/set-up")
    assert page.status_code == 200
    second = secret_on(page.get_data(as_text=True))
    assert second != first
    shown = enter_code(retired, "/sign-in/set-up", code_at(second, pinned_clock.now()))
    assert shown.status_code == 200 and signed_in(retired)
