"""The admin pages in a real browser: axe-core at 320 px and desktop, an
invitation made by keyboard alone, and quick exit in an officer's browser."""

import re

from tests.browser.conftest import PHONE, SURVEY_TITLE, heading, tab_to
from tests.browser.sweep import Sweep
from tests.stored import staff_sessions

NEW_PASSWORD = "a brand new long password"


def test_every_admin_page_is_accessible_at_320_px_and_desktop(
        signed_in_page, new_page, server, make_user, db):
    page = signed_in_page("admin")
    sweep = Sweep(page)
    officer = make_user("officer@example.com")
    sweep.check("accounts", victim=False)
    page.goto(f"{server}/admin/users/new")
    sweep.check("add an account", victim=False)
    page.click("main button[type=submit]")
    sweep.check("add an account with errors", victim=False)
    page.fill("#email", "new.trainer@example.com")
    page.select_option("#role", "trainer")
    page.click("main button[type=submit]")
    assert heading(page) == "Invitation link for new.trainer@example.com"
    sweep.check("invitation link", victim=False)
    invitation = page.locator("#invitation-link").inner_text()
    page.goto(f"{server}/admin/users/{officer['id']}")
    sweep.check("an account", victim=False)
    page.fill("#team", "<b>")
    page.click("text=Save the team and borough")
    sweep.check("an account with errors", victim=False)
    db.execute("UPDATE users SET locked_until = '2999-01-01T00:00:00+00:00' WHERE id = ?",
               [officer["id"]])
    page.goto(f"{server}/admin/users/{officer['id']}")
    page.click("text=Unlock the account")
    assert "Account unlocked" in page.content()
    sweep.check("an account after a change", victim=False)
    page.goto(f"{server}/admin/audit")
    sweep.check("audit log", victim=False)
    page.fill("#since", "2026-02-02")
    page.fill("#until", "2026-02-01")
    page.click("main button[type=submit]")
    sweep.check("audit log with errors", victim=False)

    page = sweep.page = new_page()
    path = re.sub(r"^https?://[^/]+", "", invitation)
    page.goto(server + path)
    sweep.check("set your password", victim=False)
    page.click("main button[type=submit]")
    sweep.check("set your password with errors", victim=False)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("main button[type=submit]")
    assert heading(page) == "Your password is set"
    sweep.check("password set", victim=False)
    page.goto(server + path)
    sweep.check("invitation used", victim=False)

    assert len(sweep.seen) == 13
    sweep.assert_clean()


def test_at_320_px_the_accounts_and_the_audit_log_are_lists_that_fit(signed_in_page, server,
                                                                    make_user):
    """Their right-hand columns (Manage, From address) were cut off with no sign."""
    make_user("a.very.long.address.for.an.officer@example.com")
    page = signed_in_page("admin", viewport={"width": 320, "height": 640})
    for path in ("/admin/users", "/admin/audit"):
        page.goto(server + path)
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), path
        cells = page.locator("main tbody td")
        for index in range(min(cells.count(), 10)):
            right = cells.nth(index).bounding_box()
            assert right["x"] + right["width"] <= 320, (path, index)
        if path == "/admin/users":
            assert page.get_by_role("link", name=re.compile("^Manage")).first.is_visible()
        else:
            assert page.locator("td[data-label='From address']").first.is_visible()


def test_an_admin_adds_an_account_with_the_keyboard_alone(signed_in_page, server, db):
    page = signed_in_page("admin")
    assert heading(page) == "Accounts"

    tab_to(page, "Add an account")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/admin/users/new")
    tab_to(page, "email")
    page.keyboard.type("keyboard.officer@example.com")
    tab_to(page, "role")
    page.keyboard.press("ArrowDown")  # Officer -> Trainer, without opening the list
    assert page.locator("#role").input_value() == "trainer"
    tab_to(page, "team")
    page.keyboard.type("Training Unit")
    tab_to(page, "new_team")
    page.keyboard.press("Space")  # a team nobody has yet: added on purpose
    assert page.locator("#new_team").is_checked()
    tab_to(page, "Create the account")
    with page.expect_navigation():  # not wait_for_load_state: this page is loaded already
        page.keyboard.press("Enter")
    assert heading(page) == "Invitation link for keyboard.officer@example.com"
    user = next(db.query("SELECT role, team FROM users WHERE email = ?",
                         ["keyboard.officer@example.com"]))
    assert (user["role"], user["team"]) == ("trainer", "Training Unit")


def test_quick_exit_in_an_officers_browser_leaves_the_officer_signed_in(
        signed_in_page, server, neutral_site, make_link, db, app):
    _, path = make_link()
    page = signed_in_page("officer", email="on.duty@example.com", **PHONE)
    page.goto(server + path)
    assert heading(page) == SURVEY_TITLE["en"]
    page.click(".exit-button")
    page.wait_for_url(f"{neutral_site}/weather")  # Clear-Site-Data has been applied
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert names == {"session"}  # the survey's cookie is gone, staff's kept
    page.goto(f"{server}/officer/links")
    assert heading(page) == "My links"
    assert len(staff_sessions(app, db)) == 1
    # The survey's session ended on the server too.
    assert not any("link_id" in row["data"] for row in db.query("SELECT data FROM sessions"))
