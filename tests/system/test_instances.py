"""Two instances of the service (two gunicorn process groups on different ports) on
one database, as a force runs it for availability: whatever one instance does,
the other sees. In the PostgreSQL run they share PostgreSQL and Redis; in the
SQLite run, one file."""

import threading
from datetime import timedelta

import pytest
import requests

from feedback.adapters import store
from feedback.domain import clock
from feedback.web.db import open_db
from tests.conftest import AT_REPORT_ANSWERS, PASSWORD
from tests.pages import csrf_token
from tests.stored import stored_responses

pytestmark = pytest.mark.slow  # two gunicorn instances

PARALLEL = 50


@pytest.fixture
def instances(gunicorn_server):
    # 50 people behind one address, as in an office: the limits are not the point
    # of these tests, except where a test sets its own.
    def start(**settings):
        limits = {"RATE_LIMIT_SURVEY_POST": "1000/10", "RATE_LIMIT_LINK_OPEN": "1000/10",
                  **settings}
        return gunicorn_server(**limits), gunicorn_server(**limits)
    return start


def open_link(session, base, path):
    assert session.get(base + path, allow_redirects=False, timeout=30).status_code == 303
    return csrf_token(session.get(base + "/feedback", timeout=30).text)


def test_a_link_opened_on_one_instance_is_answered_on_the_other(instances, make_link, db):
    first, second = instances()
    link, path = make_link()
    victim = requests.Session()
    token = open_link(victim, first, path)
    answered = victim.post(second + "/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token},
                           allow_redirects=False, timeout=30)
    assert answered.status_code == 303
    assert answered.headers["Location"].endswith("/feedback/thanks")
    assert "Thank you" in victim.get(first + "/feedback/thanks", timeout=30).text
    [row] = db.query("SELECT used FROM links WHERE id = ?", [link["id"]])
    assert row["used"] == 1
    [stored] = stored_responses(db)
    assert (stored["stage"], stored["team"]) == ("at_report", "Response Team 1")


def test_fifty_parallel_submissions_across_both_store_exactly_one(instances, make_link, db):
    bases = instances()
    link, path = make_link()
    sessions, tokens = [], []
    for index in range(PARALLEL):
        session = requests.Session()
        tokens.append(open_link(session, bases[index % 2], path))
        sessions.append(session)
    barrier = threading.Barrier(PARALLEL)
    statuses = [None] * PARALLEL

    def submit(index):
        barrier.wait()
        # Each submits on the instance it did not open the link on.
        statuses[index] = sessions[index].post(
            bases[(index + 1) % 2] + "/feedback",
            data={**AT_REPORT_ANSWERS, "csrf_token": tokens[index]},
            allow_redirects=False, timeout=60).status_code

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303] + [410] * (PARALLEL - 1)
    assert len(stored_responses(db)) == 1
    assert next(db.query("SELECT used FROM links WHERE id = ?", [link["id"]]))["used"] == 1


def sign_in(base, email):
    session = requests.Session()
    token = csrf_token(session.get(base + "/sign-in", timeout=30).text)
    signed_in = session.post(base + "/sign-in", data={
        "email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False, timeout=30)
    assert signed_in.status_code == 303
    return session


def test_signing_out_on_one_instance_ends_the_session_on_the_other(instances, officer):
    first, second = instances()
    staff = sign_in(first, officer["email"])
    assert staff.get(second + "/officer/links", allow_redirects=False, timeout=10
                     ).status_code == 200
    page = staff.get(first + "/officer/links", timeout=30).text
    stolen = dict(staff.cookies)  # a copy of the cookie, as someone might have taken
    signed_out = staff.post(first + "/sign-out", data={"csrf_token": csrf_token(page)},
                            allow_redirects=False, timeout=30)
    assert signed_out.status_code == 303
    copy = requests.Session()
    copy.cookies.update(stolen)
    refused = copy.get(second + "/officer/links", allow_redirects=False, timeout=30)
    assert refused.status_code == 302
    assert "/sign-in" in refused.headers["Location"]


def test_rate_limits_count_requests_to_both_instances(instances):
    first, second = instances(RATE_LIMIT_LINK_OPEN="4/600")
    statuses = [requests.get(base + "/r/not-a-real-link", allow_redirects=False,
                             timeout=30).status_code
                for base in (first, second, first, second, first, second)]
    # Four tries in all, from one address, whichever instance answered them.
    assert statuses == [404, 404, 404, 404, 429, 429]


def test_parallel_sends_on_separate_connections_never_pass_the_limit(app, db, make_link,
                                                                     officer):
    """What two instances sending for one officer at once come down to: separate
    connections reserving sends together. The limit is 5; 20 try at once."""
    link, _ = make_link()
    now = clock.now()
    since = (now - timedelta(hours=1)).isoformat()
    barrier = threading.Barrier(20, timeout=60)
    reserved = []

    def send(n):
        barrier.wait()
        with open_db(app.config) as own:  # PostgreSQL: 20 threads share the pool's 5
            reserved.append(store.reserve_send(own, f"reference-{n}", link["id"],
                                               officer["id"], "sms", now, since, 5))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(reserved) == [False] * 15 + [True] * 5
    assert next(db.query("SELECT count(*) AS n FROM deliveries"))["n"] == 5
