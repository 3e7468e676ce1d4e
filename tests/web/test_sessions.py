"""Anonymous visitors leave nothing in the database (issue 8, defect 4); the
victim's survey and staff sign-in are separate sessions in separate cookies, and
quick exit ends only the victim's (defect 5); cookies are deleted with the flags
they were set with, and HSTS can cover subdomains (defect 9)."""

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from feedback import create_app
from feedback.domain import clock
from tests.conftest import AT_REPORT_ANSWERS, submit_survey
from tests.pages import csrf_token
from tests.stored import set_staff_session_times, staff_sessions, table_names

ANONYMOUS_PAGES = ["/", "/sign-in", "/feedback", "/feedback/thanks", "/exit", "/language",
                   "/r/not-a-real-link", "/no-such-page", "/officer/links", "/trainer/",
                   "/admin/users", "/admin/audit", "/invitation/not-a-real-invitation",
                   "/healthz", "/static/app.css", "/sign-out"]


def rows_in_every_table(db):
    return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in table_names(db)}


def test_a_thousand_cookie_less_page_views_add_at_most_a_handful_of_rows(app, db, make_link):
    make_link(expires_at="2020-01-01T00:00:00+00:00")  # an expired link, and its officer
    before = rows_in_every_table(db)
    client = app.test_client(use_cookies=False)
    statuses = set()
    for number in range(1000):
        statuses.add(client.get(ANONYMOUS_PAGES[number % len(ANONYMOUS_PAGES)]).status_code)
    after = rows_in_every_table(db)
    added = {table: after[table] - before[table] for table in after
             if after[table] != before[table]}
    # One rate-limit counter: link opening from this one address.
    assert sum(added.values()) <= 3, added
    assert added.get("sessions", 0) == 0
    assert 500 not in statuses


def test_the_sign_in_form_works_with_its_csrf_token_in_a_signed_cookie(app, browser, officer,
                                                                       db):
    page = browser.get("/sign-in").get_data(as_text=True)
    assert list(db.query("SELECT * FROM sessions")) == [] == staff_sessions(app, db)
    cookie = browser.client.get_cookie("session").value
    assert cookie.startswith("a.")  # signed, holding only the CSRF token
    response = browser.client.post("/sign-in", data={
        "email": officer["email"], "password": "correct horse battery staple",
        "csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert len(staff_sessions(app, db)) == 1  # signed in: on the server


def test_a_tampered_signed_cookie_is_ignored(client, officer):
    page = client.get("/sign-in").get_data(as_text=True)
    value = client.get_cookie("session").value
    client.set_cookie("session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    response = client.post("/sign-in", data={
        "email": officer["email"], "password": "correct horse battery staple",
        "csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert "timed out" in response.get_data(as_text=True)


def test_a_signed_cookie_cannot_carry_a_sign_in_even_with_the_key(app, client, officer):
    serializer = URLSafeTimedSerializer([app.config["SECRET_KEY"]],
                                        salt="anonymous-session-staff")
    client.set_cookie("session", "a." + serializer.dumps({"user_id": officer["id"]}))
    assert client.get("/officer/links").status_code == 302  # still signed out


def test_opening_a_victim_link_in_an_officers_browser_leaves_the_officer_signed_in(
        signed_in_officer, make_link, db):
    client = signed_in_officer.client
    _, path = make_link()
    staff_cookie = client.get_cookie("session").value
    assert submit_survey(client, path, AT_REPORT_ANSWERS).status_code == 303
    assert client.get_cookie("session").value == staff_cookie
    assert client.get("/officer/links").status_code == 200
    response = client.get("/exit")
    assert client.get("/officer/links").status_code == 200  # quick exit kept staff's session
    assert client.get_cookie("survey") is None
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("survey=;")
    assert "cookies" not in response.headers["Clear-Site-Data"]


def test_a_link_to_exit_from_another_site_cannot_sign_staff_out(signed_in_officer):
    client = signed_in_officer.client
    response = client.get("/exit", headers={"Referer": "https://evil.example/"})
    assert response.status_code == 303
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert client.get("/officer/links").status_code == 200


def test_victim_pages_never_see_the_staff_session(signed_in_officer):
    page = signed_in_officer.client.get("/feedback").get_data(as_text=True)
    assert "Sign out" not in page and "My links" not in page


def _age_survey_sessions(db, minutes):
    seen = (clock.now() - timedelta(minutes=minutes)).isoformat()
    db.execute("UPDATE sessions SET last_seen = ? WHERE data LIKE '%link_id%'", [seen])


def test_each_session_has_its_own_idle_time(make_app, make_user, make_link, db):
    app = make_app(SESSION_IDLE_MINUTES="30", SURVEY_SESSION_IDLE_MINUTES="60")
    from tests.conftest import Browser
    browser = Browser(app.test_client())
    officer = make_user("someone@example.com")
    browser.sign_in(officer["email"])
    _, path = make_link()
    browser.client.get(path)
    set_staff_session_times(
        app, db, last_seen=(clock.now() - timedelta(minutes=45)).isoformat())
    _age_survey_sessions(db, 45)
    assert browser.client.get("/officer/links").status_code == 302  # staff: idle too long
    assert browser.client.get("/feedback").status_code == 200      # survey: still within 60
    _age_survey_sessions(db, 61)
    assert browser.client.get("/feedback").status_code == 404


@pytest.fixture
def production_app(make_app):
    make_app()  # sets the production environment
    return create_app()  # as deployed: Secure cookies


def test_in_production_both_cookies_are_host_prefixed_and_deleted_with_the_same_flags(
        production_app, make_link):
    client = production_app.test_client()
    sign_in = client.get("https://feedback.example.test/sign-in")
    (staff,) = sign_in.headers.getlist("Set-Cookie")
    assert staff.startswith("__Host-session=a.")
    flags = "; Secure; HttpOnly; Path=/; SameSite=Lax"
    assert staff.endswith(flags)
    _, path = make_link()
    opened = client.get("https://feedback.example.test" + path)
    (survey,) = opened.headers.getlist("Set-Cookie")
    assert survey.startswith("__Host-survey=") and survey.endswith(flags)
    left = client.get("https://feedback.example.test/exit")
    (deleted,) = left.headers.getlist("Set-Cookie")
    assert deleted.startswith("__Host-survey=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0")
    assert deleted.endswith(flags)


def test_signing_out_deletes_the_cookie_with_its_flags(production_app, make_user):
    officer = make_user("officer@example.com")
    client = production_app.test_client()
    base = "https://feedback.example.test"
    token = csrf_token(client.get(base + "/sign-in").get_data(as_text=True))
    referer = {"Referer": base + "/"}  # Flask-WTF checks it over https
    signed_in = client.post(base + "/sign-in", headers=referer, data={
        "email": officer["email"], "csrf_token": token, "password": "correct horse battery staple"})
    assert signed_in.status_code == 303, signed_in.get_data(as_text=True)
    token = csrf_token(client.get(base + "/officer/links").get_data(as_text=True))
    response = client.post(base + "/sign-out", headers=referer, data={"csrf_token": token})
    deleted = [c for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" in c]
    assert deleted == ["__Host-session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0;"
                       " Secure; HttpOnly; Path=/; SameSite=Lax"]


@pytest.mark.parametrize(("setting", "header"), [
    ("", "max-age=31536000"),
    ("1", "max-age=31536000; includeSubDomains"),
])
def test_hsts_covers_subdomains_only_when_set(make_app, setting, header):
    make_app(HSTS_INCLUDE_SUBDOMAINS=setting)
    response = create_app().test_client().get("https://feedback.example.test/sign-in")
    assert response.headers["Strict-Transport-Security"] == header
