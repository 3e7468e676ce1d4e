"""Every error is a calm page with the right status: never a stack trace."""

import pytest

from feedback.adapters import store
from tests.conftest import AT_REPORT_ANSWERS
from tests.pages import check_page, csrf_token
from tests.stored import stored_responses


@pytest.mark.parametrize("method, url, kwargs, status, title", [
    ("get", "/no-such-page", {}, 404, "Page not found – My Met Service"),
    ("get", "/sign-out", {}, 405, "Sorry, there is a problem with this request – My Met Service"),
    ("post", "/sign-in", {"data": {"email": "x" * 70_000}}, 413,
     "Your answer is too long – My Met Service"),
    ("get", "/officer/links/new?next=%00", {}, 302, None),
])
def test_bad_requests_get_a_calm_page(client, method, url, kwargs, status, title):
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status
    if title:
        page = response.get_data(as_text=True)
        assert check_page(page) == title
        assert "Traceback" not in page


def test_an_unexpected_error_is_a_calm_500_that_logs_no_request_data(app, client, caplog):
    from flask import request

    @app.get("/explode")
    def explode():
        raise RuntimeError(request.args["answer"])

    response = client.get("/explode?answer=07700900123")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in page
    assert "07700900123" not in page and "07700900123" not in caplog.text
    assert "unhandled RuntimeError" in caplog.text


def test_the_favicon_request_gets_an_empty_answer_not_an_error_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 204
    assert response.data == b""


@pytest.mark.parametrize("url", ["/r", "/r/", "/R/AbC", "/r/a/b", "/feedback/", "/feedback/x",
                                 "/feedback/thanks/more", "/exit/x", "/language/x", "/FEEDBACK"])
def test_every_unknown_address_under_a_victim_path_keeps_the_victims_page_and_language(
        app, make_link, url):
    client = app.test_client()
    _, path = make_link(language="pl")
    client.get(path)  # a survey in Polish is under way
    response = client.get(url)
    assert response.status_code in (404, 405)
    page = response.get_data(as_text=True)
    assert check_page(page).endswith(" – Przekaż opinię")  # "Give feedback", in Polish
    assert 'lang="pl"' in page and 'href="/exit"' in page
    assert "My Met Service" not in page and "Sign out" not in page


@pytest.mark.parametrize("url", ["/feedbackx", "/rx", "/officer/nothing"])
def test_addresses_that_only_look_like_victim_paths_get_the_staff_page(client, url):
    page = client.get(url).get_data(as_text=True)
    assert check_page(page) == "Page not found – My Met Service"


@pytest.mark.parametrize("table", ["sessions", "links", "held_responses"])
def test_a_storage_fault_on_a_victim_page_is_a_calm_503_that_keeps_the_quick_exit(
        client, make_link, db, table):
    """The database's schema or rights changed under the service (a table gone, as
    when its rights are revoked): on either engine, pressing Send gets a calm 503 in
    the victim's layout, with "Leave this site", and nothing is lost or half-stored."""
    link, path = make_link()
    client.get(path)
    page = client.get("/feedback").get_data(as_text=True)
    db.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        response = client.post("/feedback", data={**AT_REPORT_ANSWERS,
                                                   "csrf_token": csrf_token(page)})
    finally:
        db.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert 'class="victim"' in text and "Leave this site" in text
    assert "Traceback" not in text and table not in text
    assert check_page(text).startswith("Sorry, there is a problem with the service")
    # Nothing went half-way: the link is unused and the survey can be sent now.
    assert not store.fetch_link(db, link["id"])["used"]
    assert stored_responses(db) == []
    retry = client.post("/feedback", data={**AT_REPORT_ANSWERS,
                                           "csrf_token": csrf_token(page)})
    assert retry.status_code == 303
    assert len(stored_responses(db)) == 1
