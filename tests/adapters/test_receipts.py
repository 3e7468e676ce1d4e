import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sendgrid.helpers.eventwebhook import EventWebhook
from twilio.request_validator import RequestValidator

from feedback.adapters.delivery.receipts import (
    merge_status,
    notify_status,
    sendgrid_statuses,
    twilio_status,
    verify_notify,
    verify_sendgrid,
    verify_twilio,
)
from feedback.domain import clock

REF = "Kq3v8Zr1YbNw0cTg5HjE2A"
OTHER_REF = "pX7-m2_Lq9sDfGh1JkL0zw"

TWILIO_TOKEN = "twilio-auth-token-for-tests"
TWILIO_URL = f"https://feedback.example.test/webhooks/twilio?ref={REF}"
TWILIO_PARAMS = {
    "MessageSid": "SM" + "a" * 32,
    "MessageStatus": "delivered",
    "To": "+447700900982",
    "AccountSid": "AC" + "0" * 32,
}


def twilio_signature(url=TWILIO_URL, params=TWILIO_PARAMS, token=TWILIO_TOKEN):
    return RequestValidator(token).compute_signature(url, params)


def test_a_twilio_callback_signed_with_our_auth_token_is_accepted():
    assert verify_twilio(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS, twilio_signature())


@pytest.mark.parametrize(
    ("token", "url", "params", "signature"),
    [
        pytest.param(TWILIO_TOKEN, TWILIO_URL, {**TWILIO_PARAMS, "MessageStatus": "failed"},
                     twilio_signature(), id="tampered param"),
        pytest.param(TWILIO_TOKEN, TWILIO_URL.replace(REF, OTHER_REF), TWILIO_PARAMS,
                     twilio_signature(), id="tampered reference in url"),
        pytest.param(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS, "A" + twilio_signature()[1:],
                     id="tampered signature"),
        pytest.param(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS,
                     twilio_signature(token="another-token"), id="another account"),
        pytest.param("", TWILIO_URL, TWILIO_PARAMS, twilio_signature(), id="no token set"),
        pytest.param(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS, "", id="no signature"),
        pytest.param(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS, None, id="missing header"),
        pytest.param(TWILIO_TOKEN, None, TWILIO_PARAMS, twilio_signature(), id="no url"),
        pytest.param(TWILIO_TOKEN, TWILIO_URL, {"To": 7}, twilio_signature(), id="odd params"),
        pytest.param(TWILIO_TOKEN, TWILIO_URL, ["x"], twilio_signature(), id="not a dict"),
    ],
)
def test_a_twilio_callback_that_does_not_match_its_signature_is_rejected(
    token, url, params, signature
):
    assert verify_twilio(token, url, params, signature) is False


SENDGRID_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())
NOW = 1_800_000_000
EVENTS = json.dumps([{"email": "sam.jones@example.com", "event": "delivered", "ref": REF,
                      "timestamp": NOW}]).encode()


def public_b64(private_key):
    """As SendGrid shows it: base64 DER SubjectPublicKeyInfo."""
    der = private_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def sendgrid_signature(payload=EVENTS, timestamp=str(NOW), key=SENDGRID_KEY):
    signed = key.sign(timestamp.encode() + payload, ec.ECDSA(hashes.SHA256()))
    return base64.b64encode(signed).decode()


def test_a_sendgrid_batch_signed_with_the_account_key_is_accepted():
    assert verify_sendgrid(public_b64(SENDGRID_KEY), EVENTS, sendgrid_signature(), str(NOW),
                           now=NOW)


def test_sendgrid_verification_agrees_with_sendgrids_own_helper():
    helper = EventWebhook(public_b64(SENDGRID_KEY))
    assert helper.verify_signature(EVENTS.decode(), sendgrid_signature(), str(NOW))


def test_a_fresh_sendgrid_batch_is_accepted_against_the_clock():
    timestamp = str(int(clock.now().timestamp()))
    signature = sendgrid_signature(timestamp=timestamp)
    assert verify_sendgrid(public_b64(SENDGRID_KEY), EVENTS, signature, timestamp)


@pytest.mark.parametrize("age", [-300, 0, 300])
def test_sendgrid_timestamps_within_five_minutes_either_way_are_accepted(age):
    timestamp = str(NOW - age)
    signature = sendgrid_signature(timestamp=timestamp)
    assert verify_sendgrid(public_b64(SENDGRID_KEY), EVENTS, signature, timestamp, now=NOW)


RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
P384_KEY = ec.generate_private_key(ec.SECP384R1())


@pytest.mark.parametrize(
    ("public_key", "payload", "signature", "timestamp"),
    [
        pytest.param(public_b64(SENDGRID_KEY), EVENTS.replace(b"delivered", b"bounce"),
                     sendgrid_signature(), str(NOW), id="tampered body"),
        pytest.param(public_b64(OTHER_KEY), EVENTS, sendgrid_signature(), str(NOW),
                     id="wrong key"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, sendgrid_signature(key=OTHER_KEY),
                     str(NOW), id="signed by someone else"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, sendgrid_signature(), str(NOW + 1),
                     id="tampered timestamp"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS,
                     sendgrid_signature(timestamp=str(NOW - 301)), str(NOW - 301), id="stale"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS,
                     sendgrid_signature(timestamp=str(NOW + 301)), str(NOW + 301), id="future"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, "not base64!", str(NOW),
                     id="garbage signature"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, base64.b64encode(b"junk").decode(),
                     str(NOW), id="junk signature"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, "", str(NOW), id="empty signature"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, None, str(NOW), id="missing signature"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, sendgrid_signature(), None,
                     id="missing timestamp"),
        pytest.param(public_b64(SENDGRID_KEY), EVENTS, sendgrid_signature(), "1.8e9",
                     id="odd timestamp"),
        pytest.param("", EVENTS, sendgrid_signature(), str(NOW), id="no key set"),
        pytest.param(None, EVENTS, sendgrid_signature(), str(NOW), id="key is None"),
        pytest.param("bm90IGEga2V5", EVENTS, sendgrid_signature(), str(NOW), id="not a key"),
        pytest.param("%%%", EVENTS, sendgrid_signature(), str(NOW), id="key not base64"),
        pytest.param(public_b64(RSA_KEY), EVENTS, sendgrid_signature(), str(NOW), id="rsa key"),
        pytest.param(public_b64(P384_KEY), EVENTS, sendgrid_signature(key=P384_KEY), str(NOW),
                     id="other curve"),
        pytest.param(public_b64(SENDGRID_KEY), None, sendgrid_signature(), str(NOW),
                     id="no body"),
    ],
)
def test_a_sendgrid_batch_that_fails_any_check_is_rejected_without_raising(
    public_key, payload, signature, timestamp
):
    assert verify_sendgrid(public_key, payload, signature, timestamp, now=NOW) is False


def test_a_sendgrid_key_pasted_as_pem_or_with_line_breaks_still_works():
    body = public_b64(SENDGRID_KEY)
    pem = f"-----BEGIN PUBLIC KEY-----\n{body[:40]}\n{body[40:]}\n-----END PUBLIC KEY-----"
    assert verify_sendgrid(pem, EVENTS, sendgrid_signature(), str(NOW), now=NOW)


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("Bearer callback-token-0123456789", True),
        ("bearer callback-token-0123456789", True),
        ("Bearer wrong-token-000000000000", False),
        ("Bearer callback-token-012345678", False),
        ("Bearer ", False),
        ("callback-token-0123456789", False),
        ("Basic callback-token-0123456789", False),
        ("Bearer ünïcode", False),
        ("", False),
        (None, False),
    ],
)
def test_notify_callbacks_must_carry_our_bearer_token(header, accepted):
    assert verify_notify("callback-token-0123456789", header) is accepted


@pytest.mark.parametrize("expected", ["", None])
def test_notify_callbacks_are_refused_when_no_token_is_configured(expected):
    assert verify_notify(expected, "Bearer ") is False
    assert verify_notify(expected, "Bearer None") is False


@pytest.mark.parametrize(
    ("params", "result"),
    [
        ({"ref": REF, "MessageStatus": "queued"}, (REF, "sent")),
        ({"ref": REF, "MessageStatus": "accepted"}, (REF, "sent")),
        ({"ref": REF, "MessageStatus": "sending"}, (REF, "sent")),
        ({"ref": REF, "MessageStatus": "sent"}, (REF, "sent")),
        ({"ref": REF, "MessageStatus": "delivered"}, (REF, "delivered")),
        ({"ref": REF, "MessageStatus": "undelivered"}, (REF, "failed")),
        ({"ref": REF, "MessageStatus": "failed"}, (REF, "failed")),
        ({"ref": REF, "MessageStatus": "receiving"}, (REF, None)),
        ({"ref": REF}, (REF, None)),
        ({"ref": REF, "MessageStatus": ["delivered"]}, (REF, None)),
        ({"MessageStatus": "delivered"}, None),
        ({"ref": "+447700900982", "MessageStatus": "delivered"}, None),
        ({"ref": "", "MessageStatus": "delivered"}, None),
        (None, None),
        ("ref=x", None),
        ([("ref", REF)], None),
    ],
)
def test_twilio_statuses_map_to_sent_delivered_or_failed(params, result):
    assert twilio_status(params) == result


def sendgrid_batch(*events):
    return json.dumps(list(events)).encode()


@pytest.mark.parametrize(
    ("payload", "result"),
    [
        (sendgrid_batch({"event": "processed", "ref": REF}), [(REF, "sent")]),
        (sendgrid_batch({"event": "deferred", "ref": REF}), [(REF, "sent")]),
        (sendgrid_batch({"event": "delivered", "ref": REF}), [(REF, "delivered")]),
        (sendgrid_batch({"event": "bounce", "ref": REF, "type": "blocked"}), [(REF, "failed")]),
        (sendgrid_batch({"event": "dropped", "ref": REF}), [(REF, "failed")]),
        (sendgrid_batch({"event": "blocked", "ref": REF}), [(REF, "failed")]),
        (sendgrid_batch({"event": "open", "ref": REF}, {"event": "click", "ref": REF}), []),
        (sendgrid_batch({"event": "delivered", "email": "other@example.com"}), []),
        (sendgrid_batch({"event": "delivered", "ref": "sam.jones@example.com"}), []),
        (sendgrid_batch({"event": "processed", "ref": REF}, "junk", None,
                        {"event": "bounce", "ref": OTHER_REF}),
         [(REF, "sent"), (OTHER_REF, "failed")]),
        (b"", []),
        (b"not json", []),
        (b'{"event": "delivered", "ref": "Kq3v8Zr1YbNw0cTg5HjE2A"}', []),
        (b"\xff\xfe\x00", []),
        (b"[" * 100_000, []),
        (None, []),
    ],
)
def test_sendgrid_events_map_to_sent_delivered_or_failed(payload, result):
    assert sendgrid_statuses(payload) == result


@pytest.mark.parametrize(
    ("body", "result"),
    [
        ({"reference": REF, "status": "created"}, (REF, "sent")),
        ({"reference": REF, "status": "sending"}, (REF, "sent")),
        ({"reference": REF, "status": "pending"}, (REF, "sent")),
        ({"reference": REF, "status": "delivered", "to": "sam.jones@example.com"},
         (REF, "delivered")),
        ({"reference": REF, "status": "permanent-failure"}, (REF, "failed")),
        ({"reference": REF, "status": "temporary-failure"}, (REF, "failed")),
        ({"reference": REF, "status": "technical-failure"}, (REF, "failed")),
        ({"reference": REF, "status": "something-new"}, (REF, None)),
        ({"reference": REF}, (REF, None)),
        ({"status": "delivered"}, None),
        ({"reference": None, "status": "delivered"}, None),
        ({"reference": 12345678, "status": "delivered"}, None),
        ({}, None),
        (None, None),
        ("delivered", None),
        ([REF, "delivered"], None),
    ],
)
def test_notify_statuses_map_to_sent_delivered_or_failed(body, result):
    assert notify_status(body) == result


@pytest.mark.parametrize(
    ("current", "incoming", "kept"),
    [
        (None, "sent", "sent"),
        ("sent", "delivered", "delivered"),
        ("delivered", "sent", "delivered"),  # a late "processed" after delivery
        ("delivered", "failed", "failed"),  # a bounce after the server took it
        ("failed", "delivered", "failed"),
        ("sent", None, "sent"),
    ],
)
def test_a_late_receipt_never_moves_a_status_backwards(current, incoming, kept):
    assert merge_status(current, incoming) == kept
