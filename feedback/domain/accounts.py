"""Account rules: email, team and borough names, password hashing and lockout.
Pure: no storage, no Flask."""

import hashlib
import re
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email

ROLES = ("officer", "trainer", "admin")
MIN_PASSWORD_LENGTH = 12  # ASVS 5: at least 8, and 15 recommended without MFA
MAX_PASSWORD_LENGTH = 128
# zxcvbn's score of how guessable a password is, 0 to 4: 3 and up resist an
# offline attack on a slow hash. NCSC: refuse common and guessable passwords,
# rather than demand symbols and digits.
MIN_PASSWORD_SCORE = 3
# Words an attacker would try first against this service's accounts.
_SERVICE_WORDS = ("met", "police", "metropolitan", "feedback", "service", "officer",
                  "trainer", "admin", "victim", "survey")
GUESSABLE = ("Choose a password that is harder to guess. Avoid common passwords, names,"
             " dates and keyboard patterns: three or four random words work well")

# argon2id with the library's RFC 9106 low-memory profile (64 MiB, t=3, p=4):
# above the OWASP minimums and affordable on a small web worker.
HASHING = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(HASHING)
# Verified against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not a real password, used to equalise timing")


class WeakPassword(ValueError):
    pass


class InvalidAccountDetail(ValueError):
    pass


MAX_NAME_LENGTH = 60
# Team and borough names reach pages, charts and CSV columns: plain words only,
# starting with a letter or digit (so never a formula trigger or a markup sign).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,'&()/-]*")


def check_email(text):
    """The address as stored (lower case), or InvalidAccountDetail. No DNS look-up:
    force mail domains may not resolve from where the command runs."""
    try:
        checked = validate_email(text.strip(), check_deliverability=False,
                                 allow_smtputf8=False)
    except EmailNotValidError as error:
        raise InvalidAccountDetail(
            f"Enter an email address in the correct format, like name@example.police.uk"
            f" ({error})") from None
    return checked.normalized.lower()


def check_name(label, text):
    """A team or borough name, trimmed, runs of spaces made one; an empty name is
    allowed (no team). The one rule for admin pages, officers' forms and the CLI."""
    name = re.sub(" {2,}", " ", text.strip())
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidAccountDetail(f"{label} must be {MAX_NAME_LENGTH} characters or fewer")
    if name and not _NAME.fullmatch(name):
        raise InvalidAccountDetail(
            f"{label} can only contain the letters A to Z, digits, spaces and . , ' & ( ) / -,"
            " and must start with a letter or digit")
    return name


def name_key(name):
    """Two team (or borough) names are the same when they differ only in case and
    spaces: "camden response team 1" is "Camden Response Team 1"."""
    return "".join(name.split()).casefold()


def check_password_rules(password, known=()):
    """A new password: long enough, and not common or guessable, also from known
    (the person's email address) and words of this service. WeakPassword says why."""
    _check_length(password)
    # Imported here: its word lists take 14 MiB, which only the few processes that
    # set a password need (an invitation page, `users create`), not every worker.
    from zxcvbn import zxcvbn
    words = [*_SERVICE_WORDS]
    for text in known:  # an address, its name part, and each word of it
        words += [text.lower(), text.lower().split("@")[0],
                  *re.split(r"[@._+-]+", text.lower())]
    if zxcvbn(password, user_inputs=[word for word in words if word])["score"] < (
            MIN_PASSWORD_SCORE):
        raise WeakPassword(GUESSABLE)


def _check_length(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be {MIN_PASSWORD_LENGTH} characters or more")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer")


def hash_password(password):
    """The hash of a password already accepted (check_password_rules for a new one;
    a sign-in rehashes the one it has just verified)."""
    _check_length(password)
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


def awaits_password(account):
    """An invited account whose password is not set yet: an invitation is of use to
    it (a local account, not one that signs in through single sign-on)."""
    return account["password_hash"] == "" and not account["sso_subject"]
