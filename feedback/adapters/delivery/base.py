"""What every sender shares: the result, the errors, the delivery reference.

Provider errors often quote the request back ("The 'To' number +447... is not
valid"), so they are turned into a DeliveryError that names only the provider
and the HTTP status, and the original is not chained for a traceback to print.
"""

import logging
import re
import secrets
from dataclasses import dataclass

import requests

logger = logging.getLogger("feedback.adapters.delivery")

# Opaque and random: it ties a delivery receipt to a link without being personal.
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

# These libraries log request bodies (python_http_client at DEBUG) or the
# provider's error text (Notify at WARNING), either of which can carry the
# recipient. Each failure is logged once, safely, by fail() below instead.
_CHATTY_LOGGERS = (
    "python_http_client.client",
    "notifications_python_client.base",
    "notifications_python_client.notifications",
)


class DeliveryError(Exception):
    """A provider did not accept the message. Safe to log and to show."""

    def __init__(self, provider, reason):
        super().__init__(f"{provider} could not send the message ({reason})")
        self.provider = provider
        self.reason = reason


class DeliveryConfigError(Exception):
    """A selected backend is missing settings; raised at start-up."""


@dataclass(frozen=True)
class Sent:
    provider: str
    reference: str | None  # the provider's message id, when it gives one


def new_reference():
    return secrets.token_urlsafe(16)


def check_reference(reference):
    # A reference goes into URLs and provider records: refuse anything that
    # could be a phone number or email passed in by mistake.
    if not isinstance(reference, str) or not REFERENCE_PATTERN.match(reference):
        raise ValueError("reference must be a random URL-safe string (use new_reference)")
    return reference


def fail(provider, error):
    """Log one safe line for a provider failure and return the DeliveryError."""
    reason = _describe(error)
    logger.warning("%s delivery failed: %s", provider, reason)
    return DeliveryError(provider, reason)


def quiet_provider_loggers():
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).addFilter(_drop)  # addFilter ignores repeats


def _drop(record):
    return False


def _describe(error):
    status = _http_status(error)
    if status is not None:
        return f"HTTP {status}"
    chain = _chain(error)
    if any(_is_timeout(e) for e in chain):
        return "timeout"
    if any(isinstance(e, (requests.ConnectionError, OSError)) for e in chain):
        return "connection failed"
    return "unexpected response"


def _http_status(error):
    if hasattr(error, "response"):
        # requests and Notify errors: no response means it never got an answer
        # (Notify then reports a made-up 503, which would mislead).
        response = error.response
        status = getattr(response, "status_code", None)
    else:
        # twilio uses .status, python_http_client uses .status_code
        status = getattr(error, "status", None) or getattr(error, "status_code", None)
    return status if isinstance(status, int) else None


def _chain(error):
    seen = []
    while error is not None and error not in seen and len(seen) < 10:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def _is_timeout(error):
    return isinstance(error, (requests.Timeout, TimeoutError)) or isinstance(
        getattr(error, "reason", None), TimeoutError
    )
