"""Single sign-on in Chromium against a real OpenID Connect provider (oidc-provider
from npm, tests/oidc/provider.js, installed by `make deps`) on 127.0.0.1: the
whole round trip by keyboard and without JavaScript, roles and team from the
claims, and every new page checked with axe-core at 320 px and desktop. The
refusals of wrong tokens are proved in tests/web/test_sso.py."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from feedback.adapters import store
from feedback.adapters.oidc import Provider
from tests.browser.conftest import DESKTOP, heading, origin, tab_to
from tests.browser.sweep import Sweep
from tests.dates import NOW

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "feedback-service", "a-client-secret-for-the-browser-tests"
ACCOUNTS = {"pc.smith": {"roles": ["officer"], "team": "Response Team 3", "name": "PC Smith"},
            "trainer.jones": {"roles": ["Feedback Trainers"], "name": "Sam Jones"},
            "canteen": {"roles": ["Canteen"], "name": "Not staff"}}


@pytest.fixture(scope="session")
def running_provider():
    """oidc-provider on a free port, once per test run: its issuer."""
    env = {**os.environ, "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET,
           "ACCOUNTS": json.dumps(ACCOUNTS), "CLOCK_PINNED_AT": NOW.isoformat()}
    process = subprocess.Popen(["node", "provider.js"], cwd=PROVIDER_DIR, env=env,  # noqa: S607
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("listening "), f"the provider did not start: {line!r}"
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def oidc_provider(app, server, running_provider):
    """The app told to use the provider (both listen on free ports, so the app
    learns its provider once both are up): the provider's issuer."""
    app.config.update(OIDC_ISSUER=running_provider, OIDC_CLIENT_ID=CLIENT_ID,
                      OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_TEAM_CLAIM="team",
                      SSO_GROUP_ROLES={"Feedback Trainers": "trainer"})
    app.extensions["oidc"] = Provider(running_provider, CLIENT_ID, CLIENT_SECRET, 10)
    return running_provider


@pytest.fixture
def sso_page(chromium, server, oidc_provider):
    """sso_page(**context options): a page that may reach the app and the provider only."""
    contexts, allowed = [], {server, oidc_provider}

    def make(**options):
        context = chromium.new_context(**{**DESKTOP, **options})
        context.route("**/*", lambda route: route.continue_()
                      if origin(route.request.url) in allowed else route.abort())
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in_at_the_provider(page, login):
    """The provider's own pages: its sign-in form, then its consent."""
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password at this provider")
    page.click("button[type=submit]")
    page.wait_for_selector("button:has-text('Continue')")
    page.click("button:has-text('Continue')")


SSO_BUTTON = "Sign in with your organisation's account"


def test_an_officer_signs_in_through_the_provider_by_keyboard(sso_page, server, db,
                                                               oidc_provider):
    page = sso_page()
    page.goto(f"{server}/sign-in")
    tab_to(page, SSO_BUTTON)
    page.keyboard.press("Enter")
    sign_in_at_the_provider(page, "pc.smith")
    page.wait_for_url(f"{server}/officer/links")
    assert heading(page) == "My links"
    user = store.fetch_user_by_sso(db, oidc_provider, "pc.smith")
    assert (user["email"], user["role"], user["team"]) == (
        "pc.smith@example.com", "officer", "Response Team 3")


def test_a_trainer_signs_in_without_javascript_and_signs_out_of_both(sso_page, server, db,
                                                                     oidc_provider):
    page = sso_page(java_script_enabled=False)
    page.goto(f"{server}/sign-in")
    page.click(f"text={SSO_BUTTON}")
    sign_in_at_the_provider(page, "trainer.jones")
    page.wait_for_url(f"{server}/trainer/")
    user = store.fetch_user_by_sso(db, oidc_provider, "trainer.jones")
    assert (user["role"], user["team"]) == ("trainer", "")
    page.click("text=Sign out")
    page.wait_for_url(f"{server}/signed-out")
    assert heading(page) == "You have signed out"
    page.goto(f"{server}/trainer/")
    assert page.url.startswith(f"{server}/sign-in")  # this service's session is over
    page.goto(f"{server}/signed-out")
    page.click("text=Sign out of your organisation's account too")
    assert page.url.startswith(oidc_provider)  # the provider asks to confirm its sign-out
    page.click("button[name=logout]")
    page.wait_for_url(f"{server}/sign-in")  # and sends them back here
    page.click(f"text={SSO_BUTTON}")
    page.wait_for_selector("input[name=login]")  # signed out there too: it asks again


def test_someone_without_a_role_sees_a_calm_page_and_gets_no_account(sso_page, server, db):
    page = sso_page()
    page.goto(f"{server}/sign-in")
    page.click(f"text={SSO_BUTTON}")
    sign_in_at_the_provider(page, "canteen")
    page.wait_for_url(f"{server}/sign-in/sso/callback*")
    assert heading(page) == "You do not have access to this service"
    assert store.fetch_user_by_email(db, "canteen@example.com") is None


def test_every_single_sign_on_page_is_accessible_at_320_px_and_desktop(sso_page, server, app):
    page = sso_page()
    sweep = Sweep(page)
    page.goto(f"{server}/sign-in")
    sweep.check("sign in with single sign-on", victim=False)
    page.click("main button[type=submit]")
    assert page.title().startswith("Error: ")
    sweep.check("sign in with single sign-on, with errors", victim=False)
    page.goto(f"{server}/sign-in/sso/callback?state=forged&code=forged")
    assert heading(page) == "We could not sign you in"
    sweep.check("single sign-on refused", victim=False)
    page.goto(f"{server}/sign-in")
    page.click(f"text={SSO_BUTTON}")
    sign_in_at_the_provider(page, "canteen")
    page.wait_for_url(f"{server}/sign-in/sso/callback*")
    sweep.check("no access", victim=False)
    page.goto(f"{server}/signed-out")
    sweep.check("signed out", victim=False)
    app.config["SSO_ONLY"] = True
    page.goto(f"{server}/sign-in")
    assert page.locator("input[name=password]").count() == 0
    sweep.check("sign in, single sign-on only", victim=False)
    sweep.assert_clean()


def test_an_admin_gives_a_group_a_role_by_keyboard_on_an_accessible_page(
        signed_in_page, server, db, oidc_provider):
    page = signed_in_page("admin")
    sweep = Sweep(page)
    tab_to(page, "Single sign-on groups and their roles")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/admin/single-sign-on")
    sweep.check("single sign-on groups", victim=False)
    tab_to(page, "Save the group's role")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    sweep.check("single sign-on groups with errors", victim=False)
    tab_to(page, "group")
    page.keyboard.type("Custody Sergeants")
    tab_to(page, "role")
    page.keyboard.press("ArrowDown")  # Officer -> Trainer, without opening the list
    tab_to(page, "Save the group's role")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert store.fetch_group_roles(db) == {"Custody Sergeants": "trainer"}
    sweep.check("single sign-on groups with one", victim=False)
    sweep.assert_clean()
