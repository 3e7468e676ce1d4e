"""The audit log of staff actions: storage. Plain values in, dicts out.

Who did what, when, from which address. Never victim data: no recipient, no
link token, no answer, and for a failed sign-in not even the email typed (it
may be a password typed in the wrong box). The application can add rows and
read them; only the retention purge deletes. Triggers refuse any update, and any
delete of an entry within 30 days of the newest (store/schema.py, m032).
"""

import json

from feedback.adapters.store.connection import _rows
from feedback.domain import clock as _clock

# action -> how the admin page names it
ACTIONS = {
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in failed",
    "sign_in_refused": "Sign-ins refused (too many attempts)",
    "account_locked": "Account locked after failed sign-ins",
    "sign_out": "Signed out",
    "second_factor_failed": "Sign-in code refused",
    "second_factor_enrolled": "Authenticator app set up",
    "recovery_code_used": "Recovery code used to sign in",
    "second_factor_reset": "Second factor reset",
    "sso_refused": "Single sign-on refused",
    "sso_group_mapped": "Single sign-on group given a role",
    "sso_group_unmapped": "Single sign-on group's role removed",
    "link_created": "Link created",
    "link_revoked": "Link cancelled",
    "link_sent": "Link sent",
    "export": "Responses downloaded",
    "trainer_view": "Figures or comments viewed",
    "comment_removed": "Comment text removed",
    "account_created": "Account created",
    "account_invited": "Account created (invitation)",
    "invitation_used": "Password set from invitation",
    "account_disabled": "Account disabled",
    "account_enabled": "Account enabled",
    "account_unlocked": "Account unlocked",
    "role_changed": "Role changed",
    "team_changed": "Team changed",
    "teams_merged": "Teams merged",
    "audit_purged": "Audit entries past their retention period deleted",
    "api_call": "API call",
    "api_client_registered": "API client registered",
    "api_key_rotated": "API key rotated",
    "api_client_revoked": "API client revoked",
}


def record_audit(db, action, now, user=None, subject="", detail=None, address="", actor=""):
    """Append one entry. `user` is the staff account acting (a dict), or None;
    `actor` names what acted when no account did ("command line")."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    db.execute(
        "INSERT INTO audit_log (at, user_id, actor, action, subject, detail, address)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [now.isoformat(), user["id"] if user else None, user["email"] if user else actor,
         action, str(subject), _json(detail), address or ""])


def record_refused_sign_in(db, now, client, window):
    """Note that sign-ins from `client` were refused during `window` (text naming
    it), unless that is noted already: True if this is the first note. A unique
    index (m032) makes a second insert for the same client and window do nothing,
    in every worker and instance alike, so a flood of refusals adds one entry."""
    return db.execute(
        "INSERT INTO audit_log (at, action, detail, address) VALUES (?, 'sign_in_refused', ?, ?)"
        " ON CONFLICT DO NOTHING",
        [now.isoformat(), _json({"window": window}), client]).rowcount == 1


def _json(detail):
    # Sorted keys: the same detail is the same text, which the unique index needs.
    return json.dumps(detail or {}, sort_keys=True)


def _where(filters):
    clauses, params = [], []
    for key, clause in (("action", "action = ?"), ("user_id", "user_id = ?"),
                        ("since", "at >= ?"), ("before", "at < ?")):
        if filters.get(key) not in (None, ""):
            clauses.append(clause)
            params.append(filters[key])
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def fetch_audit(db, filters, limit, offset):
    """Newest first. `filters`: action, user_id, since and before (ISO times)."""
    where, params = _where(filters)
    # `where` is built from fixed clauses; values are bound parameters.
    rows = _rows(db, f"SELECT * FROM audit_log{where} ORDER BY id DESC LIMIT ? OFFSET ?",  # noqa: S608
                 [*params, limit, offset])
    return [{**row, "detail": json.loads(row["detail"])} for row in rows]


def count_audit(db, filters):
    where, params = _where(filters)
    return db.execute(f"SELECT count(*) FROM audit_log{where}", params).fetchone()[0]  # noqa: S608


def purge_audit(db, before, now=None):
    """The retention purge: the one way entries leave the log. It notes itself
    first, in the same transaction: the log then says when entries were deleted,
    and its newest entry is `now`, from which the trigger measures the 30 days it
    keeps (an idle log's newest entry may be older than the entries to delete)."""
    with db.atomic():
        record_audit(db, "audit_purged", now or _clock.now(), actor="retention purge",
                     detail={"before": before})
        return db.execute("DELETE FROM audit_log WHERE at < ?", [before]).rowcount
