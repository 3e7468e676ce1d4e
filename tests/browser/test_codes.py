"""The typed-code page on a phone: accessible in English and Arabic, and a code
typed by hand opens the survey."""

import pytest

from feedback.domain import codes
from tests.browser.conftest import (
    PHONE,
    SURVEY_TITLE,
    assert_accessible,
    assert_no_horizontal_scroll,
    heading,
)
from tests.browser.sweep import WIDTHS


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_code_page_is_accessible_with_and_without_an_error(language, new_page, server):
    page = new_page(locale=language)
    page.goto(f"{server}/code")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("#code").get_attribute("dir") == "ltr"  # codes are Latin letters
    for state in ("empty", "with an error"):
        for size in WIDTHS:
            page.set_viewport_size(size)
            assert_accessible(page, f"code page {state} at {size['width']} px ({language})")
            assert_no_horizontal_scroll(page, f"code page {state} ({language})")
        page.click("main button[type=submit]")


def test_a_code_typed_on_a_phone_opens_the_survey(new_page, server, make_link, db, app):
    link, _ = make_link()
    code = codes.derive(link["id"], app.config["SECRET_KEY"])
    db.execute("UPDATE links SET code_digest = ? WHERE id = ?", [codes.digest(code), link["id"]])
    page = new_page(**PHONE)
    page.goto(f"{server}/code")
    page.locator("#code").tap()
    page.keyboard.type(codes.shown(code).lower())
    with page.expect_navigation():
        page.locator("main button[type=submit]").tap()
    assert page.url == f"{server}/feedback"
    assert heading(page) == SURVEY_TITLE["en"]
