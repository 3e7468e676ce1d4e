"""The victim's journey: link -> survey -> thank you, and every stale link."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from feedback import store
from tests.conftest import AT_REPORT_ANSWERS, submit_survey
from tests.pages import check_page, csrf_token


def responses(db):
    return list(db.query("SELECT * FROM responses"))


def test_opening_a_link_moves_the_token_into_the_session_and_redirects(client, make_link, db):
    link, path = make_link()
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == "/feedback"
    assert store.fetch_link(db, link["id"])["opened"] == 1
    page = client.get("/feedback")
    assert page.status_code == 200
    assert check_page(page.get_data(as_text=True)) == "Tell us about our service – Give feedback"


@pytest.mark.parametrize("url", ["/feedback", "/feedback/thanks", "/exit"])
def test_victim_pages_are_never_cached_and_send_no_referrer(client, make_link, url):
    _, path = make_link()
    client.get(path)
    response = client.get(url)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_link_redirect_itself_is_not_cached(client, make_link):
    _, path = make_link()
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_security_headers_are_sent_on_every_page(client):
    response = client.get("/sign-in")
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_every_victim_page_has_the_leave_this_site_link(client, make_link):
    _, path = make_link()
    client.get(path)
    survey = client.get("/feedback").get_data(as_text=True)
    assert 'href="/exit"' in survey and "Leave this site" in survey
    submit_survey(client, path, AT_REPORT_ANSWERS)
    assert 'href="/exit"' in client.get("/feedback/thanks").get_data(as_text=True)
    assert 'href="/exit"' in client.get(path).get_data(as_text=True)  # already used page


def test_a_complete_survey_stores_one_anonymised_response(client, make_link, db):
    link, path = make_link(crime_category="domestic_abuse", team="CID Camden")
    response = submit_survey(client, path, {
        **AT_REPORT_ANSWERS,
        "comments": "PC Jones said email sam@example.com or call 07700 900982, ref "
                    "1234567/26, 12 High Street NW1 2DB. My name is Jane Doe."})
    assert response.status_code == 303
    assert response.headers["Location"] == "/feedback/thanks"
    [row] = responses(db)
    assert json.loads(row["answers"]) == AT_REPORT_ANSWERS
    assert json.loads(row["free_text"]) == {"comments": (
        "[name] said email [email] or call [phone number], ref [reference], "
        "[address] [postcode]. My name is [name].")}
    week = datetime.now(UTC).date().isocalendar()
    assert {k: v for k, v in row.items() if k not in ("answers", "free_text", "id")} == {
        "survey_id": "at-report", "survey_version": 1, "stage": "at_report",
        "team": "CID Camden", "borough": "Camden", "crime_category": "domestic_abuse",
        "channel": "qr", "language": "en", "week": f"{week[0]}-W{week[1]:02d}"}
    assert len(row["id"]) == 32 and row["id"] != link["id"]
    assert store.fetch_link(db, link["id"])["used"] == 1


def test_the_thank_you_page_signposts_support_for_the_crime_category(client, make_link):
    _, path = make_link(crime_category="domestic_abuse")
    submit_survey(client, path, AT_REPORT_ANSWERS)
    page = client.get("/feedback/thanks").get_data(as_text=True)
    check_page(page)
    assert "National Domestic Abuse Helpline" in page
    assert "Victim Support" in page
    assert "Victims’ Code" in page
    assert "How to make a complaint" in page
    assert "In an emergency call 999" in page
    assert "Stalking" not in page


def test_the_thank_you_page_for_burglary_does_not_mention_helplines_it_does_not_need(
        client, make_link):
    _, path = make_link(crime_category="burglary")
    submit_survey(client, path, AT_REPORT_ANSWERS)
    page = client.get("/feedback/thanks").get_data(as_text=True)
    assert "Victim Support" in page
    assert "Domestic Abuse" not in page


def test_missing_answers_show_an_error_summary_linking_to_each_question(client, make_link, db):
    _, path = make_link()
    response = submit_survey(client, path, {"overall": "very_satisfied"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    title = check_page(page)
    assert title.startswith("Error: ")
    assert '<a href="#ease_of_contact">Select how satisfied you are with how easy' in page
    assert '<a href="#understood">Select yes, no or not sure</a>' in page
    assert 'id="ease_of_contact"' in page
    assert "very_satisfied\" checked" in page  # the answer given is kept
    assert responses(db) == []


def test_an_answer_that_is_not_one_of_the_choices_is_refused(client, make_link, db):
    _, path = make_link()
    response = submit_survey(client, path, {**AT_REPORT_ANSWERS, "overall": "<script>"})
    assert response.status_code == 400
    assert "&lt;script&gt;" not in response.get_data(as_text=True)
    assert responses(db) == []


def test_free_text_over_the_limit_is_refused_with_a_message(client, make_link, db):
    _, path = make_link()
    response = submit_survey(client, path, {**AT_REPORT_ANSWERS, "comments": "x" * 501})
    assert response.status_code == 400
    assert "Your answer must be 500 characters or fewer" in response.get_data(as_text=True)
    assert responses(db) == []


def test_the_survey_without_a_csrf_token_is_refused_and_nothing_is_stored(client, make_link, db):
    _, path = make_link()
    client.get(path)
    response = client.post("/feedback", data=AT_REPORT_ANSWERS)
    assert response.status_code == 400
    check_page(response.get_data(as_text=True))
    assert responses(db) == []


def test_a_used_link_says_thank_you_already(client, make_link, db):
    _, path = make_link()
    submit_survey(client, path, AT_REPORT_ANSWERS)
    response = client.get(path)
    assert response.status_code == 410
    assert "You have already told us, thank you" in response.get_data(as_text=True)
    assert len(responses(db)) == 1


def test_submitting_twice_from_two_tabs_stores_one_response(app, make_link, db):
    _, path = make_link()
    first, second = app.test_client(), app.test_client()
    first.get(path)
    second.get(path)
    tokens = [csrf_token(c.get("/feedback").get_data(as_text=True)) for c in (first, second)]
    assert first.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": tokens[0]}
                      ).status_code == 303
    again = second.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": tokens[1]})
    assert again.status_code == 410
    assert len(responses(db)) == 1


@pytest.mark.parametrize("overrides, status, message", [
    ({"revoked": 1}, 410, "This link no longer works"),
    ({"expires_at": "2020-01-01T00:00:00+00:00"}, 410, "This link has expired"),
])
def test_stale_links_get_a_calm_page(client, make_link, db, overrides, status, message):
    link, path = make_link()
    db.execute(f"UPDATE links SET {', '.join(f'{k} = ?' for k in overrides)} WHERE id = ?",
               [*overrides.values(), link["id"]])
    response = client.get(path)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    check_page(page)
    assert message in page
    assert "Traceback" not in page


def test_a_link_revoked_after_opening_cannot_be_submitted(client, make_link, db):
    link, path = make_link()
    client.get(path)
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    db.execute("UPDATE links SET revoked = 1 WHERE id = ?", [link["id"]])
    response = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
    assert response.status_code == 410
    assert responses(db) == []


def test_a_link_that_expires_while_open_cannot_be_submitted(client, make_link, db):
    link, path = make_link()
    client.get(path)
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    db.execute("UPDATE links SET expires_at = ? WHERE id = ?", [past, link["id"]])
    response = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
    assert response.status_code == 410
    assert responses(db) == []


def test_a_valid_token_for_a_deleted_link_is_unknown(client, make_link, db):
    link, path = make_link()
    db.execute("DELETE FROM links WHERE id = ?", [link["id"]])
    assert client.get(path).status_code == 404


def test_every_single_character_change_to_a_token_is_refused_calmly(client, make_link, db):
    link, path = make_link()
    token = path.removeprefix("/r/")
    statuses = set()
    for index in range(len(token)):
        for number, replacement in enumerate("aZ0-_."):
            variant = token[:index] + replacement + token[index + 1:]
            if variant == token:
                continue
            # Each from its own address, or the per-address limit would refuse most.
            address = {"REMOTE_ADDR": f"10.{number}.{index // 250}.{index % 250}"}
            response = client.get("/r/" + variant, environ_overrides=address)
            statuses.add(response.status_code)
            if response.status_code == 303:  # an alternative spelling of the same signature
                assert client.get("/feedback").status_code == 200
                continue
            assert response.status_code == 404, variant
    assert statuses <= {303, 404}
    assert store.fetch_link(db, link["id"])["used"] == 0


@pytest.mark.parametrize("token", ["", "x" * 5000, "%00", "..", "a/b/c", "%FF%FE", "💥" * 50])
def test_junk_tokens_get_the_not_found_page(client, token):
    response = client.get("/r/" + token)
    assert response.status_code == 404
    check_page(response.get_data(as_text=True))


def test_the_survey_page_without_opening_a_link_explains_what_to_do(client):
    response = client.get("/feedback")
    assert response.status_code == 404
    assert "open the link you were sent again" in response.get_data(as_text=True)


def test_leaving_ends_the_session_and_clears_site_data(app, client, make_link, db):
    _, path = make_link()
    client.get(path)
    assert client.get("/feedback").status_code == 200
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["EXIT_URL"]
    # Not "cookies": that would sign out staff too (test_sessions.py).
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/feedback").status_code == 404
    assert list(db.query("SELECT * FROM sessions")) == []


def test_after_submitting_the_session_holds_only_what_the_thank_you_page_needs(
        client, make_link, db):
    link, path = make_link(crime_category="sexual_offence")
    client.get(path)
    opened_row = next(db.query("SELECT id_hash FROM sessions"))["id_hash"]
    submit_survey(client, path, AT_REPORT_ANSWERS)
    rows = list(db.query("SELECT id_hash, data FROM sessions"))
    assert len(rows) == 1 and rows[0]["id_hash"] != opened_row  # a new session
    data = rows[0]["data"]
    assert link["id"] not in data and "sexual_offence" not in data and "link_id" not in data
    assert "Rape and Sexual Abuse Support Line" in client.get("/feedback/thanks").get_data(
        as_text=True)


def test_the_blank_survey_page_carries_each_visitors_own_csrf_token(app, make_link, db):
    first, second = app.test_client(), app.test_client()
    pages = []
    for client in (first, second):
        _, path = make_link()
        client.get(path)
        pages.append(client.get("/feedback").get_data(as_text=True))
    tokens = [csrf_token(page) for page in pages]
    assert tokens[0] != tokens[1]
    assert "{csrf token}" not in pages[1]
    assert pages[0].replace(tokens[0], "") == pages[1].replace(tokens[1], "")
    for client, token in zip((first, second), tokens, strict=True):
        response = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
        assert response.status_code == 303
    assert len(responses(db)) == 2


def test_the_blank_survey_page_is_kept_per_language(app, client, make_link):
    _, path = make_link(language="pl")
    client.get(path)
    polish = client.get("/feedback").get_data(as_text=True)
    _, english_path = make_link()
    other = app.test_client()
    other.get(english_path)
    english = other.get("/feedback").get_data(as_text=True)
    assert 'lang="pl"' in polish and 'lang="en"' in english
    assert check_page(polish) != check_page(english)
