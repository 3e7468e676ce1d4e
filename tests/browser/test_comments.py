"""The comments screen in a real browser: accessible at 320 px and desktop, and an
admin removing a detail by keyboard alone."""


from feedback.db import open_db
from feedback.periods import months_of_quarter
from tests.browser.sweep import Sweep
from tests.dates import LAST_QUARTER
from tests.stored import stored_bytes
from tests.trainer_data import SECRET

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
