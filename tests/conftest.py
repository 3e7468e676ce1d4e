import ast
import functools
import inspect
import itertools
import os
import re
import secrets
import tempfile
import threading
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from argon2 import PasswordHasher
from werkzeug.routing import Rule

from feedback import create_app
from feedback.adapters import store
from feedback.adapters.store import postgres
from feedback.domain import accounts, clock
from feedback.domain.links import issue_token, new_link_id
from feedback.web.db import database_target
from tests import local_server
from tests.dates import NOW
from tests.pages import PASSWORD, check_page, csrf_token
from tests.trainer_data import add_comments

# The fake email and SMS providers (and the guard that nothing leaves the machine),
# for every test module.
pytest_plugins = ["tests.fake_providers", "tests.api_client"]

AT_REPORT_ANSWERS = {
    "ease_of_contact": "very_satisfied", "understood": "yes", "treated_fairly": "fairly_satisfied",
    "told_about_support": "no", "overall": "fairly_dissatisfied",
}
# Signing in verifies an argon2 hash, at its real cost about 0.3 s of both cores
# (64 MiB, t=3, p=4), and the suite signs in thousands of times: that was about a
# quarter of its time. So tests in this process hash and verify with argon2id at its
# lowest cost, and test users are stored with such a hash; tests marked
# real_password_hashing (tests/domain/test_accounts.py) use the service's own
# parameters. A server started as a process (gunicorn) is not patched: it verifies
# the stored hashes by the parameters they carry and rehashes them at the real cost.
_CHEAP_HASHING = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_HASH = _CHEAP_HASHING.hash(PASSWORD)
_CHEAP_DUMMY_HASH = _CHEAP_HASHING.hash("not a real password, used to equalise timing")


@pytest.fixture(autouse=True)
def cheap_password_hashing(request, monkeypatch):
    if not request.node.get_closest_marker("real_password_hashing"):
        monkeypatch.setattr(accounts, "_hasher", _CHEAP_HASHING)
        monkeypatch.setattr(accounts, "_DUMMY_HASH", _CHEAP_DUMMY_HASH)


def _share_url_builders():
    """For each app, Werkzeug compiles two URL-building functions per route from an ast
    through compile(): about half the time of building an app, and the suite builds
    thousands of apps with the same routes. The function depends only on the route's
    parsed pattern and defaults (it takes the rule as its first argument), so this test
    process compiles each once and every app's rule binds the same one. Servers started
    as processes (gunicorn) compile their own as always. Rule._compile_builder is
    Werkzeug's own (3.1, pinned): if a release renames it, this fails at import."""
    compile_builder, compiled = Rule._compile_builder, {}

    def shared(rule, append_unknown=True):
        if any(dynamic and part in (rule.defaults or {}) for dynamic, part in rule._trace):
            # A default for a part of the path is built in by its converter: not shared.
            return compile_builder(rule, append_unknown)
        key = (rule.rule, rule.subdomain, rule.host, repr(rule.defaults),
               tuple(rule._trace), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]
    Rule._compile_builder = shared


_share_url_builders()


BASE_ENV = {
    # Production in every respect, except that the clock can be pinned, so that
    # servers started by a test (gunicorn) share the test's moment.
    "APP_ENV": "test",
    "CLOCK_PINNED_AT": NOW.isoformat(),
    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    "BASE_URL": "https://feedback.example.test",
    # As in development: accounts without an authenticator app sign in with their
    # password alone. tests/web/test_second_factor.py runs with "required" as well.
    "SECOND_FACTOR": "optional",
}
# Cleared so that nothing on the machine running the tests changes them.
_CLEARED = ("DATABASE_URL", "REDIS_URL", "REDIS_KEY_PREFIX", "SECRET_KEY_FALLBACKS",
            "EMAIL_BACKEND", "SMS_BACKEND", "SENDER_NAME", "TWILIO_REGION", "TWILIO_EDGE",
            "SEND_LIMIT_PER_HOUR", "EXIT_URL")


# The whole suite runs once on SQLite and Redis-less (the default), and once with
# TEST_DATABASE_URL=postgresql://... and TEST_REDIS_URL=redis://... (.ci/run does both).
# Tests of PostgreSQL itself use its server in both runs.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
POSTGRES_SERVER = TEST_DATABASE_URL or "postgresql://postgres@127.0.0.1:5432/test"
_schemas = itertools.count(1)


def pytest_configure(config):
    """Test files in memory when the machine has a memory-backed folder (Linux's
    /dev/shm), unless TMPDIR says where: each test's SQLite database is a new file whose
    migrations commit one by one, and on a disk every commit waits for fsync (about
    three quarters of a web test's time). What a commit survives is not what these
    tests are about; tests/adapters/test_durability.py kills the server, which the
    kernel's copy survives either way. Set before any temporary folder is made, here
    and in each xdist worker; servers and browsers the tests start inherit it."""
    shm = "/dev/shm"
    if "TMPDIR" not in os.environ and os.path.isdir(shm) and os.access(shm, os.W_OK):
        os.environ["TMPDIR"] = shm
        tempfile.tempdir = None  # gettempdir() reads TMPDIR again


def pytest_collection_modifyitems(items):
    """Marks derived from what a test uses, so that no new test can be left out of a
    run it needs (.ci/run selects with them):
    - slow: browser tests and tests that start gunicorn (other slow tests carry the
      mark themselves); `make test-fast` leaves them out.
    - storage: the test stores through database_settings (the app, its database, its
      Redis keys), whose engine TEST_DATABASE_URL and TEST_REDIS_URL choose; CI runs
      these on SQLite and again on PostgreSQL and Redis. Every other test behaves the
      same in both runs, so CI runs it once. Browser tests are about pages (what they
      show, axe, keyboard, 320 px, weight), which no engine changes, so they run once,
      on SQLite; a browser module that is also about storing carries the mark itself
      (the whole journey, tests/browser/test_journey.py).
    - dates: a fast test that writes dates relative to the pinned moment (its module
      imports tests/dates.py, directly or through tests/trainer_data.py) or reads or
      moves the clock itself (feedback.domain.clock, the pinned_clock fixture); CI runs these
      again at the awkward moments of the calendar. A test that races threads is left
      out: it is about the race, not the date, and under faketime's preloaded clock
      one such test crashed its Python process in CI. The races still run on both
      engines."""
    for item in items:
        if "browser" in item.path.parts or "gunicorn_server" in item.fixturenames:
            item.add_marker(pytest.mark.slow)
        if "database_settings" in item.fixturenames and "browser" not in item.path.parts:
            item.add_marker(pytest.mark.storage)
        if not item.get_closest_marker("slow") and _about_dates(item):
            item.add_marker(pytest.mark.dates)
    # Slow tests first (a stable sort: modules stay together): a run's last minutes are
    # then many short tests shared by both processes, not one long test (the snapshot
    # attack takes two to three minutes on PostgreSQL) keeping one process busy alone.
    items.sort(key=lambda item: not item.get_closest_marker("slow"))


# A module that imports one of these writes dates relative to the pinned moment.
_DATE_MODULES = {"tests.dates", "tests.trainer_data", "feedback.domain.clock"}


@functools.cache
def _module_writes_dates(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return bool(imported & _DATE_MODULES)


def _about_dates(item):
    asks_for_clock = "pinned_clock" in inspect.signature(item.function).parameters
    return (asks_for_clock or _module_writes_dates(item.path)) and not _races_threads(item)


# Calls that start threads together: tests/api_client.post_together, threading.
_RACES = re.compile(r"\bpost_together\(|\bThread\(")


def _races_threads(item):
    return bool(_RACES.search(inspect.getsource(item.function)))


class PinnedClock:
    """The service's clock, stopped at NOW for a test; advance() moves it on."""

    def __init__(self, moment):
        self.moment = moment
        clock.pin(moment)

    def now(self):
        return self.moment

    def today(self):
        return self.moment.date()

    def advance(self, **delta):
        self.set(self.moment + timedelta(**delta))

    def set(self, moment):
        self.moment = moment
        clock.pin(moment)


@pytest.fixture(autouse=True)
def pinned_clock():
    yield PinnedClock(NOW)
    clock.unpin()


@pytest.fixture(scope="session")
def postgres_run():
    """A fresh PostgreSQL database for this run, dropped at the end: (connection, URL).
    C collation: text sorts by code point, as on SQLite."""
    import psycopg
    name = f"feedback_test_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
                      " LC_COLLATE 'C' LC_CTYPE 'C'")
    url = POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url, autocommit=True) as conn:
        yield conn, url
    postgres.close_pools()
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def postgres_url(postgres_run):
    """A DATABASE_URL for a schema of this test's own in the run's database."""
    conn, url = postgres_run
    schema = f"test_{next(_schemas)}"
    conn.execute(f"CREATE SCHEMA {schema}")
    # Commits do not wait for the WAL's flush to disk (synchronous_commit off, this
    # connection only): a crash could lose the last commits, which no test is about.
    yield f"{url}?options={quote(f'-csearch_path={schema} -csynchronous_commit=off')}"
    postgres.close_pools()


@pytest.fixture
def database_settings(request, tmp_path):
    """This test's database: a SQLite file, or a schema of its own in the run's
    PostgreSQL database; and Redis keys of its own when the run uses Redis."""
    settings = {"DATABASE_PATH": str(tmp_path / "feedback.sqlite3")}
    if TEST_DATABASE_URL:
        settings["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    if TEST_REDIS_URL:
        settings["REDIS_URL"] = TEST_REDIS_URL
        settings["REDIS_KEY_PREFIX"] = f"test:{secrets.token_hex(6)}:"
    return settings  # postgres_url closes the pools it led to


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory):
    """The bytes of a SQLite file the service created and migrated, made once per test
    process. Migrating a new file takes about a third of building an app, and the
    suite builds thousands. Creating and migrating a file at start-up is tested on
    files of their own (tests/adapters/test_storage.py, test_database_faults.py)."""
    path = tmp_path_factory.mktemp("template") / "feedback.sqlite3"
    store.prepare(str(path))
    return path.read_bytes()


@pytest.fixture
def make_app(request, database_settings, monkeypatch):
    """create_app() from environment variables, as in production, on a fresh database:
    on SQLite a copy of migrated_sqlite_file, which start-up checks and finds up to
    date. A test that names DATABASE_PATH is about the SQLite file and gets one of its
    own, created by start-up if it is not there."""
    def make(**env):
        for name in _CLEARED:
            monkeypatch.delenv(name, raising=False)
        settings = {**BASE_ENV, "CLOCK_PINNED_AT": clock.now().isoformat(),
                    **database_settings, **env}
        if "DATABASE_PATH" in env:
            settings.pop("DATABASE_URL", None)
        elif "DATABASE_URL" not in settings and not os.path.exists(settings["DATABASE_PATH"]):
            # Readable by its owner alone, as start-up creates it.
            handle = os.open(settings["DATABASE_PATH"], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as file:
                file.write(request.getfixturevalue("migrated_sqlite_file"))
        for name, value in settings.items():
            monkeypatch.setenv(name, str(value))
        return create_app({"SESSION_COOKIE_SECURE": False})
    return make


@pytest.fixture
def app(make_app):
    return make_app()


def sqlite_environment():
    """This process's environment for a child process that must use a SQLite file,
    whichever engine the test run uses."""
    return {name: value for name, value in os.environ.items()
            if name not in ("DATABASE_URL", "REDIS_URL")}


@pytest.fixture
def sqlite_app(make_app, tmp_path):
    """For tests of SQLite's file itself (damage, backups, secure deletion): a file
    database in both test runs."""
    return make_app(DATABASE_PATH=str(tmp_path / "feedback.sqlite3"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    database = store.connect(database_target(app.config))
    yield database
    database.close()


@pytest.fixture
def make_user(db):
    def make(email, role="officer", team="Response Team 1", borough="Camden"):
        user_id = store.create_user(db, email, _HASH, role, team, borough, clock.now())
        return store.fetch_user(db, user_id)
    return make


class Browser:
    """The test client plus the habits of a person: follow pages, fill forms."""

    def __init__(self, client):
        self.client = client

    def get(self, url, status=200):
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        if response.mimetype == "text/html":
            check_page(response.get_data(as_text=True))
        return response

    def post_form(self, page_url, data, action=None, status=None):
        token = csrf_token(self.client.get(page_url).get_data(as_text=True))
        response = self.client.post(action or page_url, data={**data, "csrf_token": token})
        if status is not None:
            assert response.status_code == status, (page_url, response.status_code)
        if response.mimetype == "text/html":
            check_page(response.get_data(as_text=True))
        return response

    def sign_in(self, email, password=PASSWORD):
        return self.post_form("/sign-in", {"email": email, "password": password})


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def officer(make_user):
    return make_user("officer@example.com")


@pytest.fixture
def signed_in_officer(browser, officer):
    assert browser.sign_in(officer["email"]).status_code == 303
    return browser


@pytest.fixture
def live_server(app):
    with local_server.serving(app) as base:
        yield base


def store_link(app, db, officer_id, **overrides):
    """Store a link as the officer pages would; return it and its /r/ path."""
    created = clock.now().replace(microsecond=0)
    link = {"id": new_link_id(), "officer_id": officer_id, "stage": "at_report",
            "crime_category": "burglary", "team": "Response Team 1", "borough": "Camden",
            "language": "en", "channel": "qr", "created_at": created.isoformat(),
            "expires_at": (created + timedelta(days=28)).isoformat(), **overrides}
    store.create_link(db, link)
    issued_at = int(datetime.fromisoformat(link["created_at"]).timestamp())
    token = issue_token(link["id"], issued_at, [app.config["SECRET_KEY"]])
    return link, f"/r/{token}"


@pytest.fixture
def make_link(app, db, officer):
    """store_link for this test's app and officer."""
    def make(**overrides):
        return store_link(app, db, officer["id"], **overrides)
    return make


def submit_survey(client, path, answers):
    """Open the link as a victim would and submit answers; return the POST response."""
    opened = client.get(path)
    assert opened.status_code == 303, opened.status_code
    page = client.get("/feedback").get_data(as_text=True)
    return client.post("/feedback", data={**answers, "csrf_token": csrf_token(page)})


@pytest.fixture
def gunicorn_server(app):
    """start(**env) -> base URL of the app under gunicorn as the Procfile runs it
    (2 workers x 4 threads), on this test's database, with extra settings."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    servers = []

    def start(**settings):
        env = {**os.environ, "DATABASE_PATH": app.config["DATABASE_PATH"],
               "LOG_LEVEL": "WARNING", **{k: str(v) for k, v in settings.items()}}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
             "--bind", "127.0.0.1:0", "feedback:create_app({'SESSION_COOKIE_SECURE': False})"],
            env=env, stderr=subprocess.PIPE, text=True,
            cwd=Path(__file__).resolve().parent.parent)
        servers.append(server)
        for line in server.stderr:
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
            if found:
                # Keep reading, so a full pipe never blocks the server.
                threading.Thread(target=server.stderr.read, daemon=True).start()
                return found.group(1)
        raise AssertionError("gunicorn did not start")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def officer_on(make_app, make_user):
    """An app built from the given environment, with a signed-in officer and a link."""
    def start(env, **link):
        app = make_app(**env)
        db = store.connect(database_target(app.config))
        officer = store.fetch_user_by_email(db, "officer@example.com") or make_user(
            "officer@example.com")
        browser = Browser(app.test_client())
        assert browser.sign_in(officer["email"], PASSWORD).status_code == 303
        response = browser.post_form("/officer/links/new", {
            "stage": "at_report", "crime_category": link.get("crime_category", "burglary"),
            "team": "Response Team 1", "expiry_days": "28", "language": "en"}, status=303)
        link_id = response.headers["Location"].rsplit("/", 1)[1]
        assert new_link_id  # links are made by the officer pages, as in real use
        return app, browser, db, store.fetch_link(db, link_id)
    return start


@pytest.fixture
def trainer_browser(browser, make_user):
    trainer = make_user("trainer@example.com", role="trainer")
    browser.sign_in(trainer["email"])
    browser.user = trainer
    return browser


@pytest.fixture
def comments(db):
    """Responses with comments for the trainer's comments screen: see
    tests.trainer_data.add_comments."""
    return add_comments(db)
