"""/api/v1: a case system makes a link for an officer, gets its QR code and typed
code, reads its status and cancels it, with a key whose scopes allow it. Every
response is checked against the OpenAPI description (tests/api_client.py)."""

import subprocess

from feedback import qr, store
from feedback.usecases import links
from tests.api_client import NEW_LINK, api, make_api  # noqa: F401


def audit_entries(db, action):
    return list(db.query("SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action]))


def test_a_case_system_creates_a_link_for_an_officer(api, tmp_path):
    key = api.register()
    made = api.create(key)
    stored = store.fetch_link(api.db, made["id"])
    officer = store.fetch_user_by_email(api.db, "officer@example.com")
    assert (stored["officer_id"], stored["stage"], stored["crime_category"],
            stored["language"], stored["team"], stored["borough"]) == (
        officer["id"], "at_report", "burglary", "pl", officer["team"], officer["borough"])
    assert made["status"] == "open" and made["sent"] == []
    assert made["url"] == links.link_url(stored, [api.app.config["SECRET_KEY"]],
                                         "https://feedback.example.test")
    assert made["code"] == links.typed_code(stored, [api.app.config["SECRET_KEY"]])
    assert made["expires_at"] == stored["expires_at"]
    # The officer sees it among their own links, as if they had made it.
    assert [link["id"] for link in store.fetch_links_for_officer(api.db, officer["id"])] == [
        made["id"]]
