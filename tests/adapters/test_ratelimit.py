"""Rate limits hold across workers and instances, answer a calm 429 with
Retry-After before any password hash, and keep their table small (issue 8, defect 2)."""

import threading

import pytest
import requests

from feedback import create_app
from feedback.adapters import ratelimit, store
from feedback.domain import accounts
from feedback.web.db import open_db
from tests.pages import check_page, csrf_token, sign_in
from tests.redis_server import REDIS, fresh_prefix


class Clock:
    def __init__(self, now=1_000_000_000):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def counters(tmp_path):
    db = store.connect(str(tmp_path / "limits.sqlite3"))
    store.upgrade(db)
    yield ratelimit.DatabaseCounters(lambda: db), db
    db.close()


@pytest.fixture(params=["database", "redis"])
def any_counters(request, counters):
    """Each backend, for what both must do alike."""
    if request.param == "database":
        return counters[0]
    return ratelimit.RedisCounters(ratelimit.open_redis(REDIS), fresh_prefix(request))


def limiter(counters, clock, **rules):
    rules = {name: ratelimit.Rule(*rule) for name, rule in rules.items()}
    return ratelimit.Limiter(counters, rules, "a secret", clock)


def allowed(limits, name, key):
    try:
        limits.hit(name, key)
    except ratelimit.RateLimited:
        return False
    return True


def test_a_limit_allows_its_count_then_refuses_with_the_time_to_wait(any_counters):
    clock = Clock(6000)  # the start of a 60-second window
    limits = limiter(any_counters, clock, tries=(3, 60))
    assert [allowed(limits, "tries", "k") for _ in range(4)] == [True, True, True, False]
    with pytest.raises(ratelimit.RateLimited) as refused:
        limits.hit("tries", "k")
    assert refused.value.retry_after == 120  # the full window must pass out of reach
    assert allowed(limits, "tries", "another key")


def test_no_stretch_of_one_window_ever_holds_more_than_the_limit(any_counters):
    clock = Clock(6000)
    limits = limiter(any_counters, clock, tries=(5, 60))
    allowed_at = []
    for second in range(0, 600, 3):  # one attempt every 3 seconds for 10 minutes
        clock.now = 6000 + second
        if allowed(limits, "tries", "k"):
            allowed_at.append(clock.now)
    assert allowed_at  # not simply refusing everything
    for start in allowed_at:
        assert len([t for t in allowed_at if start <= t < start + 60]) <= 5


def test_a_refund_gives_the_hit_back(any_counters):
    limits = limiter(any_counters, Clock(6000), tries=(1, 60))
    limits.hit("tries", "k")
    limits.refund("tries", "k")
    assert allowed(limits, "tries", "k")


@pytest.mark.slow  # ten thousand keys
def test_the_table_stays_small_under_many_distinct_keys(counters):
    counter, db = counters
    clock = Clock(6000)
    limits = limiter(counter, clock, tries=(5, 60), other=(5, 600))
    largest = 0
    # 25 minutes, 400 new keys a minute: 10,000 keys in all. In the 20th minute both
    # rules hold their most keys (two full windows each); later minutes check that
    # old windows keep going.
    for window in range(25):
        clock.now = 6000 + window * 60
        for key in range(400):
            limits.hit("tries", f"10.{window}.{key // 250}.{key % 250}")
        limits.hit("other", f"key {window}")
        largest = max(largest, store.count_rate_limits(db))
    # Only the keys of each rule's last two windows are ever kept: 2 x 400 for
    # "tries", and for "other" one key a minute over two 10-minute windows.
    assert largest == 2 * 400 + 20


def test_keys_are_stored_as_keyed_hashes_never_as_given(counters):
    counter, db = counters
    limiter(counter, Clock(), tries=(5, 60)).hit("tries", "203.0.113.7")
    (stored,) = db.execute("SELECT key FROM rate_limits").fetchone()
    assert "203.0.113" not in stored and len(stored) == 32


@pytest.mark.parametrize(("address", "key"), [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("", "unknown"),
])
def test_an_ipv6_client_is_one_key_for_its_whole_64(address, key):
    assert ratelimit.client_key(address) == key


@pytest.fixture
def count_hashes(monkeypatch):
    """How many argon2 verifications run: the real function, counted."""
    calls = []
    real = accounts.verify_password

    def counted(*args):
        calls.append(1)
        return real(*args)
    monkeypatch.setattr(accounts, "verify_password", counted)
    return calls


def test_a_spray_from_one_address_is_refused_with_a_calm_429_before_any_hash(
        make_app, make_user, count_hashes):
    app = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="5/15")
    client = app.test_client()
    emails = [make_user(f"officer{n}@example.com")["email"] for n in range(8)]
    statuses = [sign_in(client, email, "wrong password here").status_code for email in emails]
    assert statuses == [400] * 5 + [429] * 3
    assert len(count_hashes) == 5  # the refusals cost no hash
    refused = sign_in(client, emails[0])  # even the right password, from this address
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 30 * 60
    page = refused.get_data(as_text=True)
    assert check_page(page) == "Too many attempts – My Met Service"
    assert "Traceback" not in page
    assert sign_in(client, emails[0], address="198.51.100.2").status_code == 303


def test_successful_sign_ins_do_not_use_up_the_limit(make_app, make_user):
    app = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="3/15")
    officer = make_user("officer@example.com")
    for _ in range(6):  # a busy station behind one address
        assert sign_in(app.test_client(), officer["email"]).status_code == 303


def test_one_account_is_limited_whatever_the_address(make_app, make_user, count_hashes):
    app = make_app(RATE_LIMIT_SIGN_IN_ACCOUNT="4/15", LOCKOUT_THRESHOLD="50")
    officer = make_user("officer@example.com")
    client = app.test_client()
    statuses = [sign_in(client, officer["email"], "wrong password here",
                        address=f"198.51.100.{n}").status_code for n in range(6)]
    assert statuses == [400] * 4 + [429] * 2
    assert len(count_hashes) == 4


def test_limits_hold_across_two_instances_sharing_the_database(make_app, make_user):
    first = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="4/15")
    second = create_app({"SESSION_COOKIE_SECURE": False})  # same environment, same file
    officer = make_user("officer@example.com")
    clients = [first.test_client(), second.test_client()]
    statuses = [sign_in(clients[n % 2], officer["email"], "wrong password here").status_code
                for n in range(6)]
    assert statuses == [400] * 4 + [429] * 2


def test_opening_links_is_limited_per_address(make_app):
    app = make_app(RATE_LIMIT_LINK_OPEN="5/10")
    client = app.test_client(use_cookies=False)
    statuses = [client.get("/r/not-a-real-link").status_code for _ in range(7)]
    assert statuses == [404] * 5 + [429] * 2
    refused = client.get("/r/not-a-real-link")
    assert "Retry-After" in refused.headers
    page = refused.get_data(as_text=True)
    assert 'href="/exit"' in page  # a victim's page, with the way out
    other = client.get("/r/not-a-real-link", environ_overrides={"REMOTE_ADDR": "192.0.2.9"})
    assert other.status_code == 404


def test_survey_posts_are_limited_per_address(make_link, make_app):
    _, path = make_link()
    app = make_app(RATE_LIMIT_SURVEY_POST="3/10")  # the same database and keys
    client = app.test_client()
    client.get(path)
    csrf = csrf_token(client.get("/feedback").get_data(as_text=True))
    statuses = [client.post("/feedback", data={"csrf_token": csrf}).status_code
                for _ in range(5)]
    assert statuses == [400] * 3 + [429] * 2  # answers missing, then refused


def test_trusted_proxies_decide_which_address_is_the_clients(make_app, make_user):
    app = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="2/15", TRUSTED_PROXIES="1")
    officer = make_user("officer@example.com")
    client = app.test_client()

    def attempt(forwarded):
        token = csrf_token(client.get("/sign-in").get_data(as_text=True))
        return client.post("/sign-in", headers={"X-Forwarded-For": forwarded}, data={
            "email": officer["email"], "password": "wrong password here",
            "csrf_token": token}).status_code

    # The proxy's own address is the same each time; the client's is what it adds.
    assert [attempt("203.0.113.1") for _ in range(3)] == [400, 400, 429]
    assert attempt("203.0.113.2") == 400
    # A client cannot pick its own address by sending the header through the proxy.
    assert attempt("203.0.113.99, 203.0.113.1") == 429


def test_without_trusted_proxies_a_forwarded_header_is_ignored(make_app, make_user):
    app = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="2/15")
    officer = make_user("officer@example.com")
    client = app.test_client()
    statuses = []
    for n in range(3):
        token = csrf_token(client.get("/sign-in").get_data(as_text=True))
        statuses.append(client.post("/sign-in", headers={"X-Forwarded-For": f"203.0.113.{n}"},
                                    data={"email": officer["email"], "csrf_token": token,
                                          "password": "wrong password here"}).status_code)
    assert statuses == [400, 400, 429]


def test_password_hashes_beyond_the_cap_wait_then_get_a_calm_429(make_app, make_user):
    app = make_app(PASSWORD_HASH_CONCURRENCY="1")
    officer = make_user("officer@example.com")
    gate = app.extensions["hash_gate"]
    gate.wait_seconds = 0.2
    with gate:  # another request is hashing
        response = sign_in(app.test_client(), officer["email"])
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    # The refused attempt counted against nothing: the account signs in at once.
    assert sign_in(app.test_client(), officer["email"]).status_code == 303


def test_sixteen_parallel_sign_in_loops_under_gunicorn_are_refused_across_both_workers(
        app, make_user, gunicorn_server):
    """The adversarial test's load: 16 loops of sign-ins from one address."""
    officer = make_user("officer@example.com")
    base = gunicorn_server(RATE_LIMIT_SIGN_IN_ADDRESS="6/15")
    statuses = []

    def loop(n):
        session = requests.Session()
        for _ in range(4):
            token = csrf_token(session.get(base + "/sign-in", timeout=30).text)
            statuses.append(session.post(base + "/sign-in", allow_redirects=False, timeout=60,
                                         data={"email": officer["email"], "csrf_token": token,
                                               "password": f"wrong password {n}"}).status_code)

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Two workers, one limit: exactly six guesses were checked, every other refused.
    assert sorted(statuses) == [400] * 6 + [429] * 58
    with open_db(app.config) as db:
        assert store.count_rate_limits(db) <= 3


@pytest.mark.parametrize("value", ["30", "30/", "/15", "ten/15", "0/15", "30/0", "30/99999"])
def test_a_bad_rate_limit_setting_stops_start_up_with_a_message(tmp_path, value):
    from feedback import config
    env = {"APP_ENV": "development", "SECRET_KEY": "x" * 40, "RATE_LIMIT_LINK_OPEN": value}
    with pytest.raises(config.ConfigError, match="RATE_LIMIT_LINK_OPEN must be"):
        config.from_environment(str(tmp_path), env)
