"""A double tap of Send: when two posts of one survey session race, both end on
the thank-you page and one response is stored (issue 8, defect 6)."""

import threading

import requests

from feedback.adapters import store
from tests.conftest import AT_REPORT_ANSWERS
from tests.pages import csrf_token
from tests.stored import stored_responses

ROUNDS = 6


def open_survey(base, path):
    victim = requests.Session()
    assert victim.get(base + path, allow_redirects=False, timeout=10).status_code == 303
    return victim, csrf_token(victim.get(base + "/feedback", timeout=10).text)


def post_twice_at_once(base, victim, token):
    barrier, responses = threading.Barrier(2), [None, None]

    def post(index):
        barrier.wait()
        responses[index] = victim.post(base + "/feedback", allow_redirects=False, timeout=60,
                                       data={**AT_REPORT_ANSWERS, "csrf_token": token})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_both_posts_of_a_double_tap_under_gunicorn_end_on_the_thank_you_page(
        app, make_link, db, gunicorn_server):
    base = gunicorn_server()
    for _ in range(ROUNDS):
        link, path = make_link(crime_category="domestic_abuse")
        victim, token = open_survey(base, path)
        responses = post_twice_at_once(base, victim, token)
        assert [r.status_code for r in responses] == [303, 303], [r.text for r in responses]
        assert {r.headers["Location"] for r in responses} == {"/feedback/thanks"}
        thanks = victim.get(base + "/feedback/thanks", timeout=10)
        assert "National Domestic Abuse Helpline" in thanks.text
        assert store.fetch_link(db, link["id"])["used"] == 1
    assert len(stored_responses(db)) == ROUNDS


def test_a_second_post_after_the_first_was_answered_also_says_thank_you(
        client, make_link, db):
    _, path = make_link()
    client.get(path)
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    for _ in range(2):
        response = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
        assert response.status_code == 303
        assert response.headers["Location"] == "/feedback/thanks"
    assert len(stored_responses(db)) == 1


def test_the_finished_session_keeps_no_link_and_no_opening_time(client, make_link, db,
                                                                pinned_clock):
    link, path = make_link(crime_category="sexual_offence")
    client.get(path)
    opened = next(db.query("SELECT created_at FROM sessions"))["created_at"]
    pinned_clock.advance(minutes=3)  # answering takes a while
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
    (row,) = db.query("SELECT data, created_at FROM sessions")
    assert link["id"] not in row["data"] and "sexual_offence" not in row["data"]
    assert row["created_at"] > opened


def test_another_browser_that_opened_the_same_link_still_hears_it_was_used(
        app, make_link, db):
    _, path = make_link()
    first, second = app.test_client(), app.test_client()
    tokens = []
    for client in (first, second):
        client.get(path)
        tokens.append(csrf_token(client.get("/feedback").get_data(as_text=True)))
    assert first.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": tokens[0]}
                      ).status_code == 303
    late = second.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": tokens[1]})
    assert late.status_code == 410
    assert "You have already told us, thank you" in late.get_data(as_text=True)
