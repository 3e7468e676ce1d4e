"""The comments screen in a real browser: accessible at 320 px and desktop, an admin
removing a detail by keyboard alone, and the team, crime group, theme and word
filters by keyboard alone and without JavaScript."""

import pytest

from feedback.domain.periods import months_of_quarter
from feedback.web.db import open_db
from tests.browser.sweep import Sweep
from tests.dates import LAST_QUARTER
from tests.stored import stored_bytes
from tests.trainer_data import SECRET
from tests.web.test_comments import MONTH, add_teams

FIRST, _, THIRD = months_of_quarter(LAST_QUARTER)
QUARTER = f"from_month={FIRST}&to_month={THIRD}"


def test_the_comments_screen_is_accessible_for_trainers_and_admins(
        comments, signed_in_page, server):
    page = signed_in_page("trainer")
    sweep = Sweep(page)
    page.goto(f"{server}/trainer/comments?{QUARTER}")
    sweep.check("comments, as a trainer", victim=False)
    page = sweep.page = signed_in_page("admin")
    page.goto(f"{server}/trainer/comments?{QUARTER}&page=4")
    page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
    sweep.check("comments, as an admin with the removal form open", victim=False)
    page.click("text=Remove this text")  # nothing typed
    sweep.check("comments, removal with an error", victim=False)
    sweep.assert_clean()


def test_an_admin_removes_a_detail_by_keyboard_alone(comments, signed_in_page, server, app):
    page = signed_in_page("admin")
    page.goto(f"{server}/trainer/comments?{QUARTER}")
    assert SECRET in page.locator("blockquote").first.inner_text()  # the newest
    page.locator("details summary").first.focus()
    page.keyboard.press("Enter")  # opens the disclosure
    page.keyboard.press("Tab")  # to the text box
    page.keyboard.type(SECRET)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Remove this text"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The text was removed" in page.locator(".notice").inner_text()
    assert page.locator("blockquote").first.inner_text() == "The officer [removed] was kind"
    with open_db(app.config) as db:
        assert SECRET.encode() not in stored_bytes(app, db)


# Filters, words and themes -------------------------------------------------------------

@pytest.fixture
def teams(db):
    add_teams(db)


def test_themes_filters_and_words_are_accessible_at_every_width(teams, signed_in_page, server):
    page = signed_in_page("trainer")
    sweep = Sweep(page)
    page.goto(f"{server}/trainer/comments?{MONTH}")
    assert page.locator("#theme-counts li").count() == 9
    sweep.check("comments with theme counts and tags", victim=False)
    page.goto(f"{server}/trainer/comments?{MONTH}&theme=access&team=Response+Team+2"
              "&group=violence&words=interpreter")
    assert page.locator("blockquote").count() == 20
    sweep.check("comments filtered by team, group, theme and words", victim=False)
    page.goto(f"{server}/trainer/comments?{MONTH}&words={'x' * 101}")
    assert page.locator(".error-summary").is_visible()
    sweep.check("comments with words too long", victim=False)
    sweep.assert_clean()


def test_the_new_filters_work_by_keyboard_alone(teams, signed_in_page, server):
    page = signed_in_page("trainer")
    page.goto(f"{server}/trainer/comments?{MONTH}")
    page.locator("#team").focus()
    page.keyboard.press("ArrowDown")  # Response Team 1
    order = ("team", "group", "rating", "theme", "words")
    for here, following in zip(order, order[1:], strict=False):
        assert page.evaluate("document.activeElement.id") == here
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == following
    page.keyboard.type("UPDATED every")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Show comments"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "team=Response+Team+1" in page.url and "words=UPDATED+every" in page.url
    assert page.locator("#comment-count").inner_text().startswith("30 comments")
    # A theme's count is a link: reached by Tab, followed by Enter.
    link = page.locator("#theme-counts a", has_text="Kept informed")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "theme=kept_informed" in page.url
    assert page.locator("#theme").input_value() == "kept_informed"


def test_the_new_filters_work_without_javascript(teams, signed_in_page, server):
    page = signed_in_page("trainer", java_script_enabled=False)
    page.goto(f"{server}/trainer/comments?{MONTH}")
    page.select_option("#group", "violence")
    page.select_option("#theme", "access")
    page.fill("#words", "Interpreter")
    page.click("form.filters button[type=submit]")
    assert page.locator("#comment-count").inner_text().startswith("30 comments")
    assert all("interpreter" in text for text in page.locator("blockquote").all_inner_texts())
    assert page.locator(".theme-tag", has_text="Language and access").count() == 20
    page.click("#theme-counts >> text=All themes")
    assert "theme=&" in page.url or page.url.endswith("theme=")
    assert page.locator("#theme").input_value() == ""
