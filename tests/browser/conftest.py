"""Real-browser tests: Debian's Chromium driven by Playwright, against the app on
127.0.0.1 (port 0). One browser for the whole run; a fresh context per use.

Nothing may leave the machine: every context aborts requests to any origin but
the app's and the neutral "exit" site (a tiny local server standing in for BBC
Weather), and records every request so tests can assert where they went.
"""

import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Blueprint, abort
from playwright.sync_api import sync_playwright

from tests import local_server
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
PHONE = {"viewport": {"width": 375, "height": 667}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SURVEY_TITLE = {"en": "Tell us about our service", "ar": "أخبرنا عن خدمتنا",
                "pl": "Oceń naszą pracę", "ro": "Spuneți-ne părerea despre serviciile noastre"}
NO_SURVEY_TITLE = "You need to start again"


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class _NeutralPage(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = b"<!doctype html><title>Weather</title><h1>Weather</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_site():
    """Stands in for the neutral site quick exit lands on."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NeutralPage)
    local_server.start(server)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Error pages that no user action reaches in a browser (a 500, a 429) are still
# rendered through the real error handlers and templates by these test-only
# routes: one at a victim's address (under /feedback/), one at a staff address.
_error_pages = Blueprint("test_errors", __name__)


@_error_pages.get("/feedback/test-errors/<int:code>")
@_error_pages.get("/test-errors/<int:code>")
def error_page(code):
    if code == 500:
        raise RuntimeError("a deliberate failure")
    abort(code)


@pytest.fixture
def app(app, neutral_site):
    app.config["EXIT_URL"] = f"{neutral_site}/weather"
    app.register_blueprint(_error_pages)
    return app


@pytest.fixture
def server(app, live_server):
    app.config["BASE_URL"] = live_server  # so officers' links point at this server
    return live_server


class Requests(list):
    """Every request a context made, in order."""

    def origins(self):
        return {origin(request.url) for request in self}


@pytest.fixture
def new_context(chromium, server, neutral_site):
    """new_context(**options) -> (context, requests)."""
    contexts = []
    allowed = {server, neutral_site}

    def make(**options):
        context = chromium.new_context(**{**DESKTOP, **options})
        requests = Requests()
        context.on("request", lambda request: requests.append(request))

        def only_local(route):
            if origin(route.request.url) in allowed:
                route.continue_()
            else:
                route.abort()
        context.route("**/*", only_local)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context, requests

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(new_context):
    """new_page(**context options) -> page, its context's requests on page.requests."""
    def make(**options):
        context, requests = new_context(**options)
        page = context.new_page()
        page.requests = requests
        return page
    return make


@pytest.fixture
def signed_in_page(new_page, server, make_user):
    """A desktop page signed in as a new user of the given role."""
    def make(role="officer", email=None, **options):
        user = make_user(email or f"{role}@example.com", role=role)
        page = new_page(**options)
        page.goto(f"{server}/sign-in")
        page.fill("#email", user["email"])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/sign-in" not in page.url, "sign-in failed"
        return page
    return make


@pytest.fixture
def officer_page(new_page, server, officer):
    """A page signed in as the officer whose links make_link creates."""
    def make(**options):
        page = new_page(**options)
        page.goto(f"{server}/sign-in")
        page.fill("#email", officer["email"])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server}/officer/links")
        return page
    return make


# Things a person does ----------------------------------------------------------

def choose(page, question, value, tap=False):
    label = page.locator(f"input[name='{question}'][value='{value}'] + label")
    label.tap() if tap else label.click()


def answer(page, answers, tap=False):
    for question, value in answers.items():
        if page.locator(f"textarea[name='{question}']").count():
            page.fill(f"textarea[name='{question}']", value)
        else:
            choose(page, question, value, tap)


def send(page, tap=False):
    button = page.locator("main form button[type=submit]")
    with page.expect_navigation():
        button.tap() if tap else button.click()


# Checks --------------------------------------------------------------------------

_axe = Axe()


def assert_accessible(page, where=""):
    """Zero axe-core violations against WCAG 2.2 A and AA."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA},
                                      "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        raise AssertionError(f"{where or page.url}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in violations))


def assert_no_horizontal_scroll(page, where=""):
    sizes = page.evaluate("""() => { const e = document.scrollingElement;
        return [e.scrollWidth, e.clientWidth]; }""")
    if sizes[0] > sizes[1]:
        raise AssertionError(f"{where or page.url}: scrolls sideways {sizes}")


def assert_tables_show_all_their_columns(page, where=""):
    """No table is cut off at its right with no sign: each one fits, or scrolls in a
    region a keyboard can reach that shows a shadow where it continues."""
    found = page.evaluate("""() => [...document.querySelectorAll('main table')].map(t => {
        const wrap = t.closest('.table-wrap');
        return {fits: !wrap || wrap.scrollWidth <= wrap.clientWidth,
                region: !!wrap && wrap.tabIndex === 0 && wrap.getAttribute('role') === 'region'
                        && !!(wrap.getAttribute('aria-label')
                              || wrap.getAttribute('aria-labelledby')),
                cue: !!wrap && getComputedStyle(wrap).backgroundImage.includes('gradient'),
                caption: (t.querySelector('caption') || {}).textContent || ''}; })""")
    for table in found:
        if not table["fits"] and not (table["region"] and table["cue"]):
            raise AssertionError(f"{where or page.url}: table {table['caption']!r} is cut off")


def box(page, selector):
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def heading(page):
    return page.locator("h1").inner_text().strip()


def tab_to(page, name, presses=40):
    """Press Tab until the focused element's id or text is name, as a keyboard user
    moves through the page; fail if it is never reached."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return (e.id || e.innerText || '').trim(); }""")
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def link_path(text):
    match = re.search(r"/r/[A-Za-z0-9._-]+", text)
    assert match, "no feedback link on the page"
    return match.group(0)


def sessions(db):
    return list(db.query("SELECT id_hash FROM sessions"))
