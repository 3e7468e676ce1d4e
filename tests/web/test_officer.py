import re
import subprocess
from datetime import datetime, timedelta

import pytest

from feedback.adapters import qr, store
from feedback.domain import clock
from tests.conftest import AT_REPORT_ANSWERS, store_link, submit_survey
from tests.officer_pages import NEW_LINK, create_link, link_text
from tests.pages import check_page, csrf_token
from tests.stored import officer_links


def test_the_new_link_form_defaults_to_the_officers_team_and_28_days(signed_in_officer):
    page = signed_in_officer.get("/officer/links/new").get_data(as_text=True)
    assert 'value="Response Team 1"' in page
    assert 'name="expiry_days" type="text" value="28"' in page
    assert "Domestic abuse" in page and "Stalking or harassment" in page


def test_creating_a_link_stores_it_and_shows_the_qr_code_link_and_expiry(
        signed_in_officer, officer, db):
    location = create_link(signed_in_officer, crime_category="fraud", expiry_days="7")
    page = signed_in_officer.get(location).get_data(as_text=True)
    [link] = officer_links(db, officer["id"])
    assert location == f"/officer/links/{link['id']}"
    assert (link["stage"], link["crime_category"], link["team"], link["borough"]) == (
        "at_report", "fraud", "Response Team 1", "Camden")
    created = datetime.fromisoformat(link["created_at"])
    assert datetime.fromisoformat(link["expires_at"]) - created == timedelta(days=7)
    assert link_text(page).startswith("https://feedback.example.test/r/")
    assert f"/officer/links/{link['id']}/qr.svg" in page
    assert f"/officer/links/{link['id']}/qr.png" in page
    assert datetime.fromisoformat(link["expires_at"]).strftime("%-d %B %Y") in page


def test_the_png_qr_code_scans_to_the_link(signed_in_officer, tmp_path):
    # The SVG is checked as an officer shows it, in tests/browser/test_qr.py.
    location = create_link(signed_in_officer)
    url = link_text(signed_in_officer.get(location).get_data(as_text=True))
    image = signed_in_officer.client.get(f"{location}/qr.png")
    assert image.mimetype == "image/png"
    path = tmp_path / "qr.png"
    path.write_bytes(image.data)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert decoded == url


def test_the_svg_qr_code_is_served_as_svg(signed_in_officer):
    location = create_link(signed_in_officer)
    image = signed_in_officer.client.get(f"{location}/qr.svg")
    assert image.mimetype == "image/svg+xml"
    assert image.data.lstrip().startswith(b"<?xml") and b"<svg" in image.data


def test_qr_codes_use_error_correction_m_and_are_cached():
    url = "https://feedback.example.test/r/" + "a" * 67
    qr.png.cache_clear()
    first = qr.png(url)
    assert qr.png(url) is first
    assert qr.png.cache_info().hits == 1
    assert qr._code(url).error_correction == qr.ERROR_CORRECT_M


@pytest.mark.parametrize("field, value, message", [
    ("crime_category", "", "Select the crime category"),
    ("crime_category", "made_up", "Select the crime category"),
    ("stage", "nonsense", "Select when this feedback is for"),
    ("team", "", "Select the team or unit"),
    ("team", "PC 4821 J Smith - victim Jane Doe SW1A 1AA", "Select the team or unit"),
    ("expiry_days", "0", "Days until the link expires must be between 1 and 90"),
    ("expiry_days", "91", "Days until the link expires must be between 1 and 90"),
    ("expiry_days", "", "Enter the number of days until the link expires"),
    ("expiry_days", "ten", "Enter the number of days as a number, like 28"),
])
def test_invalid_link_details_are_explained_and_nothing_is_stored(
        signed_in_officer, officer, db, field, value, message):
    response = signed_in_officer.post_form("/officer/links/new", {**NEW_LINK, field: value},
                                           status=400)
    page = response.get_data(as_text=True)
    assert f'<a href="#{field}">' in page
    assert message in page
    assert officer_links(db, officer["id"]) == []


def test_the_team_is_chosen_from_the_officers_teams_never_typed(signed_in_officer, make_user,
                                                                 officer, db):
    make_user("cid@example.com", team="CID Camden")
    make_user("trainer@example.com", role="trainer", team="Training School")
    page = signed_in_officer.get("/officer/links/new").get_data(as_text=True)
    assert re.findall(r'<option value="([^"]*)"[^>]*>[^<]*</option>',
                      page.split('id="team"')[1].split("</select>")[0]) == [
        "CID Camden", "Response Team 1"]
    create_link(signed_in_officer, team="CID Camden")
    assert [link["team"] for link in officer_links(db, officer["id"])] == [
        "CID Camden"]


def test_my_links_shows_each_status(signed_in_officer, make_link, db, app):
    make_link(team="opened")
    opened, path = make_link()
    app.test_client().get(path)
    _, done_path = make_link()
    submit_survey(app.test_client(), done_path, AT_REPORT_ANSWERS)
    revoked, _ = make_link()
    db.execute("UPDATE links SET revoked = 1 WHERE id = ?", [revoked["id"]])
    expired, _ = make_link(expires_at=(clock.now() - timedelta(days=1)).isoformat())
    page = signed_in_officer.get("/officer/links").get_data(as_text=True)
    statuses = re.findall(r'class="tag tag--(\w+)"', page)
    assert sorted(statuses) == ["completed", "expired", "not_opened", "opened", "revoked"]


def test_an_officer_can_cancel_a_link_and_it_stops_working(signed_in_officer, make_link, db,
                                                           app):
    link, path = make_link()
    signed_in_officer.post_form(f"/officer/links/{link['id']}", {},
                                action=f"/officer/links/{link['id']}/revoke", status=303)
    assert store.fetch_link(db, link["id"])["revoked"] == 1
    assert app.test_client().get(path).status_code == 410


def test_a_head_request_never_cancels_a_link(signed_in_officer, make_link, db):
    """A HEAD skips the CSRF check (it changes nothing by HTTP's rules), so it must
    take the confirmation page's path, never the one that cancels."""
    link, _ = make_link()
    head = signed_in_officer.client.head(f"/officer/links/{link['id']}/revoke")
    assert head.status_code == 200
    assert store.fetch_link(db, link["id"])["revoked"] == 0


def test_cancelling_needs_a_csrf_token(signed_in_officer, make_link, db):
    link, _ = make_link()
    response = signed_in_officer.client.post(f"/officer/links/{link['id']}/revoke")
    assert response.status_code == 400
    assert store.fetch_link(db, link["id"])["revoked"] == 0


def test_an_officer_cannot_see_or_cancel_another_officers_link(
        browser, make_user, make_link, db):
    link, _ = make_link()
    other = make_user("other@example.com")
    browser.sign_in(other["email"])
    for url in (f"/officer/links/{link['id']}", f"/officer/links/{link['id']}/qr.png",
                f"/officer/links/{link['id']}/qr.svg"):
        assert browser.client.get(url).status_code == 404, url
    browser.post_form("/officer/links", {}, action=f"/officer/links/{link['id']}/revoke",
                      status=404)
    assert store.fetch_link(db, link["id"])["revoked"] == 0
    assert link["id"] not in browser.get("/officer/links").get_data(as_text=True)


def test_a_trainer_cannot_create_links(browser, make_user, db):
    trainer = make_user("trainer@example.com", role="trainer")
    browser.sign_in(trainer["email"])
    assert browser.client.get("/officer/links/new").status_code == 403
    assert browser.client.get("/officer/links").status_code == 403
    response = browser.client.post("/officer/links/new", data=NEW_LINK)
    assert response.status_code in (400, 403)
    assert list(db.query("SELECT * FROM links")) == []


def test_a_signed_in_officer_opening_the_sign_in_page_goes_to_their_links(signed_in_officer):
    response = signed_in_officer.client.get("/sign-in", follow_redirects=True)
    assert response.request.path == "/officer/links"
    assert check_page(response.get_data(as_text=True)) == "My links – My Met Service"


def test_a_signed_in_trainer_opening_the_sign_in_page_goes_to_the_overview(
        browser, make_user):
    make_user("trainer@example.com", role="trainer")
    browser.sign_in("trainer@example.com")
    response = browser.client.get("/sign-in", follow_redirects=True)
    assert response.request.path == "/trainer/"


def test_the_sign_in_page_is_still_shown_to_someone_not_signed_in(client):
    assert client.get("/sign-in").status_code == 200


def test_cancelling_asks_first_then_says_it_was_cancelled(signed_in_officer, make_link, db,
                                                          app):
    link, path = make_link()
    page = signed_in_officer.get(f"/officer/links/{link['id']}").get_data(as_text=True)
    assert f'href="/officer/links/{link["id"]}/revoke">Cancel this link</a>' in page
    confirm = signed_in_officer.get(f"/officer/links/{link['id']}/revoke")
    text = confirm.get_data(as_text=True)
    assert check_page(text) == "Cancel this link? – My Met Service"
    assert "Yes, cancel this link" in text and "No, keep it" in text
    assert store.fetch_link(db, link["id"])["revoked"] == 0  # asking changes nothing

    done = signed_in_officer.post_form(f"/officer/links/{link['id']}/revoke", {}, status=303)
    page = signed_in_officer.get(done.headers["Location"]).get_data(as_text=True)
    assert "Link cancelled. It no longer works" in page
    assert '<strong class="tag tag--revoked">Cancelled</strong>' in page
    assert "Cancel this link" not in page
    assert store.fetch_link(db, link["id"])["revoked"] == 1
    assert app.test_client().get(path).status_code == 410


def test_a_link_answered_before_the_confirmation_is_not_cancelled(signed_in_officer,
                                                                 make_link, db, app):
    link, path = make_link()
    token = csrf_token(signed_in_officer.get(
        f"/officer/links/{link['id']}/revoke").get_data(as_text=True))
    submit_survey(app.test_client(), path, AT_REPORT_ANSWERS)
    response = signed_in_officer.client.post(f"/officer/links/{link['id']}/revoke",
                                             data={"csrf_token": token})
    page = signed_in_officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "This link can no longer be cancelled" in page
    assert store.fetch_link(db, link["id"])["revoked"] == 0
    assert store.fetch_link(db, link["id"])["used"] == 1


@pytest.mark.parametrize("language, words", [
    ("en", ["Give feedback", "point your phone’s camera at the code", "Use it by"]),
    ("pl", ["Przekaż opinię"]),
])
def test_the_qr_card_is_neutral_and_in_the_persons_language(signed_in_officer, make_link,
                                                            language, words):
    link, _ = make_link(language=language, crime_category="domestic_abuse")
    response = signed_in_officer.get(f"/officer/links/{link['id']}/card")
    page = response.get_data(as_text=True)
    assert check_page(page) == "Print a QR card – My Met Service"
    card_html = page.split("data-card>")[1].split("</div>")[0]
    assert f'lang="{language}"' in page.split("data-card>")[0].rsplit("<div", 1)[1]
    assert f'/officer/links/{link["id"]}/qr.svg' in card_html
    card = re.sub(r"<[^>]+>", " ", card_html)  # what is printed: the words
    for word in words:
        assert word in card
    for giveaway in ("olice", "Met", "rime", "omestic", "abuse", "Burglary", "officer"):
        assert giveaway not in card


def test_the_card_says_until_when_the_link_works(signed_in_officer, make_link):
    link, _ = make_link(expires_at="2030-03-09T10:00:00+00:00")
    card = signed_in_officer.get(f"/officer/links/{link['id']}/card").get_data(as_text=True)
    assert "The code works once. Use it by 9 March 2030." in card


def test_a_used_link_has_no_card(signed_in_officer, make_link, app):
    link, path = make_link()
    submit_survey(app.test_client(), path, AT_REPORT_ANSWERS)
    response = signed_in_officer.get(f"/officer/links/{link['id']}/card", status=303)
    page = signed_in_officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "no card to print" in page


def test_another_officers_link_has_no_card_and_cannot_be_asked_about(
        browser, make_user, make_link):
    link, _ = make_link()
    browser.sign_in(make_user("other@example.com")["email"])
    for url in (f"/officer/links/{link['id']}/card", f"/officer/links/{link['id']}/revoke"):
        assert browser.client.get(url).status_code == 404


def test_the_full_screen_code_is_only_for_a_live_link_of_ones_own(signed_in_officer, make_link,
                                                                   make_user, app, db):
    link, _ = make_link()
    page = signed_in_officer.get(f"/officer/links/{link['id']}/show").get_data(as_text=True)
    assert f"/officer/links/{link['id']}/qr.svg" in page
    assert "Sign out" not in page and link["team"] not in page
    gone, _ = make_link(expires_at="2020-01-01T00:00:00+00:00")
    response = signed_in_officer.client.get(f"/officer/links/{gone['id']}/show")
    assert (response.status_code, response.headers["Location"]) == (
        303, f"/officer/links/{gone['id']}")
    someone_else, _ = store_link(app, db, make_user("other@example.com")["id"])
    assert signed_in_officer.client.get(
        f"/officer/links/{someone_else['id']}/show").status_code == 404
