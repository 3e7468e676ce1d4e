"""The survey page's shortcut (feedback/web/survey_shortcut.py): it answers the
ordinary view without Flask, and every other case exactly as Flask would.

Each case is played twice from the same start, once with the shortcut and once
without, and the two answers (status, headers, page) and what was stored after
them must be the same. A shortcut that served a page Flask would refuse (an
expired session, a used or revoked link) or skipped a write Flask makes (the
once-a-minute touch, deleting an expired session) fails here.
"""

import gzip
import re
from datetime import timedelta

import pytest

import feedback.web.db as web_db
from feedback.adapters import store
from feedback.web.csrf_mask import unmask
from tests.conftest import AT_REPORT_ANSWERS
from tests.pages import csrf_token


def shortcut(app):
    return app.extensions["survey_shortcut"]


def opened_survey(app, make_link, **link):
    """A victim's client that opened a link and viewed the survey once (which signs
    the session's CSRF token and keeps the page): the ordinary view comes next."""
    client = app.test_client()
    stored, path = make_link(**link)
    assert client.get(path).status_code == 303
    assert client.get("/feedback").status_code == 200
    return client, stored


def answer(response):
    """A response with this session's own values (its cookie id, its CSRF token)
    put as placeholders, so two sessions' answers compare."""
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    body = body.decode()
    token = csrf_token(body) if 'name="csrf_token"' in body else None
    if token:
        body = body.replace(token, "TOKEN")

    def placeholder(name, value):
        if name == "Set-Cookie":
            return re.sub(r"=[^;]*;", "=ID;", value)
        # A masked token's length is fixed, but gzip's output depends on its bytes.
        return "N" if name == "Content-Length" and token else value
    headers = [(name, placeholder(name, value)) for name, value in response.headers]
    return response.status_code, headers, body


def stored_state(db, link_id):
    sessions = db.execute("SELECT data, created_at, last_seen FROM sessions").fetchall()
    link = store.fetch_link(db, link_id)
    return ([(re.sub(r'"(csrf_[a-z]+|link_id)": "[^"]*"', "ID", data), created_at, last_seen)
             for data, created_at, last_seen in sessions],
            {key: link[key] for key in ("used", "revoked", "opened")})


def with_and_without(app, db, make_link, pinned_clock, case):
    """case(client, link, db, clock) -> the response, played with the shortcut on
    and then off, each from a fresh session and link: the two results."""
    results, start = [], pinned_clock.moment
    for on in (True, False):
        pinned_clock.set(start)
        db.execute("DELETE FROM sessions")
        client, link = opened_survey(app, make_link)
        shortcut(app).on = on
        try:
            response = case(client, link, db, pinned_clock)
        finally:
            shortcut(app).on = True
        results.append((answer(response), stored_state(db, link["id"])))
    return results


def test_the_ordinary_view_is_answered_without_flask(app, make_link, db):
    client, _ = opened_survey(app, make_link)

    def not_reached():
        raise AssertionError("Flask's view was reached")
    app.view_functions["respond.survey"] = not_reached
    page = client.get("/feedback")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in page.headers
    body = page.get_data(as_text=True)
    assert 'lang="en"' in body
    assert page.headers["Content-Length"] == str(len(page.get_data()))
    # Its token is the session's own, masked afresh: it sends the answers.
    token = csrf_token(body)
    assert token != csrf_token(client.get("/feedback").get_data(as_text=True))
    assert "." in unmask(token)


def test_the_shortcuts_page_sends_the_answers(app, make_link, db):
    client, link = opened_survey(app, make_link)
    page = client.get("/feedback").get_data(as_text=True)
    sent = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": csrf_token(page)})
    assert sent.status_code == 303 and sent.headers["Location"] == "/feedback/thanks"
    assert store.fetch_link(db, link["id"])["used"] == 1


def test_a_connection_that_cannot_be_lent_is_waited_for_once(app, make_link, monkeypatch):
    client, _ = opened_survey(app, make_link)
    asked = []

    def unavailable(target):
        asked.append(target)
        raise store.DatabaseFault()
    monkeypatch.setattr(web_db, "_lend", unavailable)
    page = client.get("/feedback")
    assert page.status_code == 503
    assert "Traceback" not in page.get_data(as_text=True)
    assert len(asked) == 1  # the shortcut asked; Flask's path did not wait again


def _view(client, *_):
    return client.get("/feedback")


def _view_compressed(client, *_):
    return client.get("/feedback", headers={"Accept-Encoding": "gzip"})


def _view_a_minute_later(client, _link, _db, clock):
    clock.advance(seconds=61)  # due its touch: Flask moves last_seen on
    return client.get("/feedback")


def _view_after_the_idle_lifetime(client, _link, _db, clock):
    clock.advance(hours=2)  # past the survey session's idle time: Flask deletes the row
    return client.get("/feedback")


def _view_after_the_absolute_lifetime(client, _link, db, clock):
    # Seen a moment ago (no touch due), but opened longer ago than a session may last.
    hours = client.application.config["SURVEY_SESSION_ABSOLUTE_HOURS"]
    opened = clock.now() - timedelta(hours=hours, minutes=1)
    db.execute("UPDATE sessions SET created_at = ?", [opened.isoformat()])
    return client.get("/feedback")


def _view_after_the_link_expired(client, link, db, _clock):
    db.execute("UPDATE links SET expires_at = created_at WHERE id = ?", [link["id"]])
    return client.get("/feedback")


def _view_after_the_link_was_used(client, link, db, _clock):
    db.execute("UPDATE links SET used = 1 WHERE id = ?", [link["id"]])  # another tab sent it
    return client.get("/feedback")


def _view_after_the_link_was_revoked(client, link, db, _clock):
    store.revoke_link(db, link["officer_id"], link["id"])
    return client.get("/feedback")


def _view_after_answering(client, *_):
    page = client.get("/feedback").get_data(as_text=True)
    client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": csrf_token(page)})
    return client.get("/feedback")


def _view_with_a_query(client, *_):
    return client.get("/feedback?lang=pl")


def _head(client, *_):
    return client.head("/feedback")


def _view_with_another_sessions_cookie(client, *_):
    client.set_cookie("survey", "x" * 43)
    return client.get("/feedback")


def _view_with_an_overlong_cookie(client, *_):
    client.set_cookie("survey", "x" * 65)
    return client.get("/feedback")


def _view_in_a_language_with_no_kept_page(client, _link, db, _clock):
    db.execute("UPDATE sessions SET data = replace(data, '\"lang\": \"en\"', '\"lang\": \"xx\"')")
    return client.get("/feedback")


def _view_with_the_database_failing(client, _link, _db, _clock):
    def failing(*_args):
        raise store.DatabaseFault()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "fetch_session", failing)
        return client.get("/feedback")


def _view_while_waiting_for_a_connection(client, link, db, clock):
    # PostgreSQL's pool can keep a request waiting; the link expires meanwhile.
    db.execute("UPDATE links SET expires_at = ? WHERE id = ?",
               [(clock.now() + timedelta(seconds=5)).isoformat(), link["id"]])
    lend = web_db._lend

    def slow(target):
        clock.advance(seconds=10)
        return lend(target)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(web_db, "_lend", slow)
        return client.get("/feedback")


def _view_with_an_account_in_the_survey_session(client, _link, db, _clock):
    # No survey session is given one; if a row held a gone account, Flask ends it.
    db.execute("UPDATE sessions SET data = replace(data, '{', '{\"user_id\": 999999, ')")
    return client.get("/feedback")


def _view_with_a_damaged_session_row(client, _link, db, _clock):
    db.execute("UPDATE sessions SET data = '{not json'")
    return client.get("/feedback")


@pytest.mark.parametrize("case", [
    _view, _view_compressed, _view_a_minute_later, _view_after_the_idle_lifetime,
    _view_after_the_absolute_lifetime, _view_after_the_link_expired, _view_after_the_link_was_used,
    _view_after_the_link_was_revoked, _view_after_answering, _view_with_a_query, _head,
    _view_with_another_sessions_cookie, _view_with_an_overlong_cookie,
    _view_in_a_language_with_no_kept_page, _view_with_the_database_failing,
    _view_with_a_damaged_session_row, _view_while_waiting_for_a_connection,
    _view_with_an_account_in_the_survey_session,
], ids=lambda case: case.__name__.lstrip("_"))
def test_every_case_is_answered_as_flask_answers_it(app, db, make_link, pinned_clock, case):
    with_shortcut, without = with_and_without(app, db, make_link, pinned_clock, case)
    assert with_shortcut == without
