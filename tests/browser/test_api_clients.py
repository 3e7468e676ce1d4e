"""The API client pages in a real browser: axe-core at 320 px and desktop, a client
registered with the keyboard alone, and the whole round without JavaScript."""

from tests.browser.conftest import heading, tab_to
from tests.browser.sweep import Sweep


def test_every_api_client_page_is_accessible_at_320_px_and_desktop(signed_in_page, server,
                                                                   db):
    page = signed_in_page("admin")
    sweep = Sweep(page)
    page.goto(f"{server}/admin/api-clients")
    sweep.check("no clients", victim=False)
    page.click("text=Register a client")
    sweep.check("register a client", victim=False)
    page.uncheck("#scopes")
    page.uncheck("#scopes-2")
    page.uncheck("#scopes-3")
    page.uncheck("#scopes-4")
    page.fill("#days", "0")
    page.click("main button[type=submit]")
    assert page.title().startswith("Error: ")
    sweep.check("register a client with errors", victim=False)
    page.fill("#name", "A case system with a long name for a narrow screen")
    page.check("#scopes")
    page.fill("#days", "365")
    page.click("main button[type=submit]")
    assert heading(page) == "API key for A case system with a long name for a narrow screen"
    sweep.check("the key", victim=False)
    page.click("text=Back to API clients")
    sweep.check("clients", victim=False)
    page.get_by_role("link", name="Manage A case system with a long name for a narrow screen"
                     ).click()
    sweep.check("a client", victim=False)
    page.click("text=Make a new key")
    sweep.check("a new key", victim=False)
    page.go_back()
    page.click("main button:has-text('Revoke')")
    assert page.locator("#client-status").inner_text() == "Revoked"
    sweep.check("a revoked client", victim=False)
    assert len(sweep.seen) == 8
    sweep.assert_clean()


def test_an_admin_registers_a_client_with_the_keyboard_alone(signed_in_page, server, db):
    page = signed_in_page("admin")
    page.goto(f"{server}/admin/api-clients")

    tab_to(page, "Register a client")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/admin/api-clients/new")
    tab_to(page, "name")
    page.keyboard.type("Niche RMS")
    tab_to(page, "scopes-2")  # "Send links": not for this client
    page.keyboard.press("Space")
    assert not page.locator("#scopes-2").is_checked()
    tab_to(page, "Register the client")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "API key for Niche RMS"
    [client] = db.query("SELECT name, scopes FROM api_clients")
    assert client == {"name": "Niche RMS", "scopes": "create status cancel"}


def test_without_javascript_a_client_is_registered_and_revoked(signed_in_page, server, db):
    page = signed_in_page("admin", java_script_enabled=False)
    page.goto(f"{server}/admin/api-clients/new")
    page.fill("#name", "Niche RMS")
    page.click("main button[type=submit]")
    key = page.locator("#api-key").inner_text()
    assert key.startswith("mms_")
    page.goto(f"{server}/admin/api-clients")
    page.click("text=Manage")
    page.click("main button:has-text('Revoke')")
    assert page.locator("#client-status").inner_text() == "Revoked"
    assert [row["revoked"] for row in db.query("SELECT revoked FROM api_keys")] == [1]
