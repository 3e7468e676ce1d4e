"""Staff accounts: create and list them, invite, sign in with lockout, change
role, team and access, unlock. Only hashes of passwords and invitation tokens
are stored; audit entries name accounts, never victims. Every change is audited
here, in the change's own transaction, so it is logged once whoever makes it
(command line or admin pages) and never kept without its entry; `by`
(auditing.Actor) says who that is. The rules are here too, for every caller: an
administrator never changes their own role or access, an invitation is only for
an account still waiting for its password."""

import logging
from datetime import UTC, datetime, timedelta

from feedback.adapters import store
from feedback.adapters.ratelimit import RateLimited, client_key
from feedback.adapters.store import accounts as account_store
from feedback.adapters.store import audit
from feedback.domain import accounts
from feedback.usecases.auditing import COMMAND_LINE, Actor, record_change

log = logging.getLogger(__name__)


class AccountExists(Exception):
    """An account with this email address (the exception's text) already exists."""


class NoSuchAccount(Exception):
    pass


class OwnAccount(Exception):
    """An administrator may not change their own role or access: the last one
    could lock everyone out by mistake."""


class NotWaiting(Exception):
    """The account's password is set, or it signs in through single sign-on: an
    invitation is of no use to it."""


class UnknownTeam(Exception):
    """No account has a team of this name (the exception's text), and it was not
    said to be a new one."""


def new_account_details(db, email, team, borough, new_team=False):
    """{email, team, borough} as stored, checked before a password is asked for;
    InvalidAccountDetail, UnknownTeam or AccountExists."""
    details = {"email": accounts.check_email(email),
               **placed(db, accounts.check_name("Team", team),
                        accounts.check_name("Borough", borough), new_team)}
    _check_new(db, details["email"])
    return details


def placed(db, team, borough, new_team):
    """{team, borough} as stored: a name the same as an existing one but for case and
    spaces takes the existing spelling, so "camden response team 1" never becomes a
    second team beside "Camden Response Team 1". A team nobody has yet needs
    new_team (UnknownTeam otherwise): teams are picked, or added on purpose."""
    return {"team": _existing(db, "team", team, new_team),
            "borough": _existing(db, "borough", borough, True)}


def _existing(db, column, name, may_be_new):
    if not name:
        return name
    for existing, _ in store.fetch_names(db, column):
        if accounts.name_key(existing) == accounts.name_key(name):
            return existing
    if not may_be_new:
        raise UnknownTeam(name)
    return name


def team_names(db):
    """[(team, accounts in it)], for the admin's list to pick from."""
    return store.fetch_names(db, "team")


def merge_teams(db, merged, kept, by, now):
    """Team merged becomes team kept: its accounts, and its links still open. Used
    and expired links keep the name they were counted under (published figures
    never change). Audited in the same transaction. Returns (accounts, links)
    moved; UnknownTeam if either team has no account."""
    names = {accounts.name_key(name): name for name, _ in store.fetch_names(db, "team")}
    merged_name, kept_name = (names.get(accounts.name_key(name)) for name in (merged, kept))
    if merged_name is None or kept_name is None:
        raise UnknownTeam(merged if merged_name is None else kept)
    with db.atomic():
        moved = store.rename_team(db, merged_name, kept_name, now)
        record_change(db, "teams_merged", now, by, "", {
            "merged": merged_name, "into": kept_name, "accounts": moved[0], "links": moved[1]})
    return moved


def _check_new(db, email):
    if store.fetch_user_by_email(db, email):
        raise AccountExists(email)


def create_account(db, details, role, password, now, by=COMMAND_LINE):
    """A new account with a password (WeakPassword if it is too weak), audited
    without the password. details: from new_account_details. `users create` is
    the only way in with a password (admins invite), hence the default `by`."""
    accounts.check_password_rules(password, [details["email"]])
    password_hash = accounts.hash_password(password)  # slow: before the transaction
    with db.atomic():
        user_id = store.create_user(db, details["email"], password_hash, role,
                                    details["team"], details["borough"], now)
        record_change(db, "account_created", now, by, user_id, {"role": role})
    return user_id


def list_accounts(db):
    """Every account with what an admin's list shows (invitations, locks)."""
    return store.fetch_users(db)


def account(db, user_id):
    user = store.fetch_user(db, user_id)
    if user is None:
        raise NoSuchAccount()
    return user


def signed_in_user(db, user_id):
    """The account a session names, if it may still be used (None if disabled or gone)."""
    user = store.fetch_user(db, user_id)
    return None if user is None or user["disabled"] else user


def _by_email(db, email):
    user = store.fetch_user_by_email(db, email)
    if user is None:
        raise NoSuchAccount()
    return user["id"]


def set_disabled_by_email(db, email, disabled, by, now):
    """Disable or enable the account with this address; NoSuchAccount if none."""
    set_disabled(db, _by_email(db, email), disabled, by, now)


def unlock_by_email(db, email, by, now):
    """Unlock the account with this address; NoSuchAccount if none."""
    unlock(db, _by_email(db, email), by, now)


def unlock(db, user_id, by, now):
    with db.atomic():
        store.unlock_user(db, user_id)
        record_change(db, "account_unlocked", now, by, user_id)


def _not_own(user_id, by):
    if by.user is not None and by.user["id"] == user_id:
        raise OwnAccount()


def set_role(db, user_id, role, by, now):
    """Give the account another role (OwnAccount for one's own); False if it had it."""
    _not_own(user_id, by)
    before = account(db, user_id)["role"]
    if role == before:
        return False
    with db.atomic():
        account_store.set_role(db, user_id, role)
        record_change(db, "role_changed", now, by, user_id, {"from": before, "to": role})
    return True


def set_team(db, user_id, team, borough, by, now):
    """Move the account to a team and borough (as placed() gives them); False if
    it was there already."""
    user = account(db, user_id)
    before = [user["team"], user["borough"]]
    if [team, borough] == before:
        return False
    with db.atomic():
        account_store.set_team(db, user_id, team, borough)
        record_change(db, "team_changed", now, by, user_id,
                      {"from": before, "to": [team, borough]})
    return True


def set_disabled(db, user_id, disabled, by, now):
    """Disable or enable the account (OwnAccount for one's own)."""
    _not_own(user_id, by)
    with db.atomic():
        account_store.set_disabled(db, user_id, disabled)
        record_change(db, "account_disabled" if disabled else "account_enabled", now, by,
                      user_id)


# The limits a sign-in attempt counts against: per client, per account, and both.
SIGN_IN_LIMITS = ("sign_in_address", "sign_in_account", "sign_in_client_account")


def sign_in(db, email, password, lockout, limiter, hash_gate, address, now):
    """authenticate(), as one attempt against the sign-in limits (limiter): counted
    before any password hash, so a refusal (RateLimited, noted in the audit log)
    costs nothing, and given back if the password was right: only failures count.
    hash_gate caps the password hashes running at once; it refuses with
    RateLimited too, and that refusal is no guess, so it is given back."""
    keys = claim_sign_in(db, limiter, email, address, now)
    try:
        with hash_gate:
            user = authenticate(db, email, password, lockout, address, now)
    except RateLimited:
        _refused(db, limiter, keys, keys, now)
        raise
    if user is not None:
        refund_sign_in(limiter, keys)
    return user


def claim_sign_in(db, limiter, email, address, now):
    """Count an attempt for the account (a password, or a code after it) against the
    sign-in limits; past one, RateLimited, noted in the audit log. Returns the keys
    refund_sign_in gives back when the attempt succeeds."""
    client = client_key(address)
    keys = dict(zip(SIGN_IN_LIMITS, (client, email, f"{client} {email}"), strict=True))
    taken = {}
    try:
        for name, key in keys.items():
            limiter.hit(name, key)
            taken[name] = key
    except RateLimited:
        _refused(db, limiter, taken, keys, now)
        raise
    return keys


def refund_sign_in(limiter, keys):
    for name, key in keys.items():
        limiter.refund(name, key)


def _refused(db, limiter, taken, keys, now):
    """An attempt refused before it was checked: the hits taken are given back, and
    the refusal noted, once per client and window of the per-address limit."""
    refund_sign_in(limiter, taken)
    note_refused_sign_in(db, keys["sign_in_address"],
                         limiter.rules["sign_in_address"].seconds, now)


def note_sign_out(db, by, now):
    """Note that `by` signed out (their session ends in the web layer)."""
    record_change(db, "sign_out", now, by, "")


def authenticate(db, email, password, lockout, address, now):
    """The account, if the password is right and the account may sign in; else None.
    lockout: threshold (failures allowed) and minutes. Failures, and the lock they
    lead to, go in the audit log with the client's address."""
    user = store.fetch_user_by_email(db, email)
    attempt = (count_attempt(db, user, lockout, now)
               if user is not None and not user["disabled"] else None)
    # Same message, and an argon2 verify either way, whether or not the account exists.
    password_ok = accounts.verify_password(user and user["password_hash"], password)
    if not (attempt and attempt["allowed"] and password_ok):
        audit.record_audit(db, "sign_in_failed", now, user=user, address=address)
        if attempt:
            lock_if_reached(db, user, attempt, lockout, address, now)
        log.info("sign-in refused for user id %s", user["id"] if user else "unknown")
        return None
    if accounts.needs_rehash(user["password_hash"]):
        store.save_password_hash(db, user["id"], accounts.hash_password(password))
    # The attempt stays counted towards the lockout until the sign-in is complete
    # (usecases/second_factor.py): someone who has the password alone gets no fresh
    # count of code guesses each time they type it.
    return user


def count_attempt(db, user, lockout, now):
    """Count a sign-in attempt (a password, or a code after it) before it is checked,
    so parallel guesses cannot pass the lockout. The count, with "allowed" False
    while the account is locked or past the threshold."""
    window_start = now - timedelta(minutes=lockout["minutes"])
    attempt = store.count_login_attempt(db, user["id"], now, window_start)
    return {**attempt, "allowed": not accounts.is_locked(attempt, now) and (
        attempt["failed_logins"] <= lockout["threshold"])}


def lock_if_reached(db, user, attempt, lockout, address, now):
    """After a refused attempt: the attempt that reaches the threshold, or passes it
    unlocked (a right password counts until the sign-in is complete, so the count
    can pass it on a success), locks the account: once, with one audit entry."""
    if attempt["failed_logins"] < lockout["threshold"] or accounts.is_locked(attempt, now):
        return
    until = now + timedelta(minutes=lockout["minutes"])
    if store.lock_user(db, user["id"], until.isoformat(), lockout["threshold"]):
        audit.record_audit(db, "account_locked", now, user=user, address=address)


def note_refused_sign_in(db, client, window_seconds, now):
    """Note in the audit log that sign-ins from `client` (the address a limit
    counts: an IPv6 client's /64) are refused, once per rate-limit window however
    many are, so a flood cannot fill the log. Windows are the limiter's, aligned
    to multiples of their length. True if this refusal is the one noted."""
    second = int(now.timestamp())
    start = second - second % window_seconds
    window = "/".join(datetime.fromtimestamp(moment, UTC).isoformat()
                      for moment in (start, start + window_seconds))
    return audit.record_refused_sign_in(db, now, client, window)


def invite(db, details, role, by, hours, now):
    """An account waiting for its password, and the one-time token for the link
    (shown once, never stored: only its hash is kept). details: email, team and
    borough. Returns (user id, token); AccountExists if the address has one."""
    _check_new(db, details["email"])
    token = accounts.new_invitation_token()
    with db.atomic():
        user_id = account_store.create_invitation(
            db, details["email"], role, details["team"], details["borough"],
            accounts.invitation_hash(token), by.user["id"], now,
            (now + timedelta(hours=hours)).isoformat())
        record_change(db, "account_invited", now, by, user_id, {"role": role})
    return user_id, token


def renew_invitation(db, user_id, by, hours, now):
    """A new token for an account still waiting for its password (NotWaiting if
    its password is set or it signs in through single sign-on)."""
    user = account(db, user_id)
    if not accounts.awaits_password(user):
        raise NotWaiting()
    token = accounts.new_invitation_token()
    with db.atomic():
        account_store.renew_invitation(db, user_id, accounts.invitation_hash(token),
                                       by.user["id"], now,
                                       (now + timedelta(hours=hours)).isoformat())
        record_change(db, "account_invited", now, by, user_id,
                      {"role": user["role"], "renewed": True})
    return token


def open_invitation(db, token, now):
    """The invitation a token is for, if still usable (None if unknown, used,
    expired, or the account is disabled)."""
    invitation = account_store.fetch_invitation(db, accounts.invitation_hash(token),
                                                now.isoformat())
    return None if invitation is None or invitation["disabled"] else invitation


def accept_invitation(db, token, password, address, now):
    """Set the password (WeakPassword if it is too weak), audited as the account's
    own action from `address`; the account, or None if the token is unusable or
    was used a moment ago. The caller limits how many hashes run at once."""
    invitation = open_invitation(db, token, now)
    if invitation is None:
        return None
    accounts.check_password_rules(password, [invitation["email"]])
    password_hash = accounts.hash_password(password)  # slow: before the transaction
    with db.atomic():
        user_id = account_store.use_invitation(db, accounts.invitation_hash(token),
                                               password_hash, now.isoformat())
        if user_id is None:
            return None
        user = store.fetch_user(db, user_id)
        record_change(db, "invitation_used", now, Actor(user, address), "")
    return user
