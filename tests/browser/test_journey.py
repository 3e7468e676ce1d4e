"""The whole victim journey in a real browser: on a phone, without JavaScript,
and with the keyboard alone."""

import json

import pytest

from tests.browser.conftest import (
    PHONE,
    SURVEY_TITLE,
    answer,
    box,
    choose,
    heading,
    link_path,
    send,
)
from tests.conftest import AT_REPORT_ANSWERS
from tests.stored import stored_responses

# The journey stores a link, a send, an answer and a release: on both engines in CI.
pytestmark = pytest.mark.storage

COMMENT = "The officer was kind. Call me on 07700 900982"
REDACTED = "The officer was kind. Call me on [phone number]"


def responses(db):
    return stored_responses(db)


def test_an_officer_makes_a_link_and_a_victim_completes_it_on_a_phone(
        signed_in_page, new_page, server, db):
    officer = signed_in_page("officer")
    officer.click("text=Create a feedback link")
    officer.select_option("#stage", "at_report")
    officer.select_option("#crime_category", "domestic_abuse")
    officer.select_option("#language", "ro")
    officer.click("main button[type=submit]")
    path = link_path(officer.content())

    phone = new_page(**PHONE)
    phone.goto(server + path)
    assert phone.url == f"{server}/feedback"  # the token has left the address bar
    assert phone.locator("html").get_attribute("lang") == "ro"
    assert heading(phone) == SURVEY_TITLE["ro"]
    answer(phone, {**AT_REPORT_ANSWERS, "comments": COMMENT}, tap=True)
    send(phone, tap=True)

    assert phone.url == f"{server}/feedback/thanks"
    assert heading(phone) == "Vă mulțumim"
    assert phone.get_by_text("0808 2000 247").is_visible()  # shown to everyone
    [row] = responses(db)
    assert json.loads(row["answers"]) == AT_REPORT_ANSWERS
    assert json.loads(row["free_text"]) == {"comments": REDACTED}
    assert (row["language"], row["crime_category"], row["stage"]) == (
        "ro", "domestic_abuse", "at_report")
    assert [link["used"] for link in db.query("SELECT used FROM links")] == [1]
    assert phone.requests.origins() == {server}


def test_the_survey_works_on_a_phone_with_javascript_turned_off(new_page, server, make_link, db):
    link, path = make_link()
    page = new_page(**PHONE, java_script_enabled=False)
    page.goto(server + path)
    assert heading(page) == SURVEY_TITLE["en"]

    choose(page, "ease_of_contact", "very_satisfied", tap=True)
    send(page, tap=True)  # the overall rating, the one required answer, left out
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary a")
    assert summary.all_inner_texts() == ["Select how satisfied you are overall"]
    assert summary.first.get_attribute("href") == "#overall"
    assert page.locator("input[name=ease_of_contact][value=very_satisfied]").is_checked()
    assert responses(db) == []

    answer(page, AT_REPORT_ANSWERS, tap=True)
    send(page, tap=True)
    assert page.url == f"{server}/feedback/thanks"
    [row] = responses(db)
    assert json.loads(row["answers"]) == AT_REPORT_ANSWERS
    assert row["language"] == "en"


def test_back_after_sending_shows_a_thank_you_with_or_without_javascript(
        new_page, server, make_link, db):
    for javascript in (True, False):
        _, path = make_link()
        page = new_page(**PHONE, java_script_enabled=javascript)
        page.goto(server + path)
        choose(page, "overall", "fairly_satisfied", tap=True)
        send(page, tap=True)
        assert page.url == f"{server}/feedback/thanks"
        page.go_back()
        assert heading(page) == "You have already told us, thank you"
        assert page.locator(".exit-button").is_visible()
        assert page.get_by_text("Victim Support").first.is_visible()
    assert len(responses(db)) == 2


def test_a_page_left_open_until_the_session_ends_says_how_to_start_again(
        new_page, server, make_link, db):
    _, path = make_link()
    page = new_page(**PHONE)
    page.goto(server + path)
    choose(page, "overall", "fairly_satisfied", tap=True)
    db.execute("DELETE FROM sessions")  # as after 30 minutes without a request
    send(page, tap=True)
    assert heading(page) == "You need to start again"
    text = page.locator("main").inner_text()
    assert "open the link you were sent again" in text and "timed out" not in text
    assert responses(db) == []


# Runs in the page: what the keyboard user sees of the focused element.
FOCUS = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const bar = document.querySelector('.exit-bar').getBoundingClientRect();
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
    value: el.value || '', checked: !!el.checked, text: el.innerText || '',
    inMain: !!el.closest('main'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
             && style.outlineColor !== 'rgba(0, 0, 0, 0)',
    shadow: style.boxShadow !== 'none',
    top: rect.top, bottom: rect.bottom, barBottom: bar.bottom,
  };
}"""


def test_the_survey_can_be_completed_with_the_keyboard_alone_with_focus_always_visible(
        new_page, server, make_link, db):
    _, path = make_link()
    page = new_page()
    page.goto(server + path)
    chosen, focused = {}, []
    for _ in range(60):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUS)
        focused.append(el["name"] or el["text"][:20] or el["tag"])
        assert el["outline"] or el["shadow"], f"no visible focus on {focused[-1]}"
        if el["inMain"]:  # never hidden under the sticky "Leave this site" bar
            assert el["top"] >= el["barBottom"] - 1, f"{focused[-1]} is under the exit bar"
        if el["type"] == "radio" and el["name"] not in chosen:
            page.keyboard.press("Space")
            assert page.evaluate("document.activeElement.checked")
            chosen[el["name"]] = el["value"]
        elif el["tag"] == "textarea":
            page.keyboard.type("Thank you")
        elif el["tag"] == "button" and el["inMain"]:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    else:
        raise AssertionError(f"never reached the send button: {focused}")

    assert page.url == f"{server}/feedback/thanks"
    assert focused[:2] == ["Skip to main content", "Leave this site"]
    [row] = responses(db)
    assert json.loads(row["answers"]) == chosen
    assert set(chosen) == set(AT_REPORT_ANSWERS)
    assert json.loads(row["free_text"]) == {"comments": "Thank you"}


def test_every_control_on_the_survey_is_a_large_touch_target(new_page, server, make_link):
    _, path = make_link(crime_category="domestic_abuse")
    page = new_page(**PHONE)
    page.goto(server + path)
    targets = (".exit-button, .language__button, .radios__label, .radios__item, "
               "main a, main button, main textarea")
    sizes = page.eval_on_selector_all(targets, """els => els.map(el => {
        const r = el.getBoundingClientRect();
        return [el.className || el.tagName, Math.round(r.width), Math.round(r.height)]; })""")
    assert len(sizes) > 30
    small = [s for s in sizes if s[1] < 44 or s[2] < 44]
    assert small == []

    answer(page, AT_REPORT_ANSWERS, tap=True)
    send(page, tap=True)
    links = page.eval_on_selector_all("main a, footer a", """els => els.map(el => {
        const r = el.getBoundingClientRect();
        return [el.textContent, Math.round(r.width), Math.round(r.height)]; })""")
    assert len(links) >= 5
    assert [s for s in links if s[1] < 44 or s[2] < 44] == []


def test_the_exit_button_stays_on_screen_while_scrolling_on_a_phone(new_page, server, make_link):
    _, path = make_link()
    page = new_page(**PHONE)
    page.goto(server + path)
    before = box(page, ".exit-button")
    page.locator("main form button[type=submit]").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 1000
    after = box(page, ".exit-button")
    assert 0 <= after["y"] < 60 and after["height"] >= 44
    assert abs(after["x"] - before["x"]) < 1
