"""Every error is a calm page with the right status: never a stack trace."""

import pytest

from tests.pages import check_page


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
