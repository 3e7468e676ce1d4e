"""The victim's journey: link -> survey -> thank you, and every stale link."""

import json
import re
from datetime import timedelta

import pytest

from feedback.adapters import store
from feedback.domain import clock
from feedback.domain.categories import CATEGORIES
from tests.conftest import AT_REPORT_ANSWERS, submit_survey
from tests.pages import check_page, csrf_token
from tests.stored import stored_responses


def responses(db):
    return stored_responses(db)


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
    week = clock.now().date().isocalendar()
    assert {k: v for k, v in row.items() if k not in ("answers", "free_text", "id")} == {
        "survey_id": "at-report", "survey_version": 1, "stage": "at_report",
        "team": "CID Camden", "borough": "Camden", "crime_category": "domestic_abuse",
        "channel": "qr", "language": "en", "week": f"{week[0]}-W{week[1]:02d}"}
    assert len(row["id"]) == 32 and row["id"] != link["id"]
    assert store.fetch_link(db, link["id"])["used"] == 1


SUPPORT_IN_ORDER = ("Victim Support", "National Domestic Abuse Helpline",
                    "Rape and Sexual Abuse Support Line", "National Stalking Helpline",
                    "True Vision", "Report Fraud")


def thank_you_page(client, make_link, category):
    _, path = make_link(crime_category=category)
    assert submit_survey(client, path, AT_REPORT_ANSWERS).status_code == 303
    page = client.get("/feedback/thanks").get_data(as_text=True)
    check_page(page)
    return re.sub(r'name="csrf_token" value="[^"]+"', "", page)


def test_the_thank_you_page_is_the_same_whatever_the_crime_category(app, make_link):
    # Someone looking at the screen must learn nothing about the crime from it.
    pages = {category.code: thank_you_page(app.test_client(), make_link, category.code)
             for category in CATEGORIES}
    assert len(set(pages.values())) == 1, "the page differs between categories"
    page = pages["domestic_abuse"]
    positions = [page.index(f">{name}</h3>") for name in SUPPORT_IN_ORDER]
    assert positions == sorted(positions)
    for text in ("Victims’ Code", "How to make a complaint", "In an emergency call 999",
                 "Everyone who answers sees this same list"):
        assert text in page
    for label in (category.label for category in CATEGORIES):
        assert f">{label}<" not in page


def test_only_the_overall_rating_must_be_answered_and_the_rest_say_optional(
        client, make_link, db):
    _, path = make_link()
    response = submit_survey(client, path, {})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert check_page(page).startswith("Error: ")
    assert re.findall(r'<li><a href="#(\w+)">([^<]+)</a></li>', page) == [
        ("overall", "Select how satisfied you are overall")]
    legends = re.findall(r'<legend class="[^"]*">([^<]+)</legend>', page)
    assert legends == [
        "How satisfied are you with how easy it was to contact us? (optional)",
        "Did you understand what the officer told you? (optional)",
        "How satisfied are you with how fairly and respectfully you were treated? (optional)",
        "Did the officer tell you about support services, like Victim Support? (optional)",
        "Overall, how satisfied are you with the service you had from us?"]
    assert "Is there anything else you want to tell us? (optional)" in page
    assert responses(db) == []


def test_a_survey_with_only_the_overall_rating_is_stored(client, make_link, db):
    _, path = make_link()
    response = submit_survey(client, path, {"overall": "neither"})
    assert response.status_code == 303
    [row] = responses(db)
    assert json.loads(row["answers"]) == {"overall": "neither"}
    assert json.loads(row["free_text"]) == {}


def test_missing_overall_rating_keeps_the_answers_given_and_links_to_the_question(
        client, make_link, db):
    _, path = make_link()
    response = submit_survey(client, path, {"ease_of_contact": "very_satisfied"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<a href="#overall">Select how satisfied you are overall</a>' in page
    assert 'id="overall"' in page
    assert 'value="very_satisfied" checked' in page  # the answer given is kept
    assert responses(db) == []


def test_each_refused_answer_has_its_own_message(client, make_link, db):
    _, path = make_link()
    junk = {question: "made_up" for question in AT_REPORT_ANSWERS}
    page = submit_survey(client, path, junk).get_data(as_text=True)
    messages = re.findall(r'<li><a href="#\w+">([^<]+)</a></li>', page)
    assert len(messages) == len(AT_REPORT_ANSWERS) == len(set(messages))
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
    past = (clock.now() - timedelta(seconds=1)).isoformat()
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


@pytest.mark.parametrize("language", ["en", "pl", "ro", "ar"])
def test_beside_every_comment_box_it_says_nobody_replies_and_to_call_999(
        client, make_link, language):
    """A comment such as "my husband hits me" reaches trainers, weeks later, and
    nobody else: said before anything is sent, in the person's language."""
    from flask_babel import force_locale, gettext
    _, path = make_link(language=language)
    client.get(path)
    page = client.get("/feedback").get_data(as_text=True)
    with client.application.test_request_context(), force_locale(language):
        said = [gettext("Nobody reads these answers straight away, and nobody can reply to"
                        " them."), gettext("If you are in danger now, call 999.")]
    if language != "en":
        assert said[0] != "Nobody reads these answers straight away, and nobody can reply to them."
    comment_box = page.index('<textarea')
    for text in said:  # after the box, inside the survey's form
        assert comment_box < page.index(text) < page.index("</form>", comment_box)
    assert 'href="tel:999"' in page and 'href="tel:08082000247"' in page


def test_the_thank_you_page_needs_a_finished_survey_in_this_session(client, make_link):
    # Typed in, or Back after leaving: the neutral page, without the helplines.
    for before in ([], ["/exit"]):
        for address in before:
            client.get(address)
        response = client.get("/feedback/thanks")
        page = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "You need to start again" in page and "Helpline" not in page


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


def test_back_after_submitting_says_thank_you_not_an_error(client, make_link, db):
    _, path = make_link()
    client.get(path)
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
    back = client.get("/feedback")  # what Back does: the survey address again
    assert back.status_code == 200
    assert check_page(back.get_data(as_text=True)) == (
        "You have already told us, thank you – Give feedback")
    again = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
    # The old form sent again goes to the thank-you page: no "timed out", no error.
    assert (again.status_code, again.headers["Location"]) == (303, "/feedback/thanks")
    page = client.get("/feedback/thanks").get_data(as_text=True)
    assert "Thank you" in page and "timed out" not in page
    assert len(responses(db)) == 1


def test_a_form_sent_after_the_session_ended_says_how_to_start_again(client, make_link, db):
    _, path = make_link()
    client.get(path)
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    db.execute("DELETE FROM sessions")  # as after 30 idle minutes
    response = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": token})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert check_page(page) == "You need to start again – Give feedback"
    assert "open the link you were sent again" in page
    assert "Leave this site’" not in page and "timed out" not in page
    assert responses(db) == []


def test_after_submitting_the_session_holds_only_what_the_thank_you_page_needs(
        client, make_link, db):
    link, path = make_link(crime_category="sexual_offence")
    client.get(path)
    opened_row = next(db.query("SELECT id_hash FROM sessions"))["id_hash"]
    submit_survey(client, path, AT_REPORT_ANSWERS)
    rows = list(db.query("SELECT id_hash, data FROM sessions"))
    assert len(rows) == 1 and rows[0]["id_hash"] != opened_row  # a new session
    data = json.loads(rows[0]["data"])
    # The CSRF token stays, so a second tap of Send still reaches the thank-you page.
    assert data.pop("csrf_token")
    assert data == {"answered": True, "lang": "en"}
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


def test_a_head_request_for_the_survey_is_answered_like_a_get_and_stores_nothing(
        client, make_link, db):
    """A HEAD (a link checker, a proxy, a phone's preview) is a GET without its body:
    it never goes down the path that sends answers."""
    link, path = make_link()
    client.get(path)
    head = client.head("/feedback")
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Cache-Control"] == "no-store"
    assert responses(db) == []
    assert store.fetch_link(db, link["id"])["used"] == 0
    # The survey is still there to answer.
    assert client.get("/feedback").status_code == 200


def test_a_head_request_for_the_code_page_is_no_try_of_a_code(client):
    head = client.head("/code")
    assert head.status_code == 200 and head.get_data() == b""


@pytest.mark.parametrize("shortcut", [True, False], ids=["shortcut", "flask"])
def test_a_survey_open_when_the_secret_key_is_rotated_is_still_sent_after_a_reload(
        app, make_link, db, shortcut):
    """A session keeps its signed CSRF token (signing costs as much as the rest of the
    page); after SECRET_KEY is rotated, a reload must give a token the new key accepts,
    whichever path answers it (web/survey_shortcut.py or the view)."""
    app.extensions["survey_shortcut"].on = shortcut
    client = app.test_client()
    link, path = make_link()
    client.get(path)
    client.get("/feedback")
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "a-brand-new-secret-key-after-rotation-0123456789"
    page = client.get("/feedback").get_data(as_text=True)
    sent = client.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": csrf_token(page)})
    assert sent.status_code == 303
    assert store.fetch_link(db, link["id"])["used"] == 1
