"""50 people (or tabs) submitting one link at the same moment store exactly one response."""

import threading

import pytest
import requests

from tests.conftest import AT_REPORT_ANSWERS
from tests.pages import csrf_token
from tests.stored import stored_responses

PARALLEL = 50


@pytest.fixture
def app(make_app):
    # 50 people behind one address, as in an office: this test is about single
    # use, not the per-address throttle (tests/adapters/test_ratelimit.py covers that).
    return make_app(RATE_LIMIT_SURVEY_POST="1000/10", RATE_LIMIT_LINK_OPEN="1000/10")


@pytest.mark.slow  # fifty threads
def test_fifty_parallel_submissions_of_one_link_store_exactly_one(live_server, make_link, db):
    link, path = make_link()
    sessions, tokens = [], []
    for _ in range(PARALLEL):
        session = requests.Session()
        assert session.get(live_server + path, allow_redirects=False, timeout=10
                           ).status_code == 303
        tokens.append(csrf_token(session.get(live_server + "/feedback", timeout=10).text))
        sessions.append(session)

    barrier = threading.Barrier(PARALLEL)
    results = [None] * PARALLEL

    def submit(index):
        barrier.wait()
        response = sessions[index].post(
            live_server + "/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": tokens[index]},
            allow_redirects=False, timeout=30)
        results[index] = (response.status_code, response.text)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in results)
    assert statuses == [303] + [410] * (PARALLEL - 1)
    assert all("You have already told us, thank you" in text
               for status, text in results if status == 410)
    assert len(stored_responses(db)) == 1
    assert next(db.query("SELECT used FROM links WHERE id = ?", [link["id"]]))["used"] == 1
