"""Case systems that call the API: registering one, rotating and revoking its keys,
and knowing a key when a call brings it.

A key is 256 random bits, shown once. Only its SHA-256 is kept: for a random secret
of that size a fast hash is as strong as a slow one (a slow hash is for passwords,
which are guessable). Its short prefix is kept plainly, so an admin can tell keys
apart and a call's key is found without comparing digests.
"""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from feedback.adapters import store
from feedback.usecases import auditing

SCOPES = ("create", "send", "status", "cancel")
KEY_DAYS = 365  # a key's lifetime when none is asked for (a rotation from the admin page)
MAX_KEY_DAYS = 730
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,59}$")
_KEY = re.compile(r"^mms_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")


class ClientProblem(Exception):
    """A client cannot be registered or changed as asked: the message says why, and
    field which of name, scopes and days it is about."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


class KeyRefused(Exception):
    """No usable key: missing, unknown, revoked or expired (the caller is not told which)."""


def _new_key():
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    return prefix, f"mms_{prefix}_{secret}"


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def _check_days(days):
    if not 1 <= days <= MAX_KEY_DAYS:
        raise ClientProblem("days", f"A key lasts 1 to {MAX_KEY_DAYS} days")


def _check(name, scopes, days):
    if not _NAME.match(name or ""):
        raise ClientProblem("name", "The name must be 1 to 60 letters, digits, spaces, dots,"
                            " dashes or underscores, starting with a letter or digit")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ClientProblem("scopes", f"Choose what the client may do: some of"
                            f" {', '.join(SCOPES)}")
    _check_days(days)


def _issue_key(db, client_id, days, now):
    prefix, key = _new_key()
    store.add_api_key(db, client_id, prefix, _digest(key), now, now + timedelta(days=days))
    return prefix, key


def register_client(db, name, scopes, days, now, by=auditing.COMMAND_LINE):
    """A new client and its first key; returns the key, which is never shown again."""
    _check(name, scopes, days)
    scopes = sorted(set(scopes), key=SCOPES.index)
    if store.fetch_api_client(db, name):
        raise ClientProblem("name", f"There is already a client called {name}")
    with db.atomic():
        client_id = store.create_api_client(db, name, " ".join(scopes), now)
        prefix, key = _issue_key(db, client_id, days, now)
        auditing.record_change(db, "api_client_registered", now, by, name,
                               {"scopes": scopes, "key": prefix, "days": days})
    return key


def _client(db, name):
    client = store.fetch_api_client(db, name)
    if client is None or client["revoked"]:
        raise ClientProblem("name", f"There is no client called {name}")
    return client


def rotate_key(db, name, days, now, by=auditing.COMMAND_LINE):
    """A new key for the client; its older keys stop working at once."""
    client = _client(db, name)
    _check_days(days)
    with db.atomic():
        prefix, key = _issue_key(db, client["id"], days, now)
        store.revoke_api_keys(db, client["id"], keep=prefix)
        auditing.record_change(db, "api_key_rotated", now, by, name, {"key": prefix,
                                                                     "days": days})
    return key


def revoke_client(db, name, now, by=auditing.COMMAND_LINE):
    """The client and every key of it stop working, for good."""
    client = _client(db, name)
    with db.atomic():
        store.revoke_api_client(db, client["id"])
        auditing.record_change(db, "api_client_revoked", now, by, name)


def clients(db):
    """Every client, once for each live key (prefix, expires_at), by name."""
    return store.fetch_api_clients(db)


def client(db, client_id):
    """One client ({id, name, scopes, revoked, keys: [{prefix, expires_at}]}), or None."""
    rows = store.fetch_api_clients(db, client_id)
    if not rows:
        return None
    return {**{name: rows[0][name] for name in ("id", "name", "scopes", "revoked")},
            "keys": [{"prefix": row["prefix"], "expires_at": row["expires_at"]}
                     for row in rows if row["prefix"]]}


def authenticate(db, key, now):
    """The client a key belongs to ({id, name, scopes, key}), or KeyRefused."""
    found = _KEY.match(key or "")
    row = store.fetch_api_key(db, found.group(1)) if found else None
    if row is None or not hmac.compare_digest(row["digest"], _digest(key)):
        raise KeyRefused()
    if row["revoked"] or row["client_revoked"] or now >= datetime.fromisoformat(
            row["expires_at"]):
        raise KeyRefused()
    return {"id": row["client_id"], "name": row["name"], "scopes": row["scopes"].split(),
            "key": row["prefix"]}
