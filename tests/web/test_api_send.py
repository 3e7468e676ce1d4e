"""Sending a link through /api/v1: the real provider SDKs against a fake provider
on 127.0.0.1, the page's rules (valid recipient, safe to contact, the officer's
hourly limit, a usable link), and the recipient kept nowhere."""

import json

import pytest

from feedback.adapters import store
from tests import local_server
from tests.api_client import post_together
from tests.dates import NOW
from tests.fake_providers import sendgrid_env, twilio_env

PHONE = "07700 900 457"
SMS = {"channel": "sms", "recipient": PHONE, "safe_to_contact": True}


def deliveries(db):
    return db.execute("SELECT count(*) FROM deliveries").fetchone()[0]


def test_a_link_is_sent_by_text_message_and_the_number_kept_nowhere(make_api, fake_provider,
                                                                    tmp_path):
    api = make_api(**twilio_env(fake_provider))
    key = api.register()
    made = api.create(key)
    sent = api.call("POST", f"/links/{made['id']}/send", key, json=SMS)
    assert sent.status_code == 200
    assert sent.get_json() == {"channel": "sms", "sent_at": NOW.isoformat()}
    [request] = fake_provider.requests
    assert request.body["To"] == "+447700900457" and made["url"] in request.body["Body"]
    stored = store.fetch_link(api.db, made["id"])
    assert (stored["channel"], stored["delivery_status"]) == ("sms", "sent")
    status = api.call("GET", f"/links/{made['id']}", key).get_json()
    assert status["sent"] == [{"channel": "sms", "sent_at": NOW.isoformat()}]
    [entry] = api.db.query("SELECT * FROM audit_log WHERE action = 'link_sent'")
    assert (entry["actor"], json.loads(entry["detail"])) == (
        "API client Case system", {"by": "API client Case system", "channel": "sms"})
    if api.db.dialect == "sqlite":
        api.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for file in tmp_path.rglob("*"):
            if file.is_file():
                assert b"7700900457" not in file.read_bytes(), file
    else:
        for table in ("links", "deliveries", "audit_log", "api_idempotency"):
            assert "7700900457" not in str(list(api.db.query(f"SELECT * FROM {table}")))  # noqa: S608


def test_an_email_goes_through_sendgrid(make_api, fake_provider):
    api = make_api(**sendgrid_env(fake_provider))
    key = api.register()
    made = api.create(key)
    sent = api.call("POST", f"/links/{made['id']}/send", key, json={
        "channel": "email", "recipient": "sam.jones@example.com", "safe_to_contact": True})
    assert sent.status_code == 200
    [request] = fake_provider.requests
    assert request.body["personalizations"][0]["to"] == [{"email": "sam.jones@example.com"}]


@pytest.mark.parametrize("body, field", [
    ({**SMS, "recipient": "01632 960 001"}, "recipient"),  # a landline
    ({**SMS, "recipient": ""}, "recipient"),
    ({**SMS, "safe_to_contact": False}, "safe_to_contact"),
    ({"channel": "sms", "recipient": PHONE}, "safe_to_contact"),
    ({**SMS, "channel": "pigeon"}, "channel"),
    ({**SMS, "recipient": 7700900457}, "recipient"),
    ({**SMS, "copy_to": "x@example.com"}, "copy_to"),
])
def test_a_send_the_page_would_refuse_is_refused(make_api, fake_provider, body, field):
    api = make_api(**twilio_env(fake_provider))
    key = api.register()
    made = api.create(key)
    refused = api.call("POST", f"/links/{made['id']}/send", key, json=body)
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == [field]
    # The number sent is nowhere in the answer (its digits, without the leading 0).
    digits = "".join(char for char in str(body.get("recipient", "")) if char.isdigit())
    assert not digits or digits.removeprefix("0") not in refused.get_data(as_text=True)
    assert fake_provider.requests == [] and deliveries(api.db) == 0


def test_a_channel_left_on_the_console_is_not_offered(make_api, fake_provider):
    api = make_api(**twilio_env(fake_provider))  # email stays on the console: production
    key = api.register()
    made = api.create(key)
    refused = api.call("POST", f"/links/{made['id']}/send", key, json={
        "channel": "email", "recipient": "sam@example.com", "safe_to_contact": True})
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["channel"]
    assert deliveries(api.db) == 0


def test_a_cancelled_link_is_not_sent(make_api, fake_provider):
    api = make_api(**twilio_env(fake_provider))
    key = api.register()
    made = api.create(key)
    api.call("POST", f"/links/{made['id']}/cancel", key)
    refused = api.call("POST", f"/links/{made['id']}/send", key, json=SMS)
    assert refused.status_code == 409
    assert fake_provider.requests == [] and deliveries(api.db) == 0


def test_the_officers_hourly_limit_holds_for_the_api_too(make_api, fake_provider):
    api = make_api(SEND_LIMIT_PER_HOUR="1", **twilio_env(fake_provider))
    key = api.register()
    first, second = api.create(key), api.create(key)
    assert api.call("POST", f"/links/{first['id']}/send", key, json=SMS).status_code == 200
    refused = api.call("POST", f"/links/{second['id']}/send", key, json=SMS)
    assert refused.status_code == 429
    assert refused.get_json()["detail"].startswith("The officer has sent as many messages")
    assert len(fake_provider.requests) == 1 and deliveries(api.db) == 1


def test_a_provider_failure_is_a_calm_502_and_frees_the_limit(make_api, fake_provider):
    api = make_api(**twilio_env(fake_provider))
    key = api.register()
    made = api.create(key)
    fake_provider.fail_next()
    failed = api.call("POST", f"/links/{made['id']}/send", key, json=SMS)
    assert failed.status_code == 502 and failed.mimetype == "application/problem+json"
    assert deliveries(api.db) == 0
    assert api.call("POST", f"/links/{made['id']}/send", key, json=SMS).status_code == 200


def test_a_retried_send_sends_one_message(make_api, fake_provider):
    api = make_api(**twilio_env(fake_provider))
    key = api.register()
    made = api.create(key)
    retry = {"Idempotency-Key": "send-1"}
    first = api.call("POST", f"/links/{made['id']}/send", key, json=SMS, headers=retry)
    again = api.call("POST", f"/links/{made['id']}/send", key, json=SMS, headers=retry)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.get_json() == again.get_json()
    assert len(fake_provider.requests) == 1 and deliveries(api.db) == 1
    other = api.call("POST", f"/links/{made['id']}/send", key, headers=retry,
                     json={**SMS, "channel": "email", "recipient": "sam@example.com"})
    assert other.status_code == 422  # the key's, not the channel's (email is not offered)
    assert other.get_json()["detail"] == "This Idempotency-Key was used for a different request."
    [kept] = api.db.query("SELECT * FROM api_idempotency")
    assert "7700900457" not in str(kept)


def test_a_failed_send_can_be_retried_with_the_same_key(make_api, fake_provider):
    api = make_api(**twilio_env(fake_provider))
    key = api.register()
    made = api.create(key)
    retry = {"Idempotency-Key": "send-2"}
    fake_provider.fail_next()
    assert api.call("POST", f"/links/{made['id']}/send", key, json=SMS,
                    headers=retry).status_code == 502
    assert api.call("POST", f"/links/{made['id']}/send", key, json=SMS,
                    headers=retry).status_code == 200
    assert deliveries(api.db) == 1


def test_parallel_retries_of_a_send_send_one_message(make_api, fake_provider):
    api = make_api(**twilio_env(fake_provider))
    key = api.register()
    made = api.create(key)
    fake_provider.slow(0.5)  # so the retries arrive while the first is still sending
    with local_server.serving(api.app) as base:
        answers = post_together(api.description, f"{base}/api/v1/links/{made['id']}/send",
                                key, SMS, "parallel-send")
    assert len(fake_provider.requests) == 1 and deliveries(api.db) == 1
    assert {status for status, _ in answers} <= {200, 409}
    assert len({json.dumps(body) for status, body in answers if status == 200}) == 1
