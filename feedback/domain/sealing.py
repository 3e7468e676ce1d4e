"""Sealing a response while it waits to be released (feedback/usecases/responding.py).

A submission marks its link used and holds its response in one transaction, so
the held row is written by the same transaction as the link's update: a reader of
the tables could join them (PostgreSQL's xmin, SQLite's page order). Sealed, the
held row tells that reader nothing but that some response exists. It is opened
only when a batch is released into the responses table, in a transaction of its
own, shuffled with at least k others.

AES-256-GCM with a random nonce under a key derived from the service's secret
(HKDF-SHA256); the old keys of a rotation still open what they sealed. Pure: the
secrets are passed in.

Each account's second-factor secret (usecases/second_factor.py) is sealed the same
way, under a key derived for that purpose alone (PURPOSES).
"""

import base64
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"my-met-service held responses v1"
# A key of its own for each purpose, from the same secret.
PURPOSES = {"held responses": _INFO, "second factor": b"my-met-service second factor v1"}
_NONCE_BYTES = 12


class Unsealable(ValueError):
    """No key of the rotation opens this text, or it was altered."""


def _key(secret, purpose):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=PURPOSES[purpose]).derive(secret.encode())


def seal(record, secret_keys, purpose="held responses"):
    """The record (plain JSON values) as URL-safe text, sealed with the newest key."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    plain = json.dumps(record, sort_keys=True).encode()
    sealed = AESGCM(_key(secret_keys[-1], purpose)).encrypt(nonce, plain, None)
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(text, secret_keys, purpose="held responses"):
    """The record sealed in text, opened with whichever key of the rotation fits."""
    return _open(text, secret_keys, purpose)[0]


def unseal_renewed(text, secret_keys, purpose):
    """(record, text sealed again with the newest key, or None if it already was),
    for what is kept longer than a rotation's old keys: each use moves it forward."""
    record, newest = _open(text, secret_keys, purpose)
    return record, None if newest else seal(record, secret_keys, purpose)


def _open(text, secret_keys, purpose):
    raw = base64.urlsafe_b64decode(text.encode("ascii"))
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for secret in reversed(secret_keys):
        try:
            record = json.loads(AESGCM(_key(secret, purpose)).decrypt(nonce, sealed, None))
        except InvalidTag:
            continue
        return record, secret == secret_keys[-1]
    raise Unsealable()
