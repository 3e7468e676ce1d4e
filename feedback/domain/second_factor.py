"""The second factor of a local account: a time-based one-time code (TOTP, RFC 6238)
from an authenticator app, or one of ten single-use recovery codes. Pure: no
storage, no Flask; the time and the last step accepted are passed in.

A code is accepted for its own 30-second step and for the steps either side (a
phone's clock drifts, and people type slowly), but never for a step at or before
the last one accepted for the account: a code seen over someone's shoulder, or
typed twice, is refused.
"""

import hashlib
import hmac
import re
import secrets

import pyotp

ISSUER = "My Met Service"
STEP_SECONDS = 30
NEIGHBOURING_STEPS = 1  # each side of the current step
CODE_DIGITS = 6
RECOVERY_CODES = 10
# No i, l, o, 0 or 1, which are read for one another on paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# 16 characters of 31 (79 random bits), shown in groups of four. Random enough that
# a fast hash (SHA-256) cannot be reversed by guessing, so each is found by its hash
# and spent in one statement, as invitation tokens are.
_RECOVERY_LENGTH = 16
MAX_CODE_LENGTH = 40  # what the form takes, spaces and hyphens included


def new_secret():
    """A new TOTP secret: 160 random bits in base32, as authenticator apps expect."""
    return pyotp.random_base32()


def setup_uri(secret, email):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=ISSUER)


def grouped(text):
    """A secret or recovery code in groups of four, easier to copy by hand."""
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def step_at(moment):
    return int(moment.timestamp()) // STEP_SECONDS


def is_totp_code(code):
    """True if what was typed looks like an app's code (six digits) rather than a
    recovery code."""
    return re.fullmatch(rf"\d{{{CODE_DIGITS}}}", _compact(code)) is not None


def matching_step(secret, code, moment, last_step):
    """The time step whose code this is, if it is the code of the step at moment or
    of a neighbouring one, and later than last_step (the last step accepted);
    otherwise None."""
    code, totp = _compact(code), pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS)
    current = step_at(moment)
    for step in range(current - NEIGHBOURING_STEPS, current + NEIGHBOURING_STEPS + 1):
        # Every step compared, in constant time, whatever matched before.
        if hmac.compare_digest(totp.generate_otp(step), code) and step > (last_step or 0):
            return step
    return None


def new_recovery_codes():
    return ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
            for _ in range(RECOVERY_CODES)]


def recovery_hash(code):
    """The stored form of a recovery code, however it was typed (case, spaces, hyphens)."""
    return hashlib.sha256(_compact(code).lower().encode()).hexdigest()


def _compact(code):
    return re.sub(r"[\s-]+", "", code or "")
