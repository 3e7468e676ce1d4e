"""Signing in with a second factor in a real browser (SECOND_FACTOR=required):
setting up an authenticator app and signing in with a code by keyboard alone, the
QR code scanning to the app's set-up address, every new page through axe-core at
320 px and desktop, and the whole journey without JavaScript."""

import re
import subprocess
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest

from tests.browser.conftest import heading, tab_to
from tests.browser.sweep import Sweep
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def second_factor_required(app):
    app.config["SECOND_FACTOR"] = "required"


def key_on(page):
    return page.locator("#secret").inner_text().replace(" ", "")


def sign_in_with_password(page, server, email):
    page.goto(f"{server}/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def sign_in_with_password_by_keyboard(page, server, email):
    page.goto(f"{server}/sign-in")
    tab_to(page, "email")
    page.keyboard.type(email)
    tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def set_up_app(page, server, email, moment):
    """Sign in for the first time and set the app up with the written key: the key."""
    sign_in_with_password(page, server, email)
    secret = key_on(page)
    page.fill("#code", pyotp.TOTP(secret).at(moment))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return secret


def sign_out(page):
    with page.expect_navigation():
        page.click("text=Sign out")


def test_setting_up_an_app_and_signing_in_with_a_code_by_keyboard_alone(
        new_page, server, officer, pinned_clock):
    page = new_page()
    sign_in_with_password_by_keyboard(page, server, officer["email"])
    assert heading(page) == "Set up your authenticator app"
    secret = key_on(page)
    tab_to(page, "code")
    page.keyboard.type(pyotp.TOTP(secret).at(pinned_clock.now()))
    tab_to(page, "Continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "Your recovery codes"
    assert page.locator("#recovery-codes li").count() == 10
    tab_to(page, "I have kept my recovery codes: continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{server}/officer/links"

    sign_out(page)
    pinned_clock.advance(seconds=30)
    sign_in_with_password_by_keyboard(page, server, officer["email"])
    assert heading(page) == "Enter your sign-in code"
    tab_to(page, "code")
    page.keyboard.type(pyotp.TOTP(secret).at(pinned_clock.now()))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{server}/officer/links"


def test_the_qr_code_scans_to_the_apps_set_up_address_with_the_written_key(
        new_page, server, officer, tmp_path):
    page = new_page()
    sign_in_with_password(page, server, officer["email"])
    shot = tmp_path / "qr.png"
    page.locator("img.qr").screenshot(path=str(shot))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True,
                             text=True, check=True).stdout.strip()
    address = urlsplit(decoded)
    assert (address.scheme, address.netloc) == ("otpauth", "totp")
    assert unquote(address.path) == "/My Met Service:officer@example.com"
    assert parse_qs(address.query)["secret"] == [key_on(page)]


def test_every_second_factor_page_is_accessible_at_320_px_and_desktop(
        new_page, server, officer, make_user, pinned_clock):
    page = new_page()
    sweep = Sweep(page)
    sign_in_with_password(page, server, officer["email"])
    sweep.check("set up an app", victim=False)
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 0
    page.click("main button[type=submit]")
    sweep.check("set up an app with errors", victim=False)
    secret = key_on(page)
    page.fill("#code", pyotp.TOTP(secret).at(pinned_clock.now()))
    page.click("main button[type=submit]")
    assert heading(page) == "Your recovery codes"
    sweep.check("recovery codes", victim=False)
    codes = page.locator("#recovery-codes li").all_inner_texts()
    page.goto(f"{server}/officer/links")
    sign_out(page)

    sign_in_with_password(page, server, officer["email"])
    sweep.check("enter a code", victim=False)
    page.fill("#code", "000000x")
    page.click("main button[type=submit]")
    sweep.check("enter a code with errors", victim=False)
    page.fill("#code", codes[0])
    page.click("main button[type=submit]")
    assert heading(page) == "You used a recovery code"
    sweep.check("recovery code used", victim=False)

    admin = make_user("admin@example.com", role="admin")
    page = sweep.page = new_page()
    set_up_app(page, server, admin["email"], pinned_clock.now())
    page.goto(f"{server}/admin/users/{officer['id']}")
    sweep.check("an account with a second factor", victim=False)
    page.click("text=Reset the second factor")
    assert "No authenticator app is set up" in page.content()
    sweep.check("an account after a reset", victim=False)

    assert len(sweep.seen) == 8
    sweep.assert_clean()


def test_setting_up_and_signing_in_work_without_javascript(new_page, server, officer,
                                                          pinned_clock):
    page = new_page(java_script_enabled=False)
    secret = set_up_app(page, server, officer["email"], pinned_clock.now())
    assert heading(page) == "Your recovery codes"
    with page.expect_navigation():
        page.click("text=I have kept my recovery codes: continue")
    assert page.url == f"{server}/officer/links"
    sign_out(page)
    pinned_clock.advance(seconds=30)
    sign_in_with_password(page, server, officer["email"])
    assert heading(page) == "Enter your sign-in code"
    page.fill("#code", pyotp.TOTP(secret).at(pinned_clock.now()))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == f"{server}/officer/links"
    assert re.search(r"My links", page.content())


def test_a_recovery_code_and_an_admins_reset_by_keyboard_alone(new_page, server, officer,
                                                               make_user, db, pinned_clock):
    page = new_page()
    set_up_app(page, server, officer["email"], pinned_clock.now())
    recovery_code = page.locator("#recovery-codes li").first.inner_text()
    page.goto(f"{server}/officer/links")
    sign_out(page)

    sign_in_with_password_by_keyboard(page, server, officer["email"])
    tab_to(page, "code")
    page.keyboard.type(recovery_code)
    tab_to(page, "Continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading(page) == "You used a recovery code"
    assert "You have 9 recovery codes left" in page.locator("#codes-left").inner_text()
    tab_to(page, "Continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{server}/officer/links"

    admin = make_user("admin@example.com", role="admin")
    page = new_page()
    set_up_app(page, server, admin["email"], pinned_clock.now())
    page.goto(f"{server}/admin/users/{officer['id']}")
    tab_to(page, "Reset the second factor")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "No authenticator app is set up" in page.locator("#second-factor-status").inner_text()
    assert next(db.query("SELECT count(*) AS n FROM second_factors WHERE user_id = ?",
                         [officer["id"]]))["n"] == 0
