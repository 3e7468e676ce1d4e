"""Admins register, rotate and revoke API clients in the browser, through the same use
cases as `flask api`, noted in the audit log under their own account."""

import json

import pytest

from tests.api_client import NEW_LINK


@pytest.fixture
def admin_browser(browser, make_user):
    admin = make_user("admin@example.com", role="admin")
    assert browser.sign_in(admin["email"]).status_code == 303
    browser.user = admin
    return browser


def key_on(page):
    return page.split('id="api-key">', 1)[1].split("<", 1)[0]


def test_an_admin_registers_a_client_and_sees_its_key_once(admin_browser, db, app, make_user):
    make_user("officer@example.com")
    page = admin_browser.post_form("/admin/api-clients/new", {
        "name": "Niche RMS", "scopes": ["create", "status"], "days": "30"}, status=200)
    text = page.get_data(as_text=True)
    assert "<h1 class=\"heading-l\">API key for Niche RMS</h1>" in text
    key = key_on(text)
    made = app.test_client().post("/api/v1/links", json=NEW_LINK,
                                  headers={"Authorization": f"Bearer {key}"})
    assert made.status_code == 201
    listing = admin_browser.get("/admin/api-clients").get_data(as_text=True)
    assert "Niche RMS" in listing and f"mms_{key.split('_')[1]}_…" in listing
    assert key not in listing
    [entry] = db.query("SELECT * FROM audit_log WHERE action = 'api_client_registered'")
    assert (entry["user_id"], entry["actor"], entry["subject"]) == (
        admin_browser.user["id"], "admin@example.com", "Niche RMS")
    assert json.loads(entry["detail"])["scopes"] == ["create", "status"]


@pytest.mark.parametrize("form, field, message", [
    ({"name": "", "scopes": ["create"], "days": "30"}, "name", "Enter the case system"),
    ({"name": "<b>", "scopes": ["create"], "days": "30"}, "name", "The name must be 1 to 60"),
    ({"name": "Niche", "days": "30"}, "scopes", "Choose what the client may do"),
    ({"name": "Niche", "scopes": ["create"], "days": "0"}, "days", "A key lasts 1 to 730 days"),
    ({"name": "Niche", "scopes": ["create"], "days": "soon"}, "days",
     "Enter the number of days as a number"),
])
def test_a_client_the_rules_refuse_is_not_registered(admin_browser, db, form, field, message):
    page = admin_browser.post_form("/admin/api-clients/new", form, status=400)
    text = page.get_data(as_text=True)
    assert f'<li><a href="#{field}">{message}' in text
    assert "<title>Error: Register an API client" in text
    assert list(db.query("SELECT * FROM api_clients")) == []


def test_an_admin_rotates_and_revokes_a_key(admin_browser, db, app, make_user):
    make_user("officer@example.com")
    first = key_on(admin_browser.post_form("/admin/api-clients/new", {
        "name": "Niche RMS", "scopes": ["status"], "days": "30"}).get_data(as_text=True))
    [client] = db.query("SELECT id FROM api_clients")
    page = f"/admin/api-clients/{client['id']}"
    second = key_on(admin_browser.post_form(page, {}, action=f"{page}/rotate", status=200)
                    .get_data(as_text=True))
    api = app.test_client()

    def status(key):
        return api.get("/api/v1/links/abcdefghijklmnop",
                       headers={"Authorization": f"Bearer {key}"}).status_code

    assert (status(first), status(second)) == (401, 404)
    revoked = admin_browser.post_form(page, {}, action=f"{page}/revoke", status=303)
    assert revoked.headers["Location"] == page
    assert '<dd id="client-status">Revoked</dd>' in admin_browser.get(page).get_data(
        as_text=True)
    assert status(second) == 401
    actions = [row["action"] for row in db.query(
        "SELECT action FROM audit_log WHERE user_id = ? AND action LIKE 'api_%' ORDER BY id",
        [admin_browser.user["id"]])]
    assert actions == ["api_client_registered", "api_key_rotated", "api_client_revoked"]


def test_only_admins_reach_the_client_pages(browser, make_user):
    officer = make_user("officer@example.com")
    browser.sign_in(officer["email"])
    for path in ("/admin/api-clients", "/admin/api-clients/new", "/admin/api-clients/1"):
        assert browser.client.get(path).status_code == 403


def test_an_unknown_client_is_a_404(admin_browser):
    admin_browser.get("/admin/api-clients/999", status=404)


def test_a_clients_page_shows_that_client_and_its_key_alone(admin_browser, db):
    keys = {name: key_on(admin_browser.post_form("/admin/api-clients/new", {
        "name": name, "scopes": ["status"], "days": "30"}).get_data(as_text=True))
        for name in ("Athena", "Niche RMS")}
    [niche] = db.query("SELECT id FROM api_clients WHERE name = 'Niche RMS'")
    page = admin_browser.get(f"/admin/api-clients/{niche['id']}").get_data(as_text=True)
    assert '<h1 class="heading-l">Niche RMS</h1>' in page and "Athena" not in page
    assert f"mms_{keys['Niche RMS'].split('_')[1]}_…" in page
    assert f"mms_{keys['Athena'].split('_')[1]}_" not in page
