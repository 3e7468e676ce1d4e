"""Light and phone-first: the survey page and everything it loads fit in 30 KB
(10 KB on the wire, compressed), come only from this service, and never wait for
a script. Static files are cached for a year under names that change with their
content. scripts/page_transfer.py measures the same under gunicorn, by hand."""

import hashlib
import re
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE

BUDGET = 30 * 1024  # bytes, uncompressed: HTML + CSS + JS
TRANSFER_BUDGET = 10 * 1024  # bytes on the wire: headers and compressed bodies
STATIC = Path(__file__).resolve().parents[2] / "static"
YEAR = "public, max-age=31536000, immutable"


def load_survey(new_page, server, path):
    page = new_page(**PHONE)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    return page, responses


@pytest.mark.parametrize("stage", ["at_report", "during_investigation", "at_outcome"])
@pytest.mark.parametrize("language", ["en", "pl", "ro", "ar"])
def test_the_survey_page_weighs_under_30_kb_all_from_this_site(
        language, stage, new_page, server, make_link):
    path = make_link(language=language, stage=stage)[1]
    page, responses = load_survey(new_page, server, path)
    weights = {response.url.removeprefix(server): len(response.body())
               for response in responses if not 300 <= response.status < 400}
    assert set(weights) == {"/feedback", *(u for u in weights if u.startswith("/static/"))}
    assert {u.split("?")[0] for u in weights} == {"/feedback", "/static/app.css",
                                                  "/static/exit.js"}
    assert sum(weights.values()) <= BUDGET, weights
    assert page.requests.origins() == {server}


@pytest.mark.parametrize("stage", ["at_report", "during_investigation", "at_outcome"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_first_visit_to_the_survey_transfers_at_most_10_kb_all_compressed(
        language, stage, new_page, server, make_link):
    page = new_page(**PHONE)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(server + make_link(language=language, stage=stage)[1])
    page.wait_for_load_state("networkidle")
    sizes = {request.url.removeprefix(server).split("?")[0]: request.sizes()
             for request in finished}
    assert {"/feedback", "/static/app.css", "/static/exit.js"} <= set(sizes)
    total = sum(size["responseHeadersSize"] + size["responseBodySize"]
                for size in sizes.values())
    assert total <= TRANSFER_BUDGET, {path: (size["responseHeadersSize"],
                                             size["responseBodySize"])
                                      for path, size in sizes.items()}
    for request in finished:
        if request.response().status == 200:
            assert request.response().headers["content-encoding"] in ("br", "gzip")


def test_scripts_are_deferred_and_from_this_site(new_page, server, make_link):
    page, _ = load_survey(new_page, server, make_link()[1])
    scripts = page.eval_on_selector_all(
        "script", "els => els.map(s => [s.getAttribute('src'), s.defer, s.async])")
    assert scripts and all(src.startswith("/static/") and defer for src, defer, _ in scripts)


def test_static_files_are_cached_for_a_year_under_names_that_change_with_them(
        new_page, server, make_link, client):
    _, responses = load_survey(new_page, server, make_link()[1])
    assets = [r for r in responses if "/static/" in r.url]
    assert len(assets) == 2
    for response in assets:
        name, version = re.search(r"/static/([\w.]+)\?v=(\w+)$", response.url).groups()
        assert version == hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
        assert response.headers["cache-control"] == YEAR
    # An old or made-up version gets today's file, which must not be kept for a year.
    assert client.get("/static/app.css?v=0123456789").headers["Cache-Control"] != YEAR
    assert client.get("/static/app.css").headers["Cache-Control"] != YEAR
