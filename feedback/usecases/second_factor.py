"""The second step of signing in to a local account: a code from an authenticator
app (TOTP) or a recovery code, and setting the app up at a first sign-in.

SECOND_FACTOR is "required" (production) or "optional" (development: the demo
accounts sign in with a password alone). Either way an account that has set up
a second factor must give a code. Codes count towards the account's lockout as
wrong passwords do: the same threshold, the same lock.

Every sign-in, failed code, set-up, recovery code used and reset is noted in the
audit log here, in the change's own transaction. Neither the secret nor any code
is ever logged: the secret is stored sealed, recovery codes as hashes.
"""

import logging

from feedback.adapters import store
from feedback.domain import sealing
from feedback.domain import second_factor as factor_rules
from feedback.usecases.auditing import record, record_change
from feedback.usecases.staff import (
    NoSuchAccount,
    claim_sign_in,
    count_attempt,
    lock_if_reached,
    refund_sign_in,
)

log = logging.getLogger(__name__)
_PURPOSE = "second factor"
REQUIRED, OPTIONAL = "required", "optional"
ENROL, CODE = "enrol", "code"


class WrongCode(Exception):
    """The code was wrong, already used, or the account is locked: one answer for
    all, as for a wrong password."""


class AlreadySetUp(Exception):
    """The account has a confirmed second factor: no new one without a reset."""


class SecretLost(Exception):
    """No key of SECRET_KEY's rotation opens the account's app secret (the key it was
    sealed under was retired before the person signed in again): only a recovery
    code or an administrator's reset helps. Not counted as a failed attempt."""


def next_step(db, user, policy):
    """What the person must do after their password: ENROL (set up an app), CODE
    (type a code), or None (signed in with the password alone)."""
    if has_second_factor(db, user["id"]):
        return CODE
    return ENROL if policy == REQUIRED else None


def has_second_factor(db, user_id):
    """True once the account's app is set up (its first code accepted)."""
    factor = store.fetch_factor(db, user_id)
    return bool(factor and factor["confirmed"])


def setup_secret(db, user, secret_keys, now):
    """The secret to show while setting up (the same one until it is confirmed or
    reset), with the otpauth address for its QR code. AlreadySetUp if confirmed."""
    factor = store.fetch_factor(db, user["id"])
    if factor is None:  # the first view: a secret is made once, kept on reloads
        sealed = sealing.seal({"secret": factor_rules.new_secret()}, secret_keys, _PURPOSE)
        store.add_unconfirmed_factor(db, user["id"], sealed, now)
        factor = store.fetch_factor(db, user["id"])  # a parallel first view's, if it won
    if factor["confirmed"]:
        raise AlreadySetUp()
    try:
        secret = _open_secret(db, user, factor, secret_keys)
    except SecretLost:  # never confirmed, so never scanned for good: start afresh
        store.delete_factor(db, user["id"])
        return setup_secret(db, user, secret_keys, now)
    return {"secret": secret, "uri": factor_rules.setup_uri(secret, user["email"])}


def confirm_setup(db, user, code, secret_keys, lockout, limiter, address, now):
    """Confirm the app with its first code: the person is signed in, and gets their
    recovery codes (returned once, stored hashed). WrongCode or AlreadySetUp. The
    code is an attempt against the sign-in limits (staff.claim_sign_in), given
    back when it is accepted."""
    keys = claim_sign_in(db, limiter, user["email"], address, now)
    codes = _confirm_setup(db, user, code, secret_keys, lockout, address, now)
    refund_sign_in(limiter, keys)
    return codes


def _confirm_setup(db, user, code, secret_keys, lockout, address, now):
    attempt = count_attempt(db, user, lockout, now)
    factor = store.fetch_factor(db, user["id"])
    if factor is None or factor["confirmed"]:
        raise AlreadySetUp()
    try:
        secret = _open_secret(db, user, factor, secret_keys)
    except SecretLost:  # its key retired while the page was open: show a new one
        store.delete_factor(db, user["id"])
        raise WrongCode() from None
    step = factor_rules.matching_step(secret, code, now, 0)
    codes = factor_rules.new_recovery_codes()
    with db.atomic():
        confirmed = attempt["allowed"] and step is not None and store.confirm_factor(
            db, user["id"], step, [factor_rules.recovery_hash(c) for c in codes], now)
        if confirmed:
            record(db, "second_factor_enrolled", now, user, user["id"], None, address)
            _complete_sign_in(db, user, {"second_factor": "app"}, address, now)
    if not confirmed:
        _refuse(db, user, attempt, lockout, address, now)
        raise WrongCode()
    log.info("user id %s set up a second factor", user["id"])
    return codes


def check_code(db, user, code, secret_keys, lockout, limiter, address, now):
    """Sign in with a code from the app or a recovery code (each accepted once).
    Returns the recovery codes left after a recovery code, else None; WrongCode, or
    SecretLost (before anything is counted) for an app's code no key can check.
    The code is an attempt against the sign-in limits (staff.claim_sign_in), given
    back when it is accepted or cannot be checked."""
    keys = claim_sign_in(db, limiter, user["email"], address, now)
    try:
        left = _check_code(db, user, code, secret_keys, lockout, address, now)
    except SecretLost:
        refund_sign_in(limiter, keys)  # not a guess: no code from the app can be checked
        raise
    refund_sign_in(limiter, keys)
    return left


def _check_code(db, user, code, secret_keys, lockout, address, now):
    factor = store.fetch_factor(db, user["id"])
    recovery = not factor_rules.is_totp_code(code)
    secret = None
    if factor is not None and factor["confirmed"] and not recovery:
        secret = _open_secret(db, user, factor, secret_keys)
    attempt = count_attempt(db, user, lockout, now)
    if factor is None or not factor["confirmed"]:
        raise WrongCode()  # reset a moment ago: the next sign-in sets up again
    left = None
    with db.atomic():
        accepted = attempt["allowed"] and _spend(db, user, factor, code, secret, now)
        if accepted:
            if recovery:
                left = store.count_unused_recovery_codes(db, user["id"])
                record(db, "recovery_code_used", now, user, user["id"], {"left": left},
                       address)
            _complete_sign_in(db, user, {"second_factor": "recovery code" if recovery
                                         else "app"}, address, now)
    if not accepted:
        _refuse(db, user, attempt, lockout, address, now)
        raise WrongCode()
    return left


def _spend(db, user, factor, code, secret, now):
    """Accept the code once: the app's (secret given) or a recovery code."""
    if secret is None:
        return store.spend_recovery_code(db, user["id"], factor_rules.recovery_hash(code), now)
    step = factor_rules.matching_step(secret, code, now, factor["last_step"])
    return step is not None and store.accept_step(db, user["id"], step)


def _open_secret(db, user, factor, secret_keys):
    """The app's secret. Opened with an older key of the rotation, it is sealed again
    with the newest, so an account that signs in now and then outlives the retiring
    of old keys; SecretLost if no key opens it."""
    try:
        record, renewed = sealing.unseal_renewed(factor["secret"], secret_keys, _PURPOSE)
    except sealing.Unsealable:
        log.warning("second factor of user id %s sealed under a retired key", user["id"])
        raise SecretLost() from None
    if renewed:
        store.reseal_factor(db, user["id"], factor["secret"], renewed)
    return record["secret"]


def signed_in_with_password(db, user, address, now):
    """A sign-in that needed no second factor (SECOND_FACTOR=optional) is complete:
    its failures are forgotten, and it is noted."""
    with db.atomic():
        _complete_sign_in(db, user, None, address, now)


def _complete_sign_in(db, user, detail, address, now):
    """A sign-in is complete: the count of failures starts again, and it is noted
    (detail: which second factor, if any)."""
    store.record_successful_login(db, user["id"])
    record(db, "sign_in", now, user, "", detail, address)


def reset(db, user_id, by, now):
    """Forget the account's second factor and recovery codes: the person sets up an
    app again at their next sign-in. Audited with who reset it."""
    with db.atomic():
        had_one = store.delete_factor(db, user_id)
        record_change(db, "second_factor_reset", now, by, user_id, {"had_one": had_one})
    return had_one


def reset_by_email(db, email, by, now):
    """reset() for the account with this address; staff.NoSuchAccount if none."""
    user = store.fetch_user_by_email(db, email.strip())
    if user is None:
        raise NoSuchAccount()
    return reset(db, user["id"], by, now)


def _refuse(db, user, attempt, lockout, address, now):
    record(db, "second_factor_failed", now, user, "", None, address)
    lock_if_reached(db, user, attempt, lockout, address, now)
    log.info("second factor refused for user id %s", user["id"])
