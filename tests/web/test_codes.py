"""A typed code for phones that cannot scan: the same survey, once, until the link
expires, with guesses limited per address."""

import re

import pytest

from feedback.adapters import store
from feedback.domain import codes
from tests.conftest import AT_REPORT_ANSWERS
from tests.officer_pages import create_link
from tests.pages import check_page, csrf_token
from tests.stored import stored_bytes, stored_responses

KEY = "k" * 48


def test_a_code_is_ten_unambiguous_characters_shown_in_two_groups():
    code = codes.derive("link-id", KEY)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", code)
    assert codes.shown(code) == f"{code[:5]}-{code[5:]}"
    assert codes.derive("link-id", KEY) == code and codes.derive("link-id", "j" * 48) != code


def test_fifty_bits_give_no_collision_in_twenty_thousand_links():
    made = {codes.derive(f"link-{n}", KEY) for n in range(20_000)}
    assert len(made) == 20_000


@pytest.mark.parametrize("typed", ["AB12C-D34EF", "ab12c d34ef", " AB12CD34EF ", "ab12c-d34ef"])
def test_a_code_reads_the_same_however_it_is_typed(typed):
    assert codes.normalise(typed) == "AB12CD34EF"


def test_letters_that_look_like_digits_read_as_the_digits():
    assert codes.normalise("OI1L0-ABCDE") == "01110ABCDE"


@pytest.mark.parametrize("typed", ["", "AB12C", "AB12C-D34EF-X", "AB12C-D34E!", "ABUUU-UUUUU"])
def test_anything_else_is_not_a_code(typed):
    assert codes.normalise(typed) is None


def test_the_code_of_a_link_survives_a_key_rotation():
    link = {"id": "abc", "code_digest": codes.digest(codes.derive("abc", "old" * 16))}
    assert codes.for_link(link, ["old" * 16, "new" * 16]) == codes.derive("abc", "old" * 16)
    assert codes.for_link(link, ["new" * 16]) is None


def officers_code(signed_in_officer, **overrides):
    location = create_link(signed_in_officer, **overrides)
    page = signed_in_officer.get(location).get_data(as_text=True)
    link_id = location.rsplit("/", 1)[-1]
    return link_id, re.search(r'id="survey-code"[^>]*>([0-9A-Z-]{11})<', page).group(1), page


def enter(client, code, status=None):
    token = csrf_token(client.get("/code").get_data(as_text=True))
    response = client.post("/code", data={"code": code, "csrf_token": token})
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


def test_the_link_page_and_the_card_show_the_code(signed_in_officer):
    link_id, code, page = officers_code(signed_in_officer)
    assert "go to <strong class=\"link-text\">feedback.example.test/code</strong>" in page
    card = signed_in_officer.get(f"/officer/links/{link_id}/card").get_data(as_text=True)
    assert f'<p class="card__code" dir="ltr">{code}</p>' in card


def test_the_code_opens_the_survey_once(signed_in_officer, app, db):
    _, code, _ = officers_code(signed_in_officer)
    victim = app.test_client()
    opened = enter(victim, code.lower().replace("-", " "), status=303)
    assert opened.headers["Location"] == "/feedback"
    page = victim.get("/feedback").get_data(as_text=True)
    sent = victim.post("/feedback", data={**AT_REPORT_ANSWERS, "csrf_token": csrf_token(page)})
    assert sent.status_code == 303
    assert len(stored_responses(db)) == 1
    again = enter(app.test_client(), code, status=410)
    assert "You have already told us, thank you" in again.get_data(as_text=True)


def test_an_expired_links_code_is_explained_calmly(signed_in_officer, app, db):
    link_id, code, _ = officers_code(signed_in_officer)
    db.execute("UPDATE links SET expires_at = '2020-01-01T00:00:00+00:00' WHERE id = ?",
               [link_id])
    page = enter(app.test_client(), code, status=410).get_data(as_text=True)
    assert "This link has expired" in page


@pytest.mark.parametrize("typed, message", [
    ("ZZZZZ-ZZZZZ", "We could not find that code. Check it and try again"),
    ("hello", "Enter the code as it is written on the card, like AB12C-D34EF"),
])
def test_a_wrong_code_gets_a_calm_message_and_a_400(client, typed, message):
    page = enter(client, typed, status=400).get_data(as_text=True)
    assert check_page(page) == "Error: Enter your code – Give feedback"
    assert f'<a href="#code">{message}</a>' in page


def test_guessing_codes_is_limited_per_address(make_app):
    app = make_app(RATE_LIMIT_SURVEY_CODE="3/60")
    client = app.test_client()
    for _ in range(3):
        enter(client, "ZZZZZ-ZZZZZ", status=400)
    refused = enter(client, "ZZZZZ-ZZZZZ", status=429)
    assert int(refused.headers["Retry-After"]) > 0
    assert "Leave this site" in refused.get_data(as_text=True)  # still a victim page


def test_the_code_itself_is_never_stored(signed_in_officer, app, db):
    _, code, _ = officers_code(signed_in_officer)
    stored = stored_bytes(app, db)
    assert code.replace("-", "").encode() not in stored and code.encode() not in stored
    [row] = db.query("SELECT code_digest FROM links")
    assert row["code_digest"] == codes.digest(code.replace("-", ""))


def test_looking_at_the_code_page_writes_nothing(client, db):
    before = {t: next(db.query(f"SELECT count(*) AS n FROM {t}"))["n"]
              for t in ("sessions", "links", "responses")}
    for _ in range(20):
        assert client.get("/code").status_code == 200
    assert before == {t: next(db.query(f"SELECT count(*) AS n FROM {t}"))["n"]
                      for t in ("sessions", "links", "responses")}
    assert store.fetch_link_by_code(db, codes.digest("ZZZZZZZZZZ")) is None
