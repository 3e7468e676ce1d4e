"""The audit log: staff sign-ins, links, sending and account changes; who, what,
when and from where; never victim data; append-only; kept for a set period;
read and filtered by admins."""

import sqlite3
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.domain import clock
from feedback.usecases import auditing, links, reporting, staff
from feedback.web.db import database_target
from tests.conftest import PASSWORD, Browser
from tests.fake_providers import twilio_env
from tests.officer_pages import send
from tests.pages import sign_in
from tests.stored import every_row
from tests.trainer_data import add_response

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
    assert public - {"json", "ACTIONS"} == {"record_audit", "record_refused_sign_in",
                                            "fetch_audit", "count_audit", "purge_audit"}


REFUSED = (sqlite3.IntegrityError, psycopg.errors.RaiseException)


def test_the_log_refuses_to_delete_its_last_30_days_even_to_the_database_owner(app, officer,
                                                                                 db):
    now = clock.now()
    for days in (29, 1, 0):
        audit.record_audit(db, "sign_in", now - timedelta(days=days), user=officer)
    for statement in ("DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = 1",
                      "DELETE FROM audit_log WHERE action = 'sign_in'"):
        with pytest.raises(REFUSED, match="keeps every entry of its last 30 days"):
            db.execute(statement)
    assert len(audit.fetch_audit(db, {}, 10, 0)) == 3
    # An update is still refused, delete or no delete.
    with pytest.raises(REFUSED, match="append-only"):
        db.execute("UPDATE audit_log SET at = '2000-01-01T00:00:00+00:00'")


def test_the_30_days_are_counted_from_the_newest_entry_not_a_clock(app, officer, db):
    """The database server's clock and the machine's date play no part: the service's
    own moment (pinned in tests) decides, through the entries it writes."""
    newest = datetime(2031, 6, 1, tzinfo=UTC)  # years away from any machine's date
    for at in (newest - timedelta(days=30, seconds=1),  # older than the 30 days: may go
               newest - timedelta(days=30),  # exactly 30 days: kept
               newest):
        audit.record_audit(db, "sign_in", at, user=officer)
    assert db.execute("DELETE FROM audit_log WHERE id = 1").rowcount == 1
    for entry_id in (2, 3):
        with pytest.raises(REFUSED, match="keeps every entry"):
            db.execute("DELETE FROM audit_log WHERE id = ?", [entry_id])
    assert [e["id"] for e in audit.fetch_audit(db, {}, 10, 0)] == [3, 2]


def test_an_entry_whose_time_cannot_be_read_is_kept(app, db):
    db.execute("INSERT INTO audit_log (at, action) VALUES ('not a time', 'sign_in_failed')")
    audit.record_audit(db, "sign_in_failed", clock.now() + timedelta(days=400))
    with pytest.raises((*REFUSED, psycopg.errors.InvalidDatetimeFormat)):
        db.execute("DELETE FROM audit_log WHERE at = 'not a time'")
    assert audit.count_audit(db, {}) == 2


def test_postgres_refuses_to_truncate_the_log(make_app, postgres_url):
    """On PostgreSQL's server in both test runs: TRUNCATE skips row triggers."""
    app = make_app(DATABASE_URL=postgres_url)
    db = store.connect(database_target(app.config))
    try:
        audit.record_audit(db, "sign_in", clock.now() - timedelta(days=400))
        with pytest.raises(psycopg.errors.RaiseException, match="keeps every entry"):
            db.execute("TRUNCATE audit_log")
        assert audit.count_audit(db, {}) == 1
    finally:
        db.close()


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
    purged, kept = audit.fetch_audit(db, {}, 10, 0)
    assert kept["at"][:10] == (now - timedelta(days=29)).date().isoformat()
    # The purge notes itself first: what it deleted stays on record.
    assert (purged["action"], purged["actor"], purged["at"]) == (
        "audit_purged", "retention purge", now.isoformat())
    assert purged["detail"] == {"before": (now - timedelta(days=30)).isoformat()}


def test_purge_works_after_a_quiet_spell_with_no_recent_entries(make_app):
    """Newest entry 100 days old: without the purge's own entry first, the trigger
    would keep (and refuse to delete) everything from 130 days ago on."""
    app = make_app(RETENTION_AUDIT_DAYS="30")
    db = store.connect(database_target(app.config))
    now = clock.now()
    for days in (120, 100):
        audit.record_audit(db, "sign_in_failed", now - timedelta(days=days))
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "2 audit entries deleted" in result.output
    assert [e["action"] for e in audit.fetch_audit(db, {}, 10, 0)] == ["audit_purged"]


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


def test_a_flood_of_refused_sign_ins_is_noted_once_per_address_and_window(
        make_app, make_user, pinned_clock):
    app = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="3/15")
    officer = make_user("officer@example.com")
    db = store.connect(database_target(app.config))
    client = app.test_client()
    typed = "a wrong password typed 12 times"

    def flood(address, times):
        return [sign_in(client, officer["email"], typed, address=address).status_code
                for _ in range(times)]

    assert flood("203.0.113.7", 12) == [400] * 3 + [429] * 9
    (noted,) = audit.fetch_audit(db, {"action": "sign_in_refused"}, 100, 0)
    assert (noted["address"], noted["user_id"], noted["actor"]) == ("203.0.113.7", None, "")
    second = int(clock.now().timestamp())
    start = datetime.fromtimestamp(second - second % 900, UTC)  # the limiter's window
    assert noted["detail"] == {"window": f"{start.isoformat()}/"
                                         f"{(start + timedelta(minutes=15)).isoformat()}"}
    assert typed not in every_row(db)
    # Another address gets its own entry; the first gets no more in this window.
    assert flood("203.0.113.8", 6) == [400] * 3 + [429] * 3
    assert flood("203.0.113.7", 2) == [429] * 2
    assert sorted(e["address"] for e in audit.fetch_audit(
        db, {"action": "sign_in_refused"}, 100, 0)) == ["203.0.113.7", "203.0.113.8"]
    # The next window (the limit still refuses: it counts the previous one too).
    pinned_clock.advance(minutes=15)
    assert flood("203.0.113.7", 3) == [429] * 3
    assert [e["address"] for e in audit.fetch_audit(
        db, {"action": "sign_in_refused"}, 100, 0)] == ["203.0.113.7", "203.0.113.8",
                                                        "203.0.113.7"]


def test_an_ipv6_client_is_noted_once_for_its_whole_64(make_app, make_user):
    app = make_app(RATE_LIMIT_SIGN_IN_ADDRESS="2/15")
    officer = make_user("officer@example.com")
    db = store.connect(database_target(app.config))
    client = app.test_client()
    statuses = [sign_in(client, officer["email"], "wrong password here",
                        address=f"2001:db8:1:2::{n:x}").status_code for n in range(1, 9)]
    assert statuses == [400] * 2 + [429] * 6
    (noted,) = audit.fetch_audit(db, {"action": "sign_in_refused"}, 100, 0)
    assert noted["address"] == "2001:db8:1:2::/64"  # the client the limit refused


def test_parallel_refusals_are_noted_once(db):
    """Workers and instances refusing at the same moment: the database keeps one."""
    now = clock.now()
    first = staff.note_refused_sign_in(db, "203.0.113.7", 900, now)
    again = staff.note_refused_sign_in(db, "203.0.113.7", 900, now + timedelta(seconds=1))
    assert (first, again) == (True, False)
    assert audit.count_audit(db, {"action": "sign_in_refused"}) == 1


def test_a_sign_in_refused_while_every_password_hash_slot_is_busy_is_noted(make_app,
                                                                           make_user):
    app = make_app(PASSWORD_HASH_CONCURRENCY="1")
    officer = make_user("officer@example.com")
    db = store.connect(database_target(app.config))
    gate = app.extensions["hash_gate"]
    gate.wait_seconds = 0.1
    with gate:  # another request is hashing
        assert sign_in(app.test_client(), officer["email"]).status_code == 429
    (noted,) = audit.fetch_audit(db, {"action": "sign_in_refused"}, 100, 0)
    assert noted["address"] == "198.51.100.1"


# A change and its entry are kept, or lost, together ------------------------------------

class AuditDown(Exception):
    """The audit insert failed (a full disk, a lost connection)."""


KEYS = ["key-0123456789abcdef0123456789abcdef"]
CHOICE = {"stage": "at_report", "crime_category": "burglary", "team": "Response Team 1",
          "language": "en", "expiry_days": 28}


def _invite(db, by):
    return staff.invite(db, {"email": "new@example.com", "team": "", "borough": ""},
                        "officer", by, 72, clock.now())


# Each sets up what it needs (while the log works) and returns the change, and what
# reads back what the change would change.
def _role(db, officer, by):
    return (lambda: staff.set_role(db, officer["id"], "trainer", by, clock.now()),
            lambda: store.fetch_user(db, officer["id"])["role"])


def _team(db, officer, by):
    return (lambda: staff.set_team(db, officer["id"], "CID", "Islington", by, clock.now()),
            lambda: store.fetch_user(db, officer["id"])["team"])


def _access(db, officer, by):
    return (lambda: staff.set_disabled(db, officer["id"], True, by, clock.now()),
            lambda: store.fetch_user(db, officer["id"])["disabled"])


def _invitation(db, _officer, by):
    return (lambda: _invite(db, by),
            lambda: store.fetch_user_by_email(db, "new@example.com"))


def _renewal(db, _officer, by):
    user_id, token = _invite(db, by)
    return (lambda: staff.renew_invitation(db, user_id, by, 72, clock.now()),
            lambda: staff.open_invitation(db, token, clock.now()))


def _password(db, _officer, by):
    user_id, token = _invite(db, by)
    return (lambda: staff.accept_invitation(db, token, "a brand new long password",
                                            "198.51.100.1", clock.now()),
            lambda: store.fetch_user(db, user_id)["password_hash"])


def _link(db, officer, by):
    return (lambda: links.create_link(db, officer, CHOICE, KEYS, clock.now(), by=by),
            lambda: db.execute("SELECT count(*) FROM links").fetchone()[0])


def _cancel(db, officer, by):
    link = links.create_link(db, officer, CHOICE, KEYS, clock.now())
    return (lambda: links.revoke_link(db, officer["id"], link["id"], clock.now(), by=by),
            lambda: store.fetch_link(db, link["id"])["revoked"])


def _comment(db, _officer, by):
    response = add_response(db, free_text={"comments": "Kind at the desk"})
    return (lambda: reporting.remove_comment(db, response["id"], "comments", "", by,
                                             clock.now()),
            lambda: store.fetch_response_text(db, response["id"]))


@pytest.mark.parametrize("change", [_role, _team, _access, _invitation, _renewal, _password,
                                    _link, _cancel, _comment], ids=lambda case: case.__name__)
def test_a_change_whose_audit_entry_fails_is_not_kept(db, make_user, officer, monkeypatch,
                                                      change):
    by = auditing.Actor(make_user("admin@example.com", role="admin"), "198.51.100.1")
    act, stored = change(db, officer, by)
    before, entries = stored(), audit.count_audit(db, {})

    def refuse(*_args, **_kwargs):
        raise AuditDown()
    monkeypatch.setattr(audit, "record_audit", refuse)
    with pytest.raises(AuditDown):
        act()
    assert stored() == before
    assert audit.count_audit(db, {}) == entries
