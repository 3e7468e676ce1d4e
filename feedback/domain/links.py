"""Signed link tokens: issue and read. Pure functions, secrets passed in.

The token carries an opaque random link id and nothing else. Expiry, revocation
and single use live in the links table; the signature's own age limit is only a
backstop against very old tokens.
"""

import hashlib
import re
import secrets
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

SALT = "feedback-link"
LINK_ID_BYTES = 12  # 96 random bits -> 16 URL-safe characters
MAX_TOKEN_LENGTH = 120
_LINK_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")


class LinkError(Exception):
    """Base for every reason a link cannot be used."""


class LinkInvalid(LinkError):
    """Unknown, malformed or tampered."""


class LinkExpired(LinkError):
    pass


class LinkRevoked(LinkError):
    pass


class LinkUsed(LinkError):
    pass


def new_link_id():
    return secrets.token_urlsafe(LINK_ID_BYTES)


class _FixedTimeSigner(TimestampSigner):
    # Signing with the link's creation time makes the token reproducible, so the
    # officer's link page can show it again without the token being stored; reading
    # at the service's "now" keeps the age check on the same clock as everything else.
    def __init__(self, *args, timestamp, **kwargs):
        super().__init__(*args, **kwargs)
        self._timestamp = timestamp

    def get_timestamp(self):
        return self._timestamp


def _keys(secret_keys):
    # itsdangerous signs with the last key and verifies with all of them.
    keys = [k for k in secret_keys if k]
    if not keys:
        raise ValueError("at least one secret key is needed")
    return keys


def issue_token(link_id, issued_at, secret_keys, salt=SALT):
    """Sign link_id with the newest key. issued_at is a Unix time (int)."""
    if not _LINK_ID.match(link_id):
        raise ValueError("not a link id")
    signer = _FixedTimeSigner(
        _keys(secret_keys), salt=salt, digest_method=hashlib.sha256, timestamp=int(issued_at)
    )
    return signer.sign(link_id).decode("ascii")


def read_token(token, secret_keys, max_age_seconds, now, salt=SALT):
    """Return the link id inside a valid token, or raise LinkInvalid/LinkExpired."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkInvalid()
    signer = _FixedTimeSigner(_keys(secret_keys), salt=salt, digest_method=hashlib.sha256,
                              timestamp=int(now.timestamp()))
    try:
        value = signer.unsign(token, max_age=max_age_seconds)
    except SignatureExpired as error:
        raise LinkExpired() from error
    except (BadSignature, UnicodeError, ValueError) as error:
        raise LinkInvalid() from error
    link_id = value.decode("ascii", errors="replace")
    if not _LINK_ID.match(link_id):
        raise LinkInvalid()
    return link_id


def check_usable(link, now):
    """Raise the named reason a stored link cannot take a response."""
    if link is None:
        raise LinkInvalid()
    if link["used"]:
        raise LinkUsed()
    if link["revoked"]:
        raise LinkRevoked()
    if now >= datetime.fromisoformat(link["expires_at"]):
        raise LinkExpired()


def link_status(link, now):
    """The status an officer sees: completed, revoked, expired, opened, not opened."""
    if link["used"]:
        return "completed"
    if link["revoked"]:
        return "revoked"
    if now >= datetime.fromisoformat(link["expires_at"]):
        return "expired"
    return "opened" if link["opened"] else "not_opened"
