"""The use cases called directly, as the views and commands call them: a real
SQLite file, a fixed clock, and senders pointed at a fake provider on 127.0.0.1.
Each test asserts on what was stored."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from feedback.adapters import delivery, ratelimit, store
from feedback.domain import accounts, codes
from feedback.domain.links import LinkError, LinkExpired, LinkRevoked, LinkUsed, read_token
from feedback.domain.privacy import anonymise
from feedback.domain.surveys import load_surveys, validate_answers
from feedback.usecases import (
    auditing,
    housekeeping,
    links,
    reporting,
    responding,
    sending,
    staff,
)
from tests.conftest import AT_REPORT_ANSWERS
from tests.trainer_data import publish

NOW = datetime(2026, 10, 5, 10, 30, tzinfo=UTC)
KEYS = ["old-key-0123456789abcdef0123456789abcdef", "new-key-0123456789abcdef0123456789abcdef"]
BASE_URL = "https://feedback.example.test"
SURVEYS = load_surveys("feedback/survey_definitions", 500)
PATTERNS = anonymise.compile_patterns(anonymise.DEFAULT_CRIME_REFERENCE_PATTERNS)
CHOICE = {"stage": "at_report", "crime_category": "burglary", "team": "Response Team 1",
          "language": "pl", "expiry_days": 28}
PHONE = "+447700900457"
# The signature's own age limit is checked against the real clock; the fixed one
# decides expiry in the links table, which is what these tests are about.
TOKEN_MAX_AGE = 3600 * 24 * 365 * 10


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "feedback.sqlite3")
    store.prepare(path)
    database = store.connect(path, must_exist=True)
    yield database
    database.close()


def add_user(db, email, role="officer", borough="Camden"):
    user_id = store.create_user(db, email, accounts.hash_password("a long enough password"),
                                role, "Response Team 1", borough, NOW)
    return store.fetch_user(db, user_id)


@pytest.fixture
def officer(db):
    return add_user(db, "officer@example.com")


def new_link(db, officer, now=NOW, **choice):
    return links.create_link(db, officer, {**CHOICE, **choice}, KEYS, now)


# Links ------------------------------------------------------------------------------

def test_a_new_link_is_stored_with_the_officers_borough_expiry_and_code(db, officer):
    link = new_link(db, officer)
    stored = store.fetch_link(db, link["id"])
    assert stored["officer_id"] == officer["id"] and stored["borough"] == "Camden"
    assert (stored["stage"], stored["language"], stored["channel"]) == ("at_report", "pl", "qr")
    assert stored["created_at"] == NOW.replace(microsecond=0).isoformat()
    assert stored["expires_at"] == (NOW + timedelta(days=28)).isoformat()
    # The code is derived with the newest key, and only its digest is kept.
    assert stored["code_digest"] == codes.digest(codes.derive(link["id"], KEYS[-1]))


def test_a_links_url_carries_its_id_signed_and_nothing_else(db, officer):
    link = new_link(db, officer)
    url = links.link_url(link, KEYS, BASE_URL)
    assert url.startswith(f"{BASE_URL}/r/")
    assert read_token(url.rsplit("/", 1)[1], KEYS, TOKEN_MAX_AGE, NOW) == link["id"]
    assert links.link_url(link, KEYS, BASE_URL) == url  # the same link, the same URL


def test_someone_elses_link_is_not_found(db, officer):
    link = new_link(db, officer)
    other = add_user(db, "other@example.com")
    assert links.own_link(db, officer["id"], link["id"])["id"] == link["id"]
    with pytest.raises(links.LinkNotFound):
        links.own_link(db, other["id"], link["id"])
    with pytest.raises(links.LinkNotFound):
        links.own_link(db, officer["id"], "A" * 16)


def test_cancelling_a_link_stops_it_unless_it_was_answered(db, officer):
    live, answered = new_link(db, officer), new_link(db, officer)
    store.mark_link_used(db, answered["id"])
    assert links.revoke_link(db, officer["id"], live["id"]) is True
    assert links.revoke_link(db, officer["id"], answered["id"]) is False
    assert store.fetch_link(db, live["id"])["revoked"]
    assert not store.fetch_link(db, answered["id"])["revoked"]
    assert not links.is_live(store.fetch_link(db, live["id"]), NOW)


def test_an_officers_list_is_filtered_and_paged(db, officer):
    old = new_link(db, officer, now=NOW - timedelta(days=10))
    for hours in range(3):
        new_link(db, officer, now=NOW - timedelta(hours=hours))
    cancelled = new_link(db, officer, now=NOW - timedelta(days=2))
    links.revoke_link(db, officer["id"], cancelled["id"])
    new_link(db, add_user(db, "other@example.com"))

    everything = links.link_page(db, officer["id"], NOW, {}, 1, 2)
    assert (everything["total"], everything["pages"], len(everything["links"])) == (5, 3, 2)
    last = links.link_page(db, officer["id"], NOW, {}, 3, 2)
    assert [link["id"] for link in last["links"]] == [old["id"]] and last["first"] == 5
    assert last["links"][0]["status"] == "not_opened"
    assert last["links"][0]["category"] == "Burglary"
    week = links.link_page(db, officer["id"], NOW, {"period": "week"}, 1, 20)
    assert week["total"] == 4
    revoked = links.link_page(db, officer["id"], NOW, {"status": "revoked"}, 1, 20)
    assert [link["id"] for link in revoked["links"]] == [cancelled["id"]]
    with pytest.raises(links.PageNotFound):
        links.link_page(db, officer["id"], NOW, {}, 4, 2)


# Sending ----------------------------------------------------------------------------

def twilio_senders(fake):
    return delivery.build_senders({
        "SMS_BACKEND": "twilio", "EMAIL_BACKEND": "console",
        "TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "twilio-test-token",
        "TWILIO_FROM_NUMBER": "+447700900001", "TWILIO_BASE_URL": fake.url,
        "SENDER_NAME": "My Met Service"})


def send_settings(limit=5):
    return {"keys": KEYS, "base_url": BASE_URL, "sender_name": "My Met Service",
            "limit": limit, "channels": {"sms", "email"}}


def deliveries(db):
    return list(db.query("SELECT * FROM deliveries"))


def test_a_sent_link_is_noted_without_its_recipient(db, officer, fake_provider, tmp_path):
    link = new_link(db, officer)
    sending.send_link(db, twilio_senders(fake_provider), link, officer["id"], "sms", PHONE,
                      send_settings(), NOW)
    [request] = fake_provider.requests
    assert request.body["To"] == PHONE
    assert links.link_url(link, KEYS, BASE_URL) in request.body["Body"]
    [sent] = deliveries(db)
    assert (sent["link_id"], sent["officer_id"], sent["channel"]) == (
        link["id"], officer["id"], "sms")
    stored = store.fetch_link(db, link["id"])
    assert (stored["channel"], stored["delivery_status"]) == ("sms", "sent")
    details = links.link_details(db, stored, KEYS, BASE_URL, NOW)
    assert [(s["channel"], s["sent_at"]) for s in details["sent"]] == [("sms", NOW)]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for file in tmp_path.iterdir():
        assert b"7700900457" not in file.read_bytes(), file


def test_sends_past_the_hourly_limit_are_refused(db, officer, fake_provider):
    link, senders = new_link(db, officer), twilio_senders(fake_provider)
    sending.send_link(db, senders, link, officer["id"], "sms", PHONE, send_settings(1), NOW)
    with pytest.raises(sending.SendLimitReached):
        sending.send_link(db, senders, link, officer["id"], "sms", PHONE, send_settings(1),
                          NOW + timedelta(minutes=59))
    assert len(fake_provider.requests) == 1 and len(deliveries(db)) == 1
    # An hour on, the first send no longer counts.
    sending.send_link(db, senders, link, officer["id"], "sms", PHONE, send_settings(1),
                      NOW + timedelta(hours=1, seconds=1))
    assert len(deliveries(db)) == 2


def test_a_send_the_provider_refused_does_not_count(db, officer, fake_provider):
    link, senders = new_link(db, officer), twilio_senders(fake_provider)
    fake_provider.fail_next(500)
    with pytest.raises(delivery.DeliveryError):
        sending.send_link(db, senders, link, officer["id"], "sms", PHONE, send_settings(1), NOW)
    assert deliveries(db) == []
    assert store.fetch_link(db, link["id"])["delivery_status"] is None
    sending.send_link(db, senders, link, officer["id"], "sms", PHONE, send_settings(1), NOW)
    assert len(deliveries(db)) == 1


@pytest.mark.parametrize("dead", ["used", "revoked", "expired"])
def test_a_dead_link_is_never_sent_whoever_asks(db, officer, fake_provider, dead):
    """As the API or any caller but the officer's page would call it."""
    link = new_link(db, officer, expiry_days=1)
    later = NOW
    if dead == "used":
        store.mark_link_used(db, link["id"])
    elif dead == "revoked":
        links.revoke_link(db, officer["id"], link["id"])
    else:
        later = NOW + timedelta(days=1)
    with pytest.raises(LinkError):
        sending.send_link(db, twilio_senders(fake_provider), link, officer["id"], "sms", PHONE,
                          send_settings(), later)
    assert fake_provider.requests == [] and deliveries(db) == []


def test_receipts_move_a_links_delivery_status_on_only(db, officer, fake_provider):
    link = new_link(db, officer)
    sending.send_link(db, twilio_senders(fake_provider), link, officer["id"], "sms", PHONE,
                      send_settings(), NOW)
    [sent] = deliveries(db)
    sending.record_receipts(db, [(sent["reference"], "delivered"), ("unknown-ref", "failed")])
    assert store.fetch_link(db, link["id"])["delivery_status"] == "delivered"
    sending.record_receipts(db, [(sent["reference"], "sent"), (sent["reference"], None)])
    assert store.fetch_link(db, link["id"])["delivery_status"] == "delivered"


def test_a_recipient_is_checked_for_its_channel():
    assert sending.parse_recipient("sms", "07700 900 457", False) == PHONE
    assert sending.parse_recipient("email", "Sam@Example.com", False).lower() == (
        "sam@example.com")
    with pytest.raises(ValueError, match="."):
        sending.parse_recipient("sms", "sam@example.com", False)


# Responding -------------------------------------------------------------------------

def token_of(link):
    return links.link_url(link, KEYS, BASE_URL).rsplit("/", 1)[1]


def test_opening_a_link_marks_it_opened(db, officer):
    link = new_link(db, officer)
    opened = responding.open_link(db, token_of(link), KEYS, TOKEN_MAX_AGE, NOW)
    assert opened["id"] == link["id"]
    assert store.fetch_link(db, link["id"])["opened"]


def test_an_unusable_link_says_why_in_its_own_language(db, officer):
    expired = new_link(db, officer, now=NOW - timedelta(days=30))
    with pytest.raises(LinkExpired) as raised:
        responding.open_link(db, token_of(expired), KEYS, TOKEN_MAX_AGE, NOW)
    assert raised.value.language == "pl"
    assert not store.fetch_link(db, expired["id"])["opened"]


def test_a_typed_code_opens_its_link(db, officer):
    link = new_link(db, officer)
    code = codes.shown(codes.derive(link["id"], KEYS[-1]))
    assert responding.open_by_code(db, code.lower(), NOW)["id"] == link["id"]
    assert store.fetch_link(db, link["id"])["opened"]
    with pytest.raises(responding.CodeUnreadable):
        responding.open_by_code(db, "not a code", NOW)
    with pytest.raises(responding.CodeUnknown):
        responding.open_by_code(db, "AB12C-D34EF", NOW)
    links.revoke_link(db, officer["id"], link["id"])
    with pytest.raises(LinkRevoked):
        responding.open_by_code(db, code, NOW)


def answers(comment):
    return validate_answers(SURVEYS["at_report"], {**AT_REPORT_ANSWERS, "comments": comment})


def submit(db, link, session_id, comment="Quick and kind."):
    chosen, free_text, errors = answers(comment)
    assert errors == {}
    # A batch of 1: released at once, so each test reads its response back.
    settings = {"language": "en", "redaction": PATTERNS, "max_length": 500, "keys": KEYS,
                "batch": 1}
    responding.submit_response(db, link, SURVEYS["at_report"], chosen, free_text, settings,
                               {"id_hash": session_id, "data": {"answered": True}}, NOW)


def test_a_response_is_stored_once_redacted_and_uses_the_link(db, officer):
    link = new_link(db, officer)
    store.save_session(db, "session-a", json.dumps({"link_id": link["id"]}), NOW.isoformat(),
                       NOW.isoformat())
    submit(db, link, "session-a", "PC Smith called me on 07700 900 123.")
    [row] = db.query("SELECT * FROM responses")
    assert (row["stage"], row["team"], row["borough"], row["language"]) == (
        "at_report", "Response Team 1", "Camden", "en")
    assert row["week"] == anonymise.iso_week(NOW.date())
    assert "07700" not in row["free_text"] and "Smith" not in row["free_text"]
    assert json.loads(row["answers"])["overall"] == AT_REPORT_ANSWERS["overall"]
    assert store.fetch_link(db, link["id"])["used"]
    assert responding.finished_in_session(db, "session-a")

    submit(db, link, "session-a")  # a double tap of the same session: no error
    with pytest.raises(LinkUsed):
        submit(db, link, "session-b")  # another browser
    assert db.execute("SELECT count(*) FROM responses").fetchone()[0] == 1


# Reporting, housekeeping, accounts ------------------------------------------------------

def test_a_removed_detail_is_gone_from_the_stored_comment(db, officer):
    submit(db, new_link(db, officer), "", "The officer at the front desk was kind.")
    [response_id] = [row["id"] for row in db.query("SELECT id FROM responses")]
    by = auditing.COMMAND_LINE
    reporting.remove_comment(db, response_id, "comments", "front desk", by, NOW)
    assert store.fetch_response_text(db, response_id)["comments"] == (
        f"The officer at the {reporting.DETAIL_REMOVED} was kind.")
    with pytest.raises(reporting.NotInComment):
        reporting.remove_comment(db, response_id, "comments", "front desk", by, NOW)
    [removed] = auditing.log_page(db, {}, 10, 1)["entries"]  # once: not for the refusal
    assert (removed["action"], removed["subject"], removed["actor"]) == (
        "comment_removed", response_id, "command line")


def test_figures_and_comments_of_a_month_not_yet_published_are_refused(db, officer):
    # Answers given on 5 October 2026: September is published on 1 October, October
    # on 5 November.
    settings = {"threshold": 10, "response_days": 730, "link_days": 180}
    for number in range(12):
        submit(db, new_link(db, officer), f"session-{number}")
    assert reporting.shown_months(NOW.date(), 730)[-1] == "2026-09"
    for months in (["2026-10"], ["2026-09", "2026-10"]):
        with pytest.raises(reporting.NotShown):
            reporting.dashboard(db, SURVEYS, months, {}, settings, NOW.date())
        with pytest.raises(reporting.NotShown):
            reporting.comments(db, SURVEYS, months, {}, "", 1, settings, NOW.date())
    # Once October is published (and released, with two ratings in it), its figures
    # are shown.
    for row in list(db.query("SELECT id FROM responses"))[::2]:
        db.execute("UPDATE responses SET answers = json_set(answers, '$.overall', 'neither')"
                   " WHERE id = ?", [row["id"]])
    published = datetime(2026, 11, 5, tzinfo=UTC).date()
    publish(db, SURVEYS, published)
    assert reporting.dashboard(db, SURVEYS, ["2026-10"], {}, settings, published)[
        "responses"] == 10


def test_the_purge_deletes_responses_a_whole_quarter_at_a_time(db, officer):
    for week in ("2024-W27", "2024-W39", "2024-W40", "2024-W45", "2024-W52"):
        submit(db, new_link(db, officer), f"session-{week}")
        db.execute("UPDATE responses SET week = ? WHERE week = ?",
                   [week, anonymise.iso_week(NOW.date())])
    publish(db, SURVEYS, NOW.date())
    retention = {"link_days": 90, "response_days": 730, "audit_days": 365,
                 "session_hours": 12}
    # 730 days before 4 November 2026 is in 2024-W45: the third quarter of 2024 is
    # all older, the fourth only in part, so it stays whole.
    counts = housekeeping.purge(db, retention, NOW + timedelta(days=30))
    assert counts["responses"] == 2
    assert sorted(row["week"] for row in db.query("SELECT week FROM responses")) == [
        "2024-W40", "2024-W45", "2024-W52"]
    # The releases of its months go with them; the fourth quarter's stay.
    assert next(db.query("SELECT min(month) AS m FROM releases"))["m"] == "2024-10"
    # Once every week of it is older (after Sunday 29 December 2024), it all goes.
    assert housekeeping.purge(db, retention, datetime(2026, 12, 29, tzinfo=UTC))[
        "responses"] == 0
    assert housekeeping.purge(db, retention, datetime(2026, 12, 30, tzinfo=UTC))[
        "responses"] == 3
    assert next(db.query("SELECT min(month) AS m FROM releases"))["m"] == "2025-01"


def test_the_purge_deletes_only_what_is_past_retention(db, officer):
    old, recent = new_link(db, officer, now=NOW - timedelta(days=100)), new_link(db, officer)
    auditing.record(db, "sign_in", NOW - timedelta(days=400), officer, "", None, "")
    auditing.record(db, "sign_in", NOW, officer, "", None, "")
    retention = {"link_days": 90, "response_days": 730, "audit_days": 365,
                 "session_hours": 12}
    counts = housekeeping.purge(db, retention, NOW)
    assert counts["audit entries"] == 1
    assert store.fetch_link(db, old["id"]) is None
    assert store.fetch_link(db, recent["id"]) is not None
    # The recent entry stays, beside the purge's own note of what it deleted.
    assert [(entry["action"], entry["at"]) for entry in auditing.log_page(db, {}, 10, 1)[
        "entries"]] == [("audit_purged", NOW.isoformat()), ("sign_in", NOW.isoformat())]


def test_a_new_account_needs_a_new_address_and_a_strong_password(db, officer):
    with pytest.raises(staff.AccountExists, match="officer@example.com"):
        staff.new_account_details(db, " Officer@Example.com", "", "")
    details = staff.new_account_details(db, "Trainer@Example.com", "Team 2", "Hackney",
                                        new_team=True)
    with pytest.raises(accounts.WeakPassword):
        staff.create_account(db, details, "trainer", "short", NOW)
    user_id = staff.create_account(db, details, "trainer", "a long enough password", NOW)
    stored = store.fetch_user(db, user_id)
    assert (stored["email"], stored["role"], stored["borough"]) == (
        "trainer@example.com", "trainer", "Hackney")


def test_failed_sign_ins_lock_the_account_and_are_audited(db, officer):
    lockout = {"threshold": 2, "minutes": 15}
    for _ in range(3):
        assert staff.authenticate(db, officer["email"], "wrong password!", lockout, "10.0.0.1",
                                  NOW) is None
    assert accounts.is_locked(store.fetch_user(db, officer["id"]), NOW)
    # Even the right password is refused while locked.
    assert staff.authenticate(db, officer["email"], "a long enough password", lockout,
                              "10.0.0.1", NOW) is None
    actions = [entry["action"] for entry in auditing.log_page(db, {}, 10, 1)["entries"]]
    assert actions.count("sign_in_failed") == 4 and actions.count("account_locked") == 1
    later = NOW + timedelta(minutes=16)
    assert staff.authenticate(db, officer["email"], "a long enough password", lockout,
                              "10.0.0.1", later)["id"] == officer["id"]


class CountingLimiter:
    """Counts hits per limit and key, refusing past `limit`; a refund takes one back."""
    rules = {"sign_in_address": ratelimit.Rule(2, 900)}

    def __init__(self, limit):
        self.limit, self.counts = limit, Counter()

    def hit(self, name, key):
        if self.counts[name, key] >= self.limit:
            raise ratelimit.RateLimited(60)
        self.counts[name, key] += 1

    def refund(self, name, key):
        self.counts[name, key] -= 1


def test_a_sign_in_counts_against_the_limits_unless_the_password_was_right(db, officer):
    lockout, limiter = {"threshold": 10, "minutes": 15}, CountingLimiter(2)

    def sign_in(password):
        return staff.sign_in(db, officer["email"], password, lockout, limiter,
                             ratelimit.HashGate(1), "10.0.0.1", NOW)

    assert sign_in("a long enough password")["id"] == officer["id"]
    assert sum(limiter.counts.values()) == 0  # given back: only failures count
    assert sign_in("wrong password!") is None
    assert limiter.counts["sign_in_account", officer["email"]] == 1
    assert sign_in("wrong password!") is None
    # Past the limit: refused before the password is checked, and noted once.
    for _ in range(2):
        with pytest.raises(ratelimit.RateLimited):
            sign_in("a long enough password")
    actions = [entry["action"] for entry in auditing.log_page(db, {}, 10, 1)["entries"]]
    assert actions == ["sign_in_refused", "sign_in_failed", "sign_in_failed"]
    assert limiter.counts["sign_in_account", officer["email"]] == 2


def test_a_sign_in_the_hash_gate_refuses_is_not_counted(db, officer):
    limiter, gate = CountingLimiter(5), ratelimit.HashGate(1, wait_seconds=0)
    with gate, pytest.raises(ratelimit.RateLimited):  # another sign-in is hashing
        staff.sign_in(db, officer["email"], "wrong password!", {"threshold": 10, "minutes": 15},
                      limiter, gate, "10.0.0.1", NOW)
    assert sum(limiter.counts.values()) == 0
    assert [entry["action"] for entry in auditing.log_page(db, {}, 10, 1)["entries"]] == [
        "sign_in_refused"]


def test_an_invitation_works_once(db, officer):
    details = {"email": "new@example.com", "team": "", "borough": ""}
    by = auditing.Actor(officer, "10.0.0.1")
    user_id, token = staff.invite(db, details, "trainer", by, 72, NOW)
    assert token not in json.dumps(list(db.query("SELECT * FROM invitations")))
    assert staff.open_invitation(db, token, NOW + timedelta(hours=73)) is None
    assert staff.open_invitation(db, token, NOW)["email"] == "new@example.com"
    with pytest.raises(accounts.WeakPassword):
        staff.accept_invitation(db, token, "new@example.com", "10.0.0.2", NOW)
    # The plain password, as any caller has it: the use case hashes it.
    user = staff.accept_invitation(db, token, "a long enough password", "10.0.0.2", NOW)
    assert user["id"] == user_id
    assert accounts.verify_password(user["password_hash"], "a long enough password")
    assert staff.open_invitation(db, token, NOW) is None
    assert staff.accept_invitation(db, token, "a long enough password", "10.0.0.2",
                                   NOW) is None
    with pytest.raises(staff.AccountExists):
        staff.invite(db, details, "trainer", by, 72, NOW)
    assert [(entry["action"], entry["user_id"], entry["subject"], entry["address"])
            for entry in auditing.log_page(db, {}, 10, 1)["entries"]] == [
        ("invitation_used", user_id, "", "10.0.0.2"),
        ("account_invited", officer["id"], str(user_id), "10.0.0.1")]


def test_an_invitation_is_renewed_only_for_an_account_waiting_for_its_password(db, officer):
    admin = add_user(db, "admin@example.com", role="admin")
    by = auditing.Actor(admin, "10.0.0.1")
    with pytest.raises(staff.NotWaiting):
        staff.renew_invitation(db, officer["id"], by, 72, NOW)
    user_id, _ = staff.invite(db, {"email": "new@example.com", "team": "", "borough": ""},
                              "trainer", by, 72, NOW)
    token = staff.renew_invitation(db, user_id, by, 72, NOW)
    assert staff.open_invitation(db, token, NOW)["email"] == "new@example.com"
    renewed = auditing.log_page(db, {"action": "account_invited"}, 10, 1)["entries"][0]
    assert renewed["detail"] == {"role": "trainer", "renewed": True}


def test_an_admin_cannot_change_their_own_role_or_access(db, officer):
    admin = add_user(db, "admin@example.com", role="admin")
    by = auditing.Actor(admin, "10.0.0.1")
    with pytest.raises(staff.OwnAccount):
        staff.set_role(db, admin["id"], "officer", by, NOW)
    with pytest.raises(staff.OwnAccount):
        staff.set_disabled(db, admin["id"], True, by, NOW)
    stored = store.fetch_user(db, admin["id"])
    assert (stored["role"], stored["disabled"]) == ("admin", 0)
    assert auditing.log_page(db, {}, 10, 1)["total"] == 0
    # Another account's, yes; and the command line, which is no account, may.
    assert staff.set_role(db, officer["id"], "trainer", by, NOW) is True
    staff.set_disabled(db, admin["id"], True, auditing.COMMAND_LINE, NOW)
    assert store.fetch_user(db, admin["id"])["disabled"] == 1


def test_a_role_or_team_change_is_audited_with_it_and_once(db, officer):
    by = auditing.Actor(add_user(db, "admin@example.com", role="admin"), "10.0.0.1")
    assert staff.set_role(db, officer["id"], "trainer", by, NOW) is True
    assert staff.set_role(db, officer["id"], "trainer", by, NOW) is False
    assert staff.set_team(db, officer["id"], "CID", "Islington", by, NOW) is True
    assert staff.set_team(db, officer["id"], "CID", "Islington", by, NOW) is False
    assert [(entry["action"], entry["subject"], entry["detail"])
            for entry in auditing.log_page(db, {}, 10, 1)["entries"]] == [
        ("team_changed", str(officer["id"]),
         {"from": ["Response Team 1", "Camden"], "to": ["CID", "Islington"]}),
        ("role_changed", str(officer["id"]), {"from": "officer", "to": "trainer"})]
