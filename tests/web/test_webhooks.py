"""Delivery receipts: verified, reduced to a status on the link, body forgotten."""

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from twilio.request_validator import RequestValidator

from feedback.adapters import store
from feedback.domain import clock

TWILIO_TOKEN = "twilio-webhook-test-token"
NOTIFY_TOKEN = "notify-callback-bearer-token-0123456789"
PRIVATE_KEY = ec.generate_private_key(ec.SECP256R1())
PUBLIC_KEY = base64.b64encode(PRIVATE_KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())
CALLBACK_URL = "https://feedback.example.test/webhooks/twilio"


@pytest.fixture
def app(make_app):
    return make_app(TWILIO_AUTH_TOKEN=TWILIO_TOKEN, SENDGRID_WEBHOOK_PUBLIC_KEY=PUBLIC_KEY,
                    NOTIFY_CALLBACK_TOKEN=NOTIFY_TOKEN)


@pytest.fixture
def sent_link(make_link, db, officer):
    link, _ = make_link()
    assert store.reserve_send(db, "ref_abcdefghijklmnop", link["id"], officer["id"], "sms",
                              clock.now(), since="", limit=1)
    store.record_delivery(db, "ref_abcdefghijklmnop", link["id"], "sms")
    return link


def status_of(db, link):
    return store.fetch_link(db, link["id"])["delivery_status"]


def twilio_post(client, params, ref="ref_abcdefghijklmnop", token=TWILIO_TOKEN, tamper=None):
    url = f"{CALLBACK_URL}?ref={ref}"
    signature = RequestValidator(token).compute_signature(url, params)
    sent = {**params, **(tamper or {})}
    return client.post(f"/webhooks/twilio?ref={ref}", data=sent,
                       headers={"X-Twilio-Signature": signature})


TWILIO_DELIVERED = {"MessageSid": "SM1", "MessageStatus": "delivered", "To": "+447700900321",
                    "AccountSid": "AC1"}


def test_a_signed_twilio_receipt_updates_the_status(client, db, sent_link):
    assert twilio_post(client, TWILIO_DELIVERED).status_code == 204
    assert status_of(db, sent_link) == "delivered"


@pytest.mark.parametrize("kwargs", [
    {"tamper": {"MessageStatus": "failed"}},
    {"token": "a-guessed-token"},
    {"ref": "ref_someoneelsesref0"},
])
def test_a_forged_twilio_receipt_is_refused_and_changes_nothing(client, db, sent_link, kwargs):
    response = twilio_post(client, TWILIO_DELIVERED, **kwargs)
    if "ref" in kwargs:  # signed for another URL than the one requested
        response = client.post("/webhooks/twilio?ref=ref_abcdefghijklmnop",
                               data=TWILIO_DELIVERED, headers={
                                   "X-Twilio-Signature": RequestValidator(TWILIO_TOKEN)
                                   .compute_signature(f"{CALLBACK_URL}?ref={kwargs['ref']}",
                                                      TWILIO_DELIVERED)})
    assert response.status_code == 403
    assert status_of(db, sent_link) == "sent"


def test_a_signed_twilio_receipt_without_our_reference_is_refused(client, db, sent_link):
    assert twilio_post(client, TWILIO_DELIVERED, ref="").status_code == 403
    assert status_of(db, sent_link) == "sent"


def test_an_unsigned_twilio_receipt_is_refused(client, db, sent_link):
    response = client.post("/webhooks/twilio?ref=ref_abcdefghijklmnop", data=TWILIO_DELIVERED)
    assert response.status_code == 403
    assert status_of(db, sent_link) == "sent"


def test_a_repeated_or_late_receipt_has_no_further_effect(client, db, sent_link):
    twilio_post(client, {**TWILIO_DELIVERED, "MessageStatus": "failed"})
    assert status_of(db, sent_link) == "failed"
    assert twilio_post(client, {**TWILIO_DELIVERED, "MessageStatus": "failed"}
                       ).status_code == 204
    assert twilio_post(client, {**TWILIO_DELIVERED, "MessageStatus": "sent"}).status_code == 204
    assert status_of(db, sent_link) == "failed"


def sendgrid_post(client, events, key=PRIVATE_KEY, age=0, tamper=None):
    payload = json.dumps(events).encode()
    timestamp = str(int(clock.now().timestamp()) - age)
    signature = base64.b64encode(key.sign(timestamp.encode() + payload,
                                          ec.ECDSA(hashes.SHA256()))).decode()
    return client.post("/webhooks/sendgrid", data=tamper or payload,
                       content_type="application/json", headers={
                           "X-Twilio-Email-Event-Webhook-Signature": signature,
                           "X-Twilio-Email-Event-Webhook-Timestamp": timestamp})


SENDGRID_EVENTS = [{"email": "someone@example.com", "event": "delivered",
                    "ref": "ref_abcdefghijklmnop", "timestamp": 1}]


def test_a_signed_sendgrid_event_updates_the_status(client, db, sent_link):
    assert sendgrid_post(client, SENDGRID_EVENTS).status_code == 204
    assert status_of(db, sent_link) == "delivered"


@pytest.mark.parametrize("kwargs", [
    {"key": OTHER_KEY},
    {"age": 301},
    {"age": -301},
    {"tamper": json.dumps([{**SENDGRID_EVENTS[0], "event": "bounce"}]).encode()},
])
def test_a_forged_or_stale_sendgrid_event_is_refused(client, db, sent_link, kwargs):
    assert sendgrid_post(client, SENDGRID_EVENTS, **kwargs).status_code == 403
    assert status_of(db, sent_link) == "sent"


@pytest.mark.parametrize("headers", [
    {}, {"X-Twilio-Email-Event-Webhook-Signature": "bm90IGEgc2lnbmF0dXJl",
         "X-Twilio-Email-Event-Webhook-Timestamp": "now"}])
def test_an_unsigned_or_malformed_sendgrid_event_is_refused(client, db, sent_link, headers):
    response = client.post("/webhooks/sendgrid", data=b"[{", headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("authorization, status", [
    (f"Bearer {NOTIFY_TOKEN}", 204), ("Bearer wrong", 403), (None, 403),
    (NOTIFY_TOKEN, 403),
])
def test_notify_callbacks_need_the_bearer_token(client, db, sent_link, authorization, status):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post("/webhooks/notify", json={
        "id": "x", "reference": "ref_abcdefghijklmnop", "to": "+447700900321",
        "status": "permanent-failure"}, headers=headers)
    assert response.status_code == status
    assert status_of(db, sent_link) == ("failed" if status == 204 else "sent")


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"reference": 5}', b"\xff\xfe",
                                  b"[" * 60_000])
def test_malformed_notify_bodies_are_refused_and_change_nothing(client, db, sent_link, body):
    response = client.post("/webhooks/notify", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {NOTIFY_TOKEN}"})
    assert response.status_code == 403
    assert status_of(db, sent_link) == "sent"


def test_receipts_are_refused_when_their_secret_is_not_configured(make_app, make_link):
    client = make_app().test_client()
    assert client.post("/webhooks/notify", json={}, headers={
        "Authorization": "Bearer "}).status_code == 403
    assert client.post("/webhooks/twilio", data={}).status_code == 403


def test_the_officer_sees_the_delivery_status(signed_in_officer, db, sent_link, client):
    twilio_post(client, TWILIO_DELIVERED)
    page = signed_in_officer.get(f"/officer/links/{sent_link['id']}").get_data(as_text=True)
    assert '<dd id="delivery-status">Delivered</dd>' in page
    links_page = signed_in_officer.get("/officer/links").get_data(as_text=True)
    assert "<dd>Text message, delivered</dd>" in links_page
