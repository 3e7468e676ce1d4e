"""A request body over the limit is refused with 413 however it is sent, chunked
included, by the servers the service runs on (issue 8, defect 7)."""

import socket
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import PASSWORD
from tests.pages import csrf_token


def chunked_post(base, path, body, cookie):
    """POST `body` in 8 KB chunks over a raw socket; return the status code."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Transfer-Encoding: chunked\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
            .encode())
        try:
            for start in range(0, len(body), 8192):
                chunk = body[start:start + 8192]
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        status_line = connection.makefile("rb").readline()
    return int(status_line.split()[1])


def sign_in_body(base, officer, padding):
    session = requests.Session()
    token = csrf_token(session.get(base + "/sign-in", timeout=10).text)
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    body = (f"email={officer['email']}&password={PASSWORD.replace(' ', '+')}"
            f"&csrf_token={token}&padding=").encode() + b"x" * padding
    return body, cookie


@pytest.fixture(params=[pytest.param("gunicorn", marks=pytest.mark.slow), "werkzeug"])
def server(request, officer):
    if request.param == "gunicorn":
        return request.getfixturevalue("gunicorn_server")()
    return request.getfixturevalue("live_server")


def test_a_chunked_body_over_the_limit_is_refused_with_413(server, officer):
    body, cookie = sign_in_body(server, officer, 200 * 1024)
    assert chunked_post(server, "/sign-in", body, cookie) == 413


def test_a_chunked_body_within_the_limit_is_read_whole(server, officer):
    body, cookie = sign_in_body(server, officer, 1000)
    assert chunked_post(server, "/sign-in", body, cookie) == 303


def test_a_body_over_the_limit_with_a_length_is_refused_with_413(client):
    response = client.post("/sign-in", data={"padding": "x" * 100_000})
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_victim_sees_the_413_page_with_the_way_out(client):
    response = client.post("/feedback", data={"padding": "x" * 100_000})
    assert response.status_code == 413
    assert 'href="/exit"' in response.get_data(as_text=True)
