"""Quick exit: the button, Escape and Shift x3 end the session and leave for a
neutral site without leaving the survey in Back; without JavaScript the button
is a plain link that does the same through /exit."""

import pytest

from tests.browser.conftest import (
    NO_SURVEY_TITLE,
    PHONE,
    SURVEY_TITLE,
    box,
    choose,
    heading,
    send,
    sessions,
)


def open_survey(page, server, neutral_site, path):
    page.goto(f"{neutral_site}/start")  # somewhere to go Back to
    page.goto(server + path)
    assert heading(page) == SURVEY_TITLE["en"]


def press_shift_three_times(page):
    for _ in range(3):
        page.keyboard.press("Shift")


LEAVE = {
    "button": lambda page: page.click(".exit-button"),
    "escape": lambda page: page.keyboard.press("Escape"),
    "shift x3": press_shift_three_times,
}


@pytest.mark.parametrize("how", LEAVE)
def test_leaving_ends_the_session_and_back_does_not_return_to_the_survey(
        how, new_page, server, neutral_site, make_link, db):
    _, path = make_link()
    page = new_page(**PHONE)
    open_survey(page, server, neutral_site, path)
    page.fill("textarea", "something private")
    assert len(sessions(db)) == 1

    LEAVE[how](page)
    page.wait_for_url(f"{neutral_site}/weather")

    assert heading(page) == "Weather"
    assert sessions(db) == []
    assert page.context.cookies() == []
    page.go_back()
    assert page.url == f"{neutral_site}/start"  # the survey's entry was replaced
    page.goto(f"{server}/feedback")
    assert heading(page) == NO_SURVEY_TITLE  # nothing to resume
    assert page.requests.origins() == {server, neutral_site}


def test_leaving_after_a_mistake_still_leaves_nothing_to_go_back_to(
        new_page, server, neutral_site, make_link, db):
    _, path = make_link()
    page = new_page()
    open_survey(page, server, neutral_site, path)
    with page.expect_navigation():
        page.click("main form button[type=submit]")  # errors: a second /feedback entry
    assert page.title().startswith("Error: ")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{neutral_site}/weather")
    page.go_back()
    assert page.url == f"{server}/feedback"
    assert heading(page) == NO_SURVEY_TITLE
    assert page.locator("textarea").count() == 0


def test_without_javascript_the_button_is_a_link_that_does_the_same(
        new_page, server, neutral_site, make_link, db):
    _, path = make_link()
    page = new_page(**PHONE, java_script_enabled=False)
    open_survey(page, server, neutral_site, path)
    assert page.locator(".exit-button").get_attribute("href") == "/exit"
    page.locator(".exit-button").tap()
    page.wait_for_url(f"{neutral_site}/weather")
    assert sessions(db) == []
    assert page.context.cookies() == []
    page.go_back()  # without script the survey's entry stays, but it is empty now
    assert page.url == f"{server}/feedback"
    assert heading(page) == NO_SURVEY_TITLE


@pytest.mark.parametrize("javascript", [True, False])
def test_back_after_leaving_from_the_thank_you_page_shows_no_helplines(
        javascript, new_page, server, neutral_site, make_link):
    """The thank-you page names the domestic abuse and rape helplines: whoever picks
    up the phone after the person left must not find it in Back."""
    _, path = make_link()
    page = new_page(**PHONE, java_script_enabled=javascript)
    open_survey(page, server, neutral_site, path)
    choose(page, "overall", "fairly_satisfied", tap=True)
    send(page, tap=True)
    assert page.url == f"{server}/feedback/thanks"
    assert page.get_by_text("National Domestic Abuse Helpline").count() == 1
    page.locator(".exit-button").tap()
    page.wait_for_url(f"{neutral_site}/weather")
    page.go_back()
    assert page.get_by_text("Helpline").count() == 0
    assert page.get_by_text("Support Line").count() == 0
    if not javascript:  # with script the thank-you's entry was replaced on leaving
        assert page.url == f"{server}/feedback/thanks"
        assert heading(page) == NO_SURVEY_TITLE


def test_leaving_is_announced_and_the_page_hidden_before_it_goes(
        new_page, server, neutral_site, make_link):
    _, path = make_link()
    page = new_page()
    open_survey(page, server, neutral_site, path)
    heard = []
    page.expose_function("heard", lambda text, main: heard.append((text, main)))
    page.evaluate("""() => {
        const status = document.querySelector('[data-exit-status]');
        new MutationObserver(() => window.heard(status.textContent,
            getComputedStyle(document.querySelector('main')).visibility))
          .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    assert page.locator("[data-exit-status]").get_attribute("role") == "status"
    page.keyboard.press("Escape")
    page.wait_for_url(f"{neutral_site}/weather")
    assert heard == [("Leaving this site", "hidden")]


def test_shift_presses_are_counted_out_loud_and_a_capital_letter_starts_again(
        new_page, server, neutral_site, make_link):
    _, path = make_link()
    page = new_page()
    open_survey(page, server, neutral_site, path)
    status = page.locator("[data-exit-status]")
    page.keyboard.press("Shift")
    assert status.text_content() == "Shift key pressed. Press it 2 more times to leave this site."
    page.keyboard.press("Shift")
    assert status.text_content() == "Shift key pressed. Press it 1 more time to leave this site."
    page.click("textarea")
    page.keyboard.press("Shift+A")  # typing a capital is not a third press
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert page.url == f"{server}/feedback"
    assert page.locator("textarea").input_value() == "A"
    page.keyboard.press("Shift")
    page.wait_for_url(f"{neutral_site}/weather")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_first_page_says_how_to_leave_in_one_line_with_the_first_question_on_screen(
        javascript, new_page, server, make_link):
    _, path = make_link()
    page = new_page(**PHONE, java_script_enabled=javascript)
    page.goto(server + path)
    note = page.locator(".exit-note")
    line = note.locator(".exit-note__line")
    assert line.inner_text() == "To leave quickly, select ‘Leave this site’ at the top."
    assert box(page, ".exit-note__line")["height"] < 2 * 30  # one line, two at most
    assert not note.locator(".details__text").is_visible()
    first_question = box(page, "main fieldset legend")
    first_answer = box(page, "main fieldset .radios__item")
    assert first_question["y"] >= 0 and first_answer["y"] + first_answer["height"] <= 667, (
        "the first question is not on the first screen of a phone")

    note.locator("summary").click()  # "How this works", a disclosure that needs no script
    details = note.locator(".details__text")
    assert details.is_visible()
    text = details.inner_text()
    assert "It opens a different website and closes this page." in text
    # The keys work only with script: without it, the note does not offer them.
    assert ("Esc key" in text and "Shift key 3 times" in text) is javascript
    assert "does not delete your browsing history" in text
    assert "browser-history" in details.locator("a").get_attribute("href")
    assert page.requests.origins() == {server}
