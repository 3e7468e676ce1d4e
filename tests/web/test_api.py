"""/api/v1: a case system makes a link for an officer, gets its QR code and typed
code, reads its status and cancels it, with a key whose scopes allow it. Every
response is checked against the OpenAPI description (tests/api_client.py)."""

import json
import subprocess

from feedback.adapters import qr, store
from feedback.usecases import links
from tests.stored import officer_links


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
    assert [link["id"] for link in officer_links(api.db, officer["id"])] == [
        made["id"]]


def test_its_status_typed_code_and_qr_codes_are_there_to_fetch(api, tmp_path):
    key = api.register()
    made = api.create(key)
    status = api.call("GET", f"/links/{made['id']}", key).get_json()
    assert {name: status[name] for name in ("id", "status", "stage", "language")} == {
        "id": made["id"], "status": "open", "stage": "at_report", "language": "pl"}
    assert "url" not in status and "code" not in status
    code = api.call("GET", f"/links/{made['id']}/code", key).get_json()
    assert code == {"url": made["url"], "code": made["code"],
                    "address": "feedback.example.test/code"}
    png = api.call("GET", f"/links/{made['id']}/qr.png", key)
    assert png.mimetype == "image/png"
    (tmp_path / "qr.png").write_bytes(png.data)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == made["url"]
    svg = api.call("GET", f"/links/{made['id']}/qr.svg", key)
    assert svg.mimetype == "image/svg+xml" and svg.data == qr.svg(made["url"])


def test_a_link_is_cancelled_once(api):
    key = api.register()
    made = api.create(key)
    cancelled = api.call("POST", f"/links/{made['id']}/cancel", key)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert store.fetch_link(api.db, made["id"])["revoked"] == 1
    again = api.call("POST", f"/links/{made['id']}/cancel", key)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    for path in ("code", "qr.png", "qr.svg"):
        assert api.call("GET", f"/links/{made['id']}/{path}", key).status_code == 409
    assert api.call("GET", f"/links/{made['id']}", key).get_json()["status"] == "cancelled"


def test_an_answered_or_expired_link_reads_so_and_cannot_be_cancelled(api, pinned_clock):
    key = api.register()
    answered, expiring = api.create(key), api.create(key, expiry_days=1)
    store.mark_link_used(api.db, answered["id"])
    pinned_clock.advance(days=1)
    assert api.call("GET", f"/links/{answered['id']}", key).get_json()["status"] == "completed"
    assert api.call("GET", f"/links/{expiring['id']}", key).get_json()["status"] == "expired"
    for made in (answered, expiring):
        assert api.call("POST", f"/links/{made['id']}/cancel", key).status_code == 409
        assert store.fetch_link(api.db, made["id"])["revoked"] == 0


def test_every_call_and_change_is_in_the_audit_log_with_its_client(api):
    key = api.register("Niche RMS")
    made = api.create(key)
    api.call("GET", f"/links/{made['id']}", key)
    api.call("POST", f"/links/{made['id']}/cancel", key)
    prefix = key.split("_")[1]
    [registered] = audit_entries(api.db, "api_client_registered")
    assert (registered["actor"], registered["subject"]) == ("command line", "Niche RMS")
    assert json.loads(registered["detail"]) == {
        "by": "command line", "days": 365, "key": prefix,
        "scopes": ["create", "send", "status", "cancel"]}
    [created] = audit_entries(api.db, "link_created")
    [revoked] = audit_entries(api.db, "link_revoked")
    for entry in (created, revoked):
        assert (entry["actor"], entry["subject"], entry["user_id"]) == (
            "API client Niche RMS", made["id"], None)
    calls = audit_entries(api.db, "api_call")
    assert [(call["subject"], json.loads(call["detail"])) for call in calls] == [
        (operation, {"by": "API client Niche RMS", "key": prefix, "status": status})
        for operation, status in (("api.create_link", 201), ("api.read_link", 200),
                                  ("api.cancel", 200))]
