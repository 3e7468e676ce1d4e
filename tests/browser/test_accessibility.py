"""axe-core (WCAG 2.2 A and AA) finds nothing on any page of the service, at 320 px
wide (as at 400% zoom: a 1280 x 1024 screen shows 320 x 256 CSS pixels) and at
desktop width, with no sideways scrolling; victim pages in English and Arabic."""


import pytest

from tests.browser.conftest import heading, link_path
from tests.browser.sweep import Sweep
from tests.conftest import AT_REPORT_ANSWERS
from tests.dates import TODAY, month_key

PAST = "2020-01-01T00:00:00+00:00"
ERROR_CODES = (400, 403, 404, 405, 413, 429, 500)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_victim_page_is_accessible_at_320_px_and_desktop(
        language, new_page, server, make_link, db):
    page = new_page(locale=language)  # the browser's language, for pages without a link
    sweep = Sweep(page, language)

    page.goto(f"{server}/feedback")
    sweep.check("no survey in progress")
    page.goto(f"{server}/r/not-a-real-link")
    sweep.check("link does not work")
    page.goto(f"{server}/feedback/no-such-page")
    sweep.check("unknown address under a victim path")
    page.goto(server + make_link(language=language, expires_at=PAST)[1])
    sweep.check("link expired")
    revoked, path = make_link(language=language)
    db.execute("UPDATE links SET revoked = 1 WHERE id = ?", [revoked["id"]])
    page.goto(server + path)
    sweep.check("link cancelled")
    for code in ERROR_CODES:
        page.goto(f"{server}/feedback/test-errors/{code}")
        sweep.check(f"error {code}")

    _, path = make_link(language=language, crime_category="domestic_abuse")
    page.goto(server + path)
    sweep.check("survey")
    page.click("main form button[type=submit]")
    sweep.check("survey with errors")
    page.evaluate("document.querySelector('main input[name=csrf_token]').value = 'stale'")
    page.click("main form button[type=submit]")
    sweep.check("page timed out")
    page.goto(server + path)
    for question, value in AT_REPORT_ANSWERS.items():
        page.click(f"input[name='{question}'][value='{value}'] + label")
    page.click("main form button[type=submit]")
    sweep.check("thank you")
    page.go_back()
    sweep.check("back after sending")
    page.goto(server + path)
    sweep.check("link already used")

    assert len(sweep.seen) == 18
    sweep.assert_clean()


def test_every_staff_page_is_accessible_at_320_px_and_desktop(
        new_page, signed_in_page, server, make_user, app):
    page = new_page()
    sweep = Sweep(page)
    page.goto(f"{server}/sign-in")
    sweep.check("sign in", victim=False)
    page.click("main button[type=submit]")
    sweep.check("sign in with errors", victim=False)
    for code in ERROR_CODES:
        page.goto(f"{server}/test-errors/{code}")
        sweep.check(f"staff error {code}", victim=False)

    page = sweep.page = signed_in_page("officer")
    sweep.check("my links, none yet", victim=False)
    page.goto(f"{server}/officer/links/new")
    sweep.check("create a link", victim=False)
    page.fill("#expiry_days", "0")
    page.click("main button[type=submit]")
    sweep.check("create a link with errors", victim=False)
    page.select_option("#stage", "at_report")
    page.select_option("#crime_category", "stalking_harassment")
    page.fill("#expiry_days", "28")
    page.click("main button[type=submit]")
    link_path(page.content())
    sweep.check("link page", victim=False)
    page.click("text=Print a QR card")
    sweep.check("QR card", victim=False)
    page.go_back()
    page.click("text=Cancel this link")
    sweep.check("cancel confirmation", victim=False)
    page.go_back()
    app.config["SEND_CHANNELS"] = {"sms", "email"}  # the console backend, as in development
    page.reload()
    page.click("main >> text=Send by text message")
    sweep.check("send by text message", victim=False)
    page.click("main button[type=submit]")
    sweep.check("send by text message with errors", victim=False)
    page.fill("#recipient", "07700 900 123")
    page.check("#confirm")
    page.click("main button[type=submit]")
    assert "Text message sent" in page.content()
    page.click("text=Send the link again")
    sweep.check("link page after sending", victim=False)
    page.goto(f"{server}/officer/links")
    sweep.check("my links", victim=False)
    page.goto(f"{server}/officer/links?status=lost")
    sweep.check("my links with a filter error", victim=False)
    page.goto(f"{server}/trainer/")
    sweep.check("not allowed (403)", victim=False)
    page.goto(f"{server}/no-such-page")
    sweep.check("not found (404)", victim=False)

    page = sweep.page = signed_in_page("trainer")
    assert heading(page) == "Feedback dashboard"
    sweep.check("trainer dashboard, no responses yet", victim=False)
    page.goto(f"{server}/trainer/export")
    sweep.check("download responses, nothing yet", victim=False)
    page.goto(f"{server}/trainer/?from_month={month_key(TODAY)}&to_month={month_key(TODAY, 2)}")
    sweep.check("dashboard with errors", victim=False)
    app.config["TRAINER_DAILY_VIEWS"] = 1  # spent on the dashboard's first view
    page.goto(f"{server}/trainer/comments")
    sweep.check("daily limit of views reached", victim=False)

    assert len(sweep.seen) == 26
    sweep.assert_clean()
