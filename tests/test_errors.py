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
