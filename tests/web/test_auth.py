import pytest

from feedback.adapters import store
from feedback.web.db import database_target
from tests import local_server
from tests.conftest import PASSWORD
from tests.pages import check_page, csrf_token
from tests.stored import set_staff_session_times, staff_sessions

SIGN_IN_FAILED = "Enter a correct email address and password"


def test_an_officer_signs_in_and_lands_on_their_links(browser, officer):
    response = browser.sign_in(officer["email"])
    assert response.status_code == 303
    assert response.headers["Location"] == "/officer/links"
    assert "My links" in browser.get("/officer/links").get_data(as_text=True)


def test_a_trainer_signs_in_and_lands_on_the_overview(browser, make_user):
    trainer = make_user("trainer@example.com", role="trainer")
    assert browser.sign_in(trainer["email"]).headers["Location"] == "/trainer/"


def test_email_is_matched_without_regard_to_case(browser, officer):
    assert browser.sign_in("Officer@Example.COM").status_code == 303


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(browser, officer):
    unknown = browser.sign_in("nobody@example.com")
    wrong = browser.sign_in(officer["email"], "wrong password here")
    assert unknown.status_code == wrong.status_code == 400
    for response in (unknown, wrong):
        page = response.get_data(as_text=True)
        assert SIGN_IN_FAILED in page
        assert check_page(page).startswith("Error: ")


def test_empty_sign_in_says_what_to_enter(browser):
    page = browser.post_form("/sign-in", {"email": "", "password": ""}, status=400)
    text = page.get_data(as_text=True)
    assert '<a href="#email">Enter your email address</a>' in text
    assert '<a href="#password">Enter your password</a>' in text


def test_ten_failures_lock_the_account_even_against_the_right_password(client, browser, officer,
                                                                        db):
    # From two addresses: one client alone is throttled before the threshold.
    for attempt in range(9):
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{attempt % 2 + 1}"
        assert browser.sign_in(officer["email"], "wrong password here").status_code == 400
    assert store.fetch_user(db, officer["id"])["locked_until"] is None
    browser.sign_in(officer["email"], "wrong password here")
    assert store.fetch_user(db, officer["id"])["locked_until"] is not None
    client.environ_base["REMOTE_ADDR"] = "192.0.2.3"
    response = browser.sign_in(officer["email"], PASSWORD)
    assert response.status_code == 400
    assert SIGN_IN_FAILED in response.get_data(as_text=True)


def test_a_lock_expires(browser, officer, db):
    db.execute("UPDATE users SET failed_logins = 10, locked_until = '2000-01-01T00:00:00+00:00'"
               " WHERE id = ?", [officer["id"]])
    assert browser.sign_in(officer["email"]).status_code == 303
    assert store.fetch_user(db, officer["id"])["failed_logins"] == 0


def test_a_success_resets_the_failure_count(browser, officer, db):
    for _ in range(5):
        browser.sign_in(officer["email"], "wrong password here")
    browser.sign_in(officer["email"])
    assert store.fetch_user(db, officer["id"])["failed_logins"] == 0


def test_a_disabled_account_cannot_sign_in(browser, officer, db):
    store.set_disabled(db, officer["id"], True)
    assert browser.sign_in(officer["email"]).status_code == 400


def test_disabling_an_account_ends_its_current_session(signed_in_officer, officer, db):
    store.set_disabled(db, officer["id"], True)
    response = signed_in_officer.client.get("/officer/links")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_signing_in_starts_a_new_session(app, client, browser, officer, db):
    client.get("/sign-in")  # a session with a CSRF token, as an attacker could plant
    before = client.get_cookie("session").value
    browser.sign_in(officer["email"])
    after = client.get_cookie("session").value
    assert before != after
    assert len(staff_sessions(app, db)) == 1


def test_signing_out_ends_the_session_on_the_server(app, signed_in_officer, db):
    client = signed_in_officer.client
    stolen = client.get_cookie("session").value
    page = client.get("/officer/links").get_data(as_text=True)
    response = client.post("/sign-out", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert staff_sessions(app, db) == []
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/officer/links").status_code == 302


def test_an_idle_session_ends(app, signed_in_officer, db):
    set_staff_session_times(app, db, last_seen="2000-01-01T00:00:00+00:00")
    assert signed_in_officer.client.get("/officer/links").status_code == 302


def test_a_session_ends_at_its_absolute_limit_even_when_active(app, signed_in_officer, db):
    set_staff_session_times(app, db, created_at="2000-01-01T00:00:00+00:00")
    assert signed_in_officer.client.get("/officer/links").status_code == 302


def test_sign_in_without_a_csrf_token_is_refused(client, officer):
    response = client.post("/sign-in", data={"email": officer["email"], "password": PASSWORD})
    assert response.status_code == 400
    assert "timed out" in response.get_data(as_text=True)


def test_sign_out_is_not_possible_by_get(signed_in_officer):
    assert signed_in_officer.client.get("/sign-out").status_code == 405


def test_next_only_goes_to_pages_on_this_service(browser, officer):
    response = browser.post_form("/sign-in", {"email": officer["email"], "password": PASSWORD},
                                 action="/sign-in?next=//evil.example/")
    assert response.headers["Location"] == "/officer/links"


def test_signed_out_people_are_sent_to_sign_in(client):
    for url in ("/officer/links", "/officer/links/new", "/trainer/", "/trainer/export"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/sign-in?next={url}"


@pytest.mark.parametrize("target", [
    "//evil.example/", "/\t/evil.example", "https://evil.example/",
    "/\\evil.example", "/\nLocation: https://evil.example", "javascript:alert(1)",
])
def test_next_never_leaves_the_service_and_never_errors(browser, officer, target):
    from urllib.parse import quote
    response = browser.post_form("/sign-in", {"email": officer["email"], "password": PASSWORD},
                                 action="/sign-in?next=" + quote(target, safe=""))
    assert response.status_code == 303
    assert response.headers["Location"] == "/officer/links"


def test_parallel_guesses_cannot_get_past_the_lockout(make_app, make_user):
    """Regression: the lock was worked out from a count read before the password
    check, so a burst of parallel guesses left the account unlocked."""
    import threading

    import requests

    # Each guess from its own address (behind one trusted proxy): from one address
    # the throttle refuses them before they reach the lockout.
    app = make_app(LOCKOUT_THRESHOLD="3", TRUSTED_PROXIES="1", PASSWORD_HASH_CONCURRENCY="12")
    user = make_user("officer@example.com")
    sessions = [requests.Session() for _ in range(12)]
    barrier = threading.Barrier(len(sessions))
    with local_server.serving(app) as base:
        tokens = [csrf_token(s.get(base + "/sign-in", timeout=10).text) for s in sessions]

        def guess(index):
            barrier.wait()
            sessions[index].post(base + "/sign-in", allow_redirects=False, timeout=30, data={
                "email": user["email"], "password": f"wrong guess {index}",
                "csrf_token": tokens[index]}, headers={"X-Forwarded-For": f"192.0.2.{index}"})

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(len(sessions))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        fresh = requests.Session()
        token = csrf_token(fresh.get(base + "/sign-in", timeout=10).text)
        response = fresh.post(base + "/sign-in", allow_redirects=False, timeout=30, data={
            "email": user["email"], "password": PASSWORD, "csrf_token": token},
            headers={"X-Forwarded-For": "192.0.2.100"})
    assert response.status_code == 400
    db = store.connect(database_target(app.config))
    assert store.fetch_user(db, user["id"])["locked_until"] is not None
