"""With REDIS_URL set, rate-limit counters and staff sessions are shared by every
instance through Redis; with Redis down victims are still served, sign-in and
staff pages refuse calmly and /healthz says so (issue 9).

Against the real Redis on 127.0.0.1:6379, each test under its own key prefix;
"down" is a port on 127.0.0.1 that nothing listens on."""

import logging
import socket
import threading

import pytest
import redis

from feedback import create_app
from feedback.adapters import ratelimit, store
from feedback.domain import accounts
from tests.conftest import AT_REPORT_ANSWERS, submit_survey
from tests.pages import check_page, csrf_token, sign_in
from tests.redis_server import REDIS, fresh_prefix
from tests.stored import stored_responses

VICTIM = "203.0.113.45"  # the address victims' requests come from here


@pytest.fixture
def redis_env(request):
    return {"REDIS_URL": REDIS, "REDIS_KEY_PREFIX": fresh_prefix(request)}


@pytest.fixture
def keys(redis_env):
    """keys() -> the test's keys now in Redis."""
    client = redis.Redis.from_url(REDIS, decode_responses=True)
    yield lambda: sorted(client.scan_iter(match=redis_env["REDIS_KEY_PREFIX"] + "*"))
    client.close()


@pytest.fixture
def down_port():
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


@pytest.fixture
def down_env(down_port):
    """Settings for a Redis that is down, with a password in the URL that must
    never reach a log."""
    return {"REDIS_URL": f"redis://:hunter2-secret@127.0.0.1:{down_port}/0",
            "REDIS_KEY_PREFIX": "down:"}


def second_app():
    """Another instance: the environment the last make_app() set, the same database."""
    return create_app({"SESSION_COOKIE_SECURE": False})


def rows(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


# Rate limits


def redis_counters(env):
    return ratelimit.RedisCounters(ratelimit.open_redis(env["REDIS_URL"]),
                                   env["REDIS_KEY_PREFIX"])


def test_sign_in_limits_hold_across_two_instances_on_one_redis(
        make_app, make_user, db, redis_env, keys):
    first = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="4/15", **redis_env)
    second = second_app()
    officer = make_user("officer@example.com")
    clients = [first.test_client(), second.test_client()]
    statuses = [sign_in(clients[n % 2], officer["email"], "wrong password here").status_code
                for n in range(6)]
    assert statuses == [400] * 4 + [429] * 2
    assert rows(db, "rate_limits") == 0  # counted in Redis, not the database
    stored = keys()
    assert stored and all(key.startswith(redis_env["REDIS_KEY_PREFIX"] + "rate:")
                          for key in stored)
    assert not any("198.51.100" in key or "officer@" in key for key in stored)


def test_a_counter_expires_two_windows_after_the_window_it_counts(redis_env, keys):
    counters = redis_counters(redis_env)
    limits = ratelimit.Limiter(counters, {"tries": ratelimit.Rule(5, 60)}, "a secret",
                               lambda: 6010)  # 10 s into the window starting at 6000
    limits.hit("tries", "k")
    (key,) = keys()
    assert key.endswith(":6000")
    assert 120 - 10 - 2 <= redis.Redis.from_url(REDIS).ttl(key) <= 120 - 10


def test_parallel_hits_from_two_instances_never_pass_the_limit(redis_env):
    rule = {"tries": ratelimit.Rule(25, 600)}
    limiters = [ratelimit.Limiter(redis_counters(redis_env), rule, "a secret")
                for _ in range(2)]
    allowed, start = [], threading.Barrier(16)

    def hammer(n):
        start.wait()
        for _ in range(10):
            try:
                limiters[n % 2].hit("tries", "203.0.113.9")
                allowed.append(1)
            except ratelimit.RateLimited:
                pass

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 25  # of 160


# Staff sessions


def signed_in_cookie(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 303
    return client, client.get_cookie("session").value


def with_cookie(app, value):
    client = app.test_client()
    client.set_cookie("session", value)
    return client


def test_a_sign_out_on_one_instance_ends_the_session_on_another(
        make_app, make_user, db, redis_env, keys):
    first = make_app(**redis_env)
    second = second_app()
    officer = make_user("officer@example.com")
    client, cookie = signed_in_cookie(first, officer["email"])
    elsewhere = with_cookie(second, cookie)
    assert elsewhere.get("/officer/links").status_code == 200  # the same session, shared
    assert rows(db, "sessions") == 0  # in Redis, not the database
    assert any(":session:" in key for key in keys())

    token = csrf_token(client.get("/officer/links").get_data(as_text=True))
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    refused = elsewhere.get("/officer/links")
    assert refused.status_code == 302 and "/sign-in" in refused.headers["Location"]
    assert not any(":session:" in key for key in keys())


def test_a_disabled_account_is_signed_out_on_every_instance(
        make_app, make_user, db, redis_env, keys):
    first = make_app(**redis_env)
    second = second_app()
    officer = make_user("officer@example.com")
    _, cookie = signed_in_cookie(first, officer["email"])
    store.set_disabled(db, officer["id"], True)
    refused = with_cookie(second, cookie).get("/officer/links")
    assert refused.status_code == 302 and "/sign-in" in refused.headers["Location"]
    assert not any(":session:" in key for key in keys())  # ended for the first too
    assert with_cookie(first, cookie).get("/officer/links").status_code == 302


def test_a_staff_session_in_redis_lasts_the_idle_lifetime(
        make_app, make_user, redis_env, keys):
    app = make_app(SESSION_IDLE_MINUTES="20", **redis_env)
    signed_in_cookie(app, make_user("officer@example.com")["email"])
    (key,) = [key for key in keys() if ":session:" in key]
    assert 20 * 60 - 5 <= redis.Redis.from_url(REDIS).ttl(key) <= 20 * 60


def test_survey_sessions_stay_in_the_database_with_redis_set(
        make_app, make_link, db, redis_env, keys):
    app = make_app(**redis_env)
    _, path = make_link()
    assert submit_survey(app.test_client(), path, AT_REPORT_ANSWERS).status_code == 303
    assert len(stored_responses(db)) == 1
    assert rows(db, "sessions") == 1
    assert not any(":session:" in key for key in keys())


# Redis down


def test_with_redis_down_a_victim_opens_the_link_and_the_answers_are_stored(
        make_app, make_link, db, down_env, down_port, caplog):
    app = make_app(RATE_LIMIT_LINK_OPEN="3/10", **down_env)
    _, path = make_link()
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = VICTIM
    with caplog.at_level(logging.WARNING):
        opened = [client.get("/r/not-a-link").status_code for _ in range(2)]
        response = submit_survey(client, path, AT_REPORT_ANSWERS)  # the third opening
        # The limit still holds, counted in this process while Redis is away.
        past_the_limit = client.get("/r/not-a-link").status_code
    assert opened == [404] * 2
    assert response.status_code == 303
    assert len(stored_responses(db)) == 1
    assert past_the_limit == 429
    assert "link_open not shared" in caplog.text and "survey_post not shared" in caplog.text
    assert "counted in this process" in caplog.text
    for secret in (VICTIM, "127.0.0.1", down_port, "hunter2"):
        assert secret not in caplog.text


def test_with_redis_down_a_typed_code_is_still_checked(make_app, down_env):
    app = make_app(**down_env)
    client = app.test_client()
    token = csrf_token(client.get("/code").get_data(as_text=True))
    response = client.post("/code", data={"code": "AB12C-D34EF", "csrf_token": token})
    assert response.status_code == 400  # the page's own answer to an unknown code
    assert "We could not find that code" in response.get_data(as_text=True)


def test_with_redis_down_guessing_codes_is_still_limited(make_app, down_env):
    """Where guessing pays: before, 15 of 15 guesses from one address were checked
    with Redis down, against 10 an hour."""
    app = make_app(**down_env)
    assert app.config["RATE_LIMIT_SURVEY_CODE"] == (10, 3600)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = VICTIM
    token = csrf_token(client.get("/code").get_data(as_text=True))
    answers = [client.post("/code", data={"code": f"AB12C-D34E{n % 10}",
                                          "csrf_token": token}).status_code
               for n in range(15)]
    assert answers == [400] * 10 + [429] * 5


def test_with_redis_down_sign_in_is_refused_calmly_before_any_password_check(
        make_app, make_user, down_env, down_port, caplog, monkeypatch):
    app = make_app(**down_env)
    officer = make_user("officer@example.com")
    checked = []
    monkeypatch.setattr(accounts, "verify_password", lambda *args: checked.append(args))
    with caplog.at_level(logging.WARNING):
        refused = sign_in(app.test_client(), officer["email"])
    assert refused.status_code == 503
    assert checked == []
    page = refused.get_data(as_text=True)
    assert check_page(page) == "Signing in is not available at the moment – My Met Service"
    assert "Try again in a few minutes." in page
    assert "sign_in_address not shared (ConnectionError): refused" in caplog.text
    for secret in ("198.51.100.1", officer["email"], "127.0.0.1", down_port, "hunter2"):
        assert secret not in caplog.text


def test_with_redis_down_staff_pages_answer_503_and_keep_the_session(
        make_app, make_user, redis_env, down_env):
    officer = make_user("officer@example.com")
    up = make_app(**redis_env)
    _, cookie = signed_in_cookie(up, officer["email"])
    down = make_app(**down_env)
    response = with_cookie(down, cookie).get("/officer/links")
    assert response.status_code == 503
    assert check_page(response.get_data(as_text=True)) == (
        "Staff pages are not available at the moment – My Met Service")
    assert "Set-Cookie" not in response.headers  # not signed out by the outage
    assert with_cookie(up, cookie).get("/officer/links").status_code == 200


def test_a_sign_out_redis_cannot_record_is_a_503_not_a_sign_out(
        make_app, make_user, redis_env, down_env):
    officer = make_user("officer@example.com")
    app = make_app(**redis_env)
    client, cookie = signed_in_cookie(app, officer["email"])
    token = csrf_token(client.get("/officer/links").get_data(as_text=True))
    failing = second_app()
    staff_sessions = failing.extensions["session_stores"]["staff"]

    @failing.before_request
    def redis_falls_over():  # after the session was read, before it is deleted
        staff_sessions.client = ratelimit.open_redis(down_env["REDIS_URL"])

    response = with_cookie(failing, cookie).post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 503 and "Location" not in response.headers
    check_page(response.get_data(as_text=True))
    assert with_cookie(app, cookie).get("/officer/links").status_code == 200  # still in


# /healthz


def test_healthz_is_ok_with_redis_up(make_app, redis_env):
    response = make_app(**redis_env).test_client().get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_healthz_is_503_and_says_redis_when_redis_is_down(
        make_app, down_env, down_port, caplog):
    app = make_app(**down_env)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (
        503, {"status": "unavailable", "redis": "down"})
    assert [record.getMessage() for record in caplog.records] == [
        "health check failed: Redis ConnectionError"]
    assert down_port not in caplog.text and "hunter2" not in caplog.text
