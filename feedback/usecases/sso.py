"""Single sign-on: the account an ID token's checked claims make someone, and
the audit entry of every sign-in and refusal.

An account made by single sign-on is the provider's issuer and subject (`sub`),
never just an email address: an address a provider vouches for does not take
over a local account that has it. It is made at the first sign-in, only when
the claims give a role; each later sign-in brings its address, role and team up
to date from the claims. A disabled account is refused here as at the password
sign-in.
"""

import logging

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.domain import accounts
from feedback.usecases.auditing import Actor, record_change
from feedback.usecases.staff import placed

log = logging.getLogger(__name__)

SINGLE_SIGN_ON = Actor(name="single sign-on")
# When the claims give more than one role, the first of these wins.
ROLE_ORDER = ("admin", "trainer", "officer")
EMAIL_CLAIMS = ("email", "preferred_username", "upn")


class SignInRefused(Exception):
    """The provider vouched for someone who may not come in; the text is the
    reason, as the audit log has it."""


class NoAccess(SignInRefused):
    """No role for them here: they get a calm "you do not have access" page."""


class InvalidGroup(ValueError):
    """A group name that cannot be mapped; the text says why, as an instruction."""


MAX_GROUP_LENGTH = 200  # Entra ID's group ids are 36; display names at most 256


def group_roles(db, configured):
    """{group: role}: SSO_GROUP_ROLES (configured), and the administrator's mapping,
    which wins where both name a group."""
    return {**configured, **store.fetch_group_roles(db)}


def map_group(db, group, role, by, now):
    """Give members of group (as the roles claim carries it) a role; audited."""
    group = group.strip()
    if not group:
        raise InvalidGroup("Enter the group's name or id, as your organisation sends it")
    if len(group) > MAX_GROUP_LENGTH or not group.isprintable():
        raise InvalidGroup(f"Enter a group name or id of {MAX_GROUP_LENGTH} characters or"
                           " fewer, without line breaks")
    if role not in accounts.ROLES:
        raise InvalidGroup("Select a role")
    with db.atomic():
        store.save_group_role(db, group, role)
        record_change(db, "sso_group_mapped", now, by, "", {"group": group, "role": role})


def unmap_group(db, group, by, now):
    """Members of group get no role from it from their next sign-in; audited.
    False if the administrator's mapping did not name it."""
    with db.atomic():
        removed = store.delete_group_role(db, group)
        if removed:
            record_change(db, "sso_group_unmapped", now, by, "", {"group": group})
    return removed


def role_from_claims(claims, roles_claim, group_roles):
    """The role the claims give: a value of the roles claim that is a role's name,
    or a group the admin's mapping (SSO_GROUP_ROLES) gives one; None if neither."""
    values = claims.get(roles_claim)
    values = [values] if isinstance(values, str) else values
    if not isinstance(values, list):
        return None
    given = {group_roles.get(value, value) for value in values if isinstance(value, str)}
    return next((role for role in ROLE_ORDER if role in given), None)


def team_from_claims(claims, team_claim):
    """The team's name from its claim, checked as every team name is; "" if none."""
    team = claims.get(team_claim) if team_claim else ""
    if isinstance(team, list):
        team = team[0] if len(team) == 1 else ""
    if not isinstance(team, str):
        return ""
    try:
        return accounts.check_name("Team", team)
    except accounts.InvalidAccountDetail:
        raise SignInRefused("team name") from None


def sign_in(db, claims, settings, address, now):
    """The account the checked claims sign in (made or updated), audited; or
    SignInRefused (NoAccess when no role maps), audited too. settings: the
    OIDC_ROLES_CLAIM, OIDC_TEAM_CLAIM and SSO_GROUP_ROLES values (the last with the
    administrator's mapping, see group_roles)."""
    user = store.fetch_user_by_sso(db, claims["iss"], claims["sub"])
    try:
        details = _details(db, claims, settings, user)
    except SignInRefused as refusal:
        note_refusal(db, str(refusal), address, now, user)
        raise
    with db.atomic():
        if user is None:
            user_id = store.create_sso_user(db, claims["iss"], claims["sub"], details["email"],
                                            details["role"], details["team"], now)
            record_change(db, "account_created", now, SINGLE_SIGN_ON, user_id,
                          {"role": details["role"]})
        else:
            user_id = user["id"]
            _update(db, user, details, now)
        user = store.fetch_user(db, user_id)
        audit.record_audit(db, "sign_in", now, user=user, detail={"method": "single sign-on"},
                           address=address)
    log.info("user id %s signed in through single sign-on", user_id)
    return user


def note_refusal(db, reason, address, now, user=None):
    """Note a refused single sign-on: why (never the token), and whose if known."""
    audit.record_audit(db, "sso_refused", now, user=user, detail={"reason": reason},
                       address=address)
    log.info("single sign-on refused (%s) for user id %s", reason,
             user["id"] if user else "unknown")


def note_password_refused(db, address, now):
    """A password sign-in refused because single sign-on is the only way in
    (SSO_ONLY). Not whose: the address typed is not looked up."""
    audit.record_audit(db, "sign_in_failed", now, detail={"reason": "single sign-on only"},
                       address=address)


def _details(db, claims, settings, user):
    if user is not None and user["disabled"]:
        raise SignInRefused("account disabled")
    role = role_from_claims(claims, settings["OIDC_ROLES_CLAIM"],
                            group_roles(db, settings["SSO_GROUP_ROLES"]))
    if role is None:
        raise NoAccess("no role")
    email = _email(claims)
    holder = store.fetch_user_by_email(db, email)
    if holder is not None and (user is None or holder["id"] != user["id"]):
        raise SignInRefused("address used by another account")
    team = placed(db, team_from_claims(claims, settings["OIDC_TEAM_CLAIM"]), "", True)["team"]
    return {"email": email, "role": role, "team": team}


def _email(claims):
    for name in EMAIL_CLAIMS:
        if isinstance(claims.get(name), str):
            try:
                return accounts.check_email(claims[name])
            except accounts.InvalidAccountDetail:
                continue
    raise SignInRefused("no email address")


def _update(db, user, details, now):
    if (user["email"], user["role"], user["team"]) == (
            details["email"], details["role"], details["team"]):
        return
    store.update_sso_user(db, user["id"], details["email"], details["role"], details["team"])
    if user["role"] != details["role"]:
        record_change(db, "role_changed", now, SINGLE_SIGN_ON, user["id"],
                      {"from": user["role"], "to": details["role"]})
    if user["team"] != details["team"]:
        record_change(db, "team_changed", now, SINGLE_SIGN_ON, user["id"],
                      {"from": [user["team"], user["borough"]],
                       "to": [details["team"], user["borough"]]})
