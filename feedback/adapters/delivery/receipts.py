"""Delivery receipts: prove a webhook came from the provider, then reduce it to
(reference, status). Plain values in, so a view passes request parts and keeps
nothing else: callback bodies carry the recipient and must not be stored.

Verification answers False and parsing answers None or [] for anything odd;
nothing here raises on input a stranger can send.
"""

import base64
import hmac
import json
import re

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key
from twilio.request_validator import RequestValidator

from feedback.adapters.delivery.base import REFERENCE_PATTERN
from feedback.domain import clock

SENT, DELIVERED, FAILED = "sent", "delivered", "failed"
SENDGRID_MAX_AGE_SECONDS = 300

_TWILIO = {
    "accepted": SENT, "scheduled": SENT, "queued": SENT, "sending": SENT, "sent": SENT,
    "delivered": DELIVERED, "read": DELIVERED,
    "undelivered": FAILED, "failed": FAILED, "canceled": FAILED,
}
_SENDGRID = {
    "processed": SENT, "deferred": SENT,
    "delivered": DELIVERED,
    "bounce": FAILED, "dropped": FAILED, "blocked": FAILED,
}
_NOTIFY = {
    # "sent" is Notify's last word on international SMS it cannot track further.
    "created": SENT, "sending": SENT, "pending": SENT, "sent": SENT,
    "delivered": DELIVERED,
    "permanent-failure": FAILED, "temporary-failure": FAILED, "technical-failure": FAILED,
}
# Receipts arrive out of order (a bounce can follow "delivered"), so a later
# receipt only replaces a status it outranks.
_RANK = {None: 0, SENT: 1, DELIVERED: 2, FAILED: 3}
_PEM_ARMOUR = re.compile(r"-----[A-Z ]+-----")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


def verify_twilio(auth_token, url, params, signature):
    """url is the full address Twilio called, query string (?ref=...) included;
    params are the POSTed form fields only."""
    if not all(isinstance(v, str) and v for v in (auth_token, url, signature)):
        return False
    try:
        return RequestValidator(auth_token).validate(url, params or {}, signature)
    except (AttributeError, KeyError, TypeError, ValueError):
        return False


def verify_sendgrid(public_key_b64, payload, signature, timestamp, now=None,
                    max_age=SENDGRID_MAX_AGE_SECONDS):
    """SendGrid signs timestamp + raw body with ECDSA P-256 / SHA-256. The
    timestamp is signed too, so refusing old ones stops replays."""
    if not _fresh(timestamp, now, max_age):
        return False
    try:
        key = load_der_public_key(_b64(_PEM_ARMOUR.sub("", public_key_b64)))
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
            return False
        body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
        key.verify(_b64(signature), timestamp.encode("ascii") + body, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, UnsupportedAlgorithm, TypeError, ValueError):
        return False
    return True


def verify_notify(expected_token, authorization_header):
    """Notify sends the callback bearer token we gave it in the service settings."""
    if not isinstance(expected_token, str) or not expected_token:
        return False
    if not isinstance(authorization_header, str):
        return False
    scheme, _, token = authorization_header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode("utf-8"), expected_token.encode("utf-8"))


def twilio_status(params):
    """Pass the POSTed fields with the query's ref added:
    twilio_status({**request.form.to_dict(), "ref": request.args.get("ref")})."""
    try:
        reference, status = params.get("ref"), params.get("MessageStatus")
    except AttributeError:
        return None
    return _result(reference, status, _TWILIO)


def sendgrid_statuses(payload):
    """Every (reference, status) worth recording in a SendGrid event batch;
    events without our reference, and opens, clicks and the like, are left out."""
    try:
        events = json.loads(payload)
    except (RecursionError, TypeError, ValueError):
        return []
    if not isinstance(events, list):
        return []
    results = []
    for event in events:
        if isinstance(event, dict):
            result = _result(event.get("ref"), event.get("event"), _SENDGRID)
            if result and result[1]:
                results.append(result)
    return results


def notify_status(body):
    """body is the callback's parsed JSON."""
    if not isinstance(body, dict):
        return None
    return _result(body.get("reference"), body.get("status"), _NOTIFY)


def merge_status(current, incoming):
    """The status to keep when a receipt arrives for a message that has one."""
    return incoming if _RANK.get(incoming, 0) > _RANK.get(current, 0) else current


def _result(reference, status, table):
    # (reference, None) means "ours, but nothing to record"; None means unusable.
    if not isinstance(reference, str) or not REFERENCE_PATTERN.match(reference):
        return None
    return reference, table.get(status) if isinstance(status, str) else None


def _fresh(timestamp, now, max_age):
    if not isinstance(timestamp, str) or not _TIMESTAMP.match(timestamp):
        return False
    now = clock.now().timestamp() if now is None else now
    return abs(now - int(timestamp)) <= max_age


def _b64(value):
    if not isinstance(value, str):
        raise TypeError("expected base64 text")
    return base64.b64decode("".join(value.split()), validate=True)
