"""Responses are compressed by the app (brotli when asked, else gzip); static files
are compressed once and never served stale; CSRF tokens are masked afresh in every
response so compression cannot leak them (BREACH); robots.txt keeps search engines out."""

import gzip
import os
import re
from pathlib import Path

import brotli
import pytest

from feedback.web.compression import Compress, choose_encoding
from feedback.web.csrf_mask import mask, unmask
from tests.conftest import AT_REPORT_ANSWERS
from tests.pages import csrf_token
from tests.stored import stored_responses

STATIC = Path(__file__).resolve().parents[2] / "static"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.mark.parametrize("header, expected", [
    ("gzip, deflate, br, zstd", "br"),
    ("gzip, deflate", "gzip"),
    ("br;q=0, gzip", "gzip"),
    ("gzip;q=0", None),
    ("identity", None),
    ("", None),
    (None, None),
    ("*", "br"),
    ("*, br;q=0", "gzip"),
    ("GZIP;q=0.5", "gzip"),
    ("br;q=nonsense, gzip", "gzip"),
])
def test_the_encoding_follows_what_the_browser_accepts(header, expected):
    assert choose_encoding(header) == expected


def open_survey(client, make_link):
    _, path = make_link()
    client.get(path)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_the_survey_page_is_compressed_when_the_browser_asks(client, make_link, encoding):
    open_survey(client, make_link)
    plain = client.get("/feedback")
    packed = client.get("/feedback", headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers[
        "Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 3
    page = DECODE[encoding](packed.data).decode()
    token = csrf_token(page)
    assert page.replace(token, "") == plain.get_data(as_text=True).replace(
        csrf_token(plain.get_data(as_text=True)), "")
    assert packed.headers["Cache-Control"] == "no-store"  # the other headers are all still there


@pytest.mark.parametrize("name", ["app.css", "exit.js"])
def test_static_files_are_served_precompressed_at_the_best_level(client, name):
    response = client.get(f"/static/{name}", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.data == brotli.compress((STATIC / name).read_bytes(), quality=11)
    assert response.headers["ETag"].startswith('W/"')
    assert "Accept-Ranges" not in response.headers
    gzipped = client.get(f"/static/{name}", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(gzipped.data) == (STATIC / name).read_bytes()


def static_app(folder):
    """The smallest WSGI app that serves folder's files as /static/NAME."""
    def serve(environ, start_response):
        path = folder / environ["PATH_INFO"].removeprefix("/static/")
        data = path.read_bytes()
        start_response("200 OK", [("Content-Type", "text/css; charset=utf-8"),
                                  ("Content-Length", str(len(data)))])
        return [data]
    return serve


def fetch(app, path, encoding="br"):
    status_and_headers = []
    body = app({"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_ACCEPT_ENCODING": encoding},
               lambda status, headers, exc_info=None: status_and_headers.append(headers))
    return dict(status_and_headers[0]), b"".join(body)


def test_an_edited_static_file_is_never_served_from_a_stale_compressed_copy(tmp_path):
    css = tmp_path / "site.css"
    css.write_text("body { color: black; }\n" * 40)
    app = Compress(static_app(tmp_path), tmp_path)
    assert app.static.is_compressed("site.css")  # compressed when the app started
    headers, body = fetch(app, "/static/site.css")
    assert headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == css.read_bytes()

    css.write_text("body { color: navy; }\n" * 40)
    modified = css.stat().st_mtime_ns + 10_000_000  # as if edited 10 ms later
    os.utime(css, ns=(modified, modified))
    _, body = fetch(app, "/static/site.css")
    assert brotli.decompress(body) == css.read_bytes()
    _, body = fetch(app, "/static/site.css", "gzip")
    assert gzip.decompress(body) == css.read_bytes()


def test_small_head_and_empty_responses_are_left_as_they_are(client):
    for response in (client.get("/favicon.ico", headers={"Accept-Encoding": "br"}),
                     client.get("/healthz", headers={"Accept-Encoding": "br"}),
                     client.head("/sign-in", headers={"Accept-Encoding": "br"})):
        assert "Content-Encoding" not in response.headers


def test_a_streamed_response_passes_through_as_it_is_made(tmp_path):
    # A CSV export is streamed row by row, with no length: it is not held back.
    def rows():
        yield b"a,b\n"
        yield b"1,2\n" * 500

    def stream(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return rows()

    headers, body = fetch(Compress(stream, tmp_path), "/export.csv")
    assert "Content-Encoding" not in headers
    assert body == b"a,b\n" + b"1,2\n" * 500


def test_robots_are_asked_to_stay_away_from_every_page(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "User-agent: *\nDisallow: /\n"


# BREACH ------------------------------------------------------------------------

def test_a_masked_token_unmasks_to_the_token_and_garbage_to_nothing():
    token = "IjdmNDRhMjEi.ZxYzAb.c2lnbmF0dXJl"
    masked = {mask(token) for _ in range(20)}
    assert len(masked) == 20 and all("." not in value for value in masked)
    assert {unmask(value) for value in masked} == {token}
    assert unmask(token) == token  # a plain token still works
    assert unmask("not+base64!") == "" and unmask("") == "" and unmask("YWJj") == ""


def test_the_csrf_token_differs_in_every_response_even_beside_text_from_the_address(
        client, make_link):
    open_survey(client, make_link)
    guesses = [client.get(f"/feedback/{guess}").get_data(as_text=True)
               for guess in ("csrf_token=Ij", "csrf_token=Ik", "csrf_token=Ij")]
    tokens = [csrf_token(page) for page in guesses]
    assert all("/feedback/csrf_token=Ij" in page for page in guesses[::2])  # reflected...
    assert len(set(tokens)) == 3  # ...but the secret beside it never repeats
    surveys = [client.get("/feedback").get_data(as_text=True) for _ in range(3)]
    assert len({csrf_token(page) for page in surveys}) == 3
    assert len({signed_value(unmask(csrf_token(page))) for page in surveys + guesses}) == 1


def test_every_masked_token_is_accepted_and_a_wrong_one_refused(app, make_link, db):
    client = app.test_client()
    open_survey(client, make_link)
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    forged = mask("IjAwMDAwMDAwMDAi.ZxYzAb.c2lnbmF0dXJl")
    assert client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": forged}
                       ).status_code == 400
    assert client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token}
                       ).status_code == 303
    assert len(stored_responses(db)) == 1


def signed_value(token):
    """What a CSRF token signs (the session's secret), without the signing time:
    two pages a second apart carry different timestamps (seen at a second's turn)."""
    value, _timestamp, _signature = token.rsplit(".", 2)
    return value


def test_staff_pages_carry_masked_tokens_too(signed_in_officer):
    pages = [signed_in_officer.get("/officer/links").get_data(as_text=True) for _ in range(2)]
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert signed_value(unmask(tokens[0])) == signed_value(unmask(tokens[1]))
