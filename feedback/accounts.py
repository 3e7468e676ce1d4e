"""Password hashing and lockout rules. Pure: no storage, no Flask."""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("officer", "trainer", "admin")
MIN_PASSWORD_LENGTH = 12  # ASVS 5: at least 8, and 15 recommended without MFA
MAX_PASSWORD_LENGTH = 128

# argon2id with the library's RFC 9106 low-memory profile (64 MiB, t=3, p=4):
# above the OWASP minimums and affordable on a small web worker.
_hasher = PasswordHasher()
# Verified against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not a real password, used to equalise timing")


class WeakPassword(ValueError):
    pass


def check_password_rules(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be {MIN_PASSWORD_LENGTH} characters or more")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer")


def hash_password(password):
    check_password_rules(password)
    return _hasher.hash(password)


def verify_password(password_hash, password):
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher.check_needs_rehash(password_hash)


def is_locked(user, now):
    return bool(user["locked_until"]) and now.isoformat() < user["locked_until"]




def new_invitation_token():
    """A one-time set-password token: 256 random bits, shown once, stored hashed."""
    return secrets.token_urlsafe(32)


def invitation_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()
