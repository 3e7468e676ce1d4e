"""The audit log: staff sign-ins, links, sending and account changes; who, what,
when and from where; never victim data; append-only; kept for a set period;
read and filtered by admins."""

import sqlite3
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from feedback import audit, clock, store
from feedback.db import database_target
from tests.conftest import PASSWORD, Browser
from tests.fake_providers import twilio_env
from tests.officer_pages import send
from tests.stored import every_row

PHONE = "07700 900 457"


def actions(db, **filters):
    return [(e["action"], e["actor"]) for e in reversed(audit.fetch_audit(db, filters, 100, 0))]


def test_sign_ins_failures_and_a_lockout_are_logged_with_the_address(make_app, make_user):
    app = make_app(LOCKOUT_THRESHOLD="3")
    officer = make_user("officer@example.com")
    db = store.connect(database_target(app.config))
    browser = Browser(app.test_client())
    for number in range(3):  # from three addresses, so no one client is throttled
        browser.client.environ_base["REMOTE_ADDR"] = f"198.51.100.{number + 1}"
        browser.sign_in(officer["email"], "wrong password here")
    store.unlock_user(db, officer["id"])
    browser.sign_in(officer["email"])
    assert actions(db) == [("sign_in_failed", officer["email"])] * 3 + [
        ("account_locked", officer["email"]), ("sign_in", officer["email"])]
    newest = audit.fetch_audit(db, {}, 1, 0)[0]
    assert newest["address"] == "198.51.100.3" and newest["user_id"] == officer["id"]
    assert datetime.fromisoformat(newest["at"]) > clock.now() - timedelta(minutes=1)


def test_a_failed_sign_in_for_no_account_keeps_nothing_that_was_typed(browser, db):
    typed = "my-secret-password@example.com"  # a password typed in the email box
    browser.sign_in(typed, "whatever was typed here")
    (entry,) = audit.fetch_audit(db, {}, 10, 0)
    assert (entry["action"], entry["user_id"], entry["actor"]) == ("sign_in_failed", None, "")
    assert typed not in every_row(db)


def test_link_creation_cancelling_and_sending_are_logged_without_the_recipient(
        officer_on, fake_provider):
    app, browser, db, link = officer_on(twilio_env(fake_provider))
    send(browser, link, "sms", PHONE, status=303)
    page = f"/officer/links/{link['id']}"
    browser.post_form(page, {}, action=page + "/revoke", status=303)
    logged = audit.fetch_audit(db, {}, 10, 0)
    assert [e["action"] for e in reversed(logged)] == [
        "sign_in", "link_created", "link_sent", "link_revoked"]
    assert {e["subject"] for e in logged[:3]} == {link["id"]}
    assert logged[1]["detail"] == {"channel": "sms"}
    table = "\n".join(str(row) for row in db.query("SELECT * FROM audit_log"))
    for recipient_form in (PHONE, PHONE.replace(" ", ""), "447700900457", "7700900457"):
        assert recipient_form not in table
    assert "/r/" not in table  # no link token either


def test_the_log_refuses_changes(app, officer, db):
    audit.record_audit(db, "sign_in", clock.now(), user=officer, address="192.0.2.1")
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.RaiseException),
                       match="append-only"):
        db.execute("UPDATE audit_log SET actor = 'someone else'")
    assert audit.fetch_audit(db, {}, 10, 0)[0]["actor"] == officer["email"]


def test_the_audit_module_offers_no_way_to_change_or_delete_but_the_purge():
    public = {name for name in vars(audit) if not name.startswith("_")}
    assert public - {"json", "ACTIONS"} == {"record_audit", "fetch_audit", "count_audit",
                                            "purge_audit"}


def test_an_unknown_action_is_a_programming_error(db):
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record_audit(db, "anything", clock.now())


def test_purge_deletes_entries_past_the_retention_period_only(make_app):
    app = make_app(RETENTION_AUDIT_DAYS="30")
    db = store.connect(database_target(app.config))
    now = clock.now()
    audit.record_audit(db, "sign_in_failed", now - timedelta(days=31))
    audit.record_audit(db, "sign_in_failed", now - timedelta(days=29))
    result = app.test_cli_runner().invoke(args=["purge"])
    assert "1 audit entries deleted" in result.output
    assert [e["at"][:10] for e in audit.fetch_audit(db, {}, 10, 0)] == [
        (now - timedelta(days=29)).date().isoformat()]


@pytest.fixture
def admin_browser(browser, make_user):
    admin = make_user("admin@example.com", role="admin")
    browser.sign_in(admin["email"], PASSWORD)
    return browser


def test_the_audit_page_filters_by_action_account_and_period(admin_browser, officer, db):
    long_ago = datetime(2026, 1, 10, 12, tzinfo=UTC)
    audit.record_audit(db, "link_created", long_ago, user=officer, subject="abc123")
    audit.record_audit(db, "link_revoked", long_ago + timedelta(days=5), user=officer)
    page = admin_browser.get("/admin/audit").get_data(as_text=True)
    assert "3 entries" in page  # the admin's own sign-in too
    by_action = admin_browser.get("/admin/audit?action=link_revoked").get_data(as_text=True)
    assert "1 entry" in by_action and "Link cancelled" in by_action
    by_user = admin_browser.get(f"/admin/audit?user={officer['id']}").get_data(as_text=True)
    assert "2 entries" in by_user and "<td>Signed in" not in by_user
    by_period = admin_browser.get("/admin/audit?since=2026-01-10&until=2026-01-10").get_data(
        as_text=True)
    assert "1 entry" in by_period and "Link created" in by_period


@pytest.mark.parametrize(("query", "message"), [
    ("since=yesterday", "Enter the from date as a date, like 2026-01-31"),
    ("since=2026-02-02&until=2026-02-01", "The to date must be the same as or after"),
    ("action=drop+table", "Select an action"),
])
def test_a_bad_filter_is_explained(admin_browser, query, message):
    response = admin_browser.client.get("/admin/audit?" + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_audit_page_pages_through_long_logs(admin_browser, officer, db):
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    for minute in range(119):
        audit.record_audit(db, "link_created", moment + timedelta(minutes=minute), user=officer)
    first = admin_browser.get("/admin/audit").get_data(as_text=True)
    assert "120 entries, page 1 of 3" in first and "Next page" in first
    assert first.count("<tr>") == 51  # a header row and 50 entries
    last = admin_browser.get("/admin/audit?page=3").get_data(as_text=True)
    assert last.count("<tr>") == 21 and "Previous page" in last and "Next page" not in last
    assert admin_browser.get("/admin/audit?page=99").status_code == 200


def test_signing_out_is_logged(signed_in_officer, officer, db):
    signed_in_officer.post_form("/officer/links", {}, action="/sign-out", status=303)
    assert actions(db)[-1] == ("sign_out", officer["email"])
