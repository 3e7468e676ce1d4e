"""Storage for account administration: invitations and changes to accounts.

Functions take the database first and return plain values. An invited account
has an empty password hash, which never verifies, until its invitation is used.
"""


from feedback.adapters.store.connection import _one, _rows
from feedback.adapters.store.accounts import create_user


def fetch_accounts(db):
    return list(_rows(db, "SELECT id, email, role, team, borough, disabled, locked_until,"
                          " password_hash = '' AND sso_subject IS NULL AS invited,"
                          " sso_subject IS NOT NULL AS sso FROM users ORDER BY email"))


def create_invitation(db, email, role, team, borough, token_hash, created_by, now, expires_at):
    """A new account that cannot sign in yet, and its one-time invitation."""
    with db.atomic():
        user_id = create_user(db, email, "", role, team, borough, now)
        _add_invitation(db, user_id, token_hash, created_by, now, expires_at)
    return user_id


def renew_invitation(db, user_id, token_hash, created_by, now, expires_at):
    """A fresh invitation for an account whose password is not set; older ones stop working."""
    with db.atomic():
        db.execute("DELETE FROM invitations WHERE user_id = ?", [user_id])
        _add_invitation(db, user_id, token_hash, created_by, now, expires_at)


def _add_invitation(db, user_id, token_hash, created_by, now, expires_at):
    db.execute("INSERT INTO invitations (token_hash, user_id, created_by, created_at,"
               " expires_at) VALUES (?, ?, ?, ?, ?)",
               [token_hash, user_id, created_by, now.isoformat(), expires_at])


def fetch_invitation(db, token_hash, now):
    return _one(db, "SELECT invitations.user_id, users.email, users.disabled FROM invitations"
                    " JOIN users ON users.id = invitations.user_id"
                    " WHERE token_hash = ? AND expires_at > ? AND users.password_hash = ''"
                    " AND users.sso_subject IS NULL",
                [token_hash, now])


def use_invitation(db, token_hash, password_hash, now):
    """Set the password and spend the invitation in one transaction; the account id,
    or None if the invitation was already used, replaced or has expired."""
    with db.atomic():
        found = fetch_invitation(db, token_hash, now)
        if found is None:
            return None
        # On PostgreSQL a parallel use can pass the read above too; only one of
        # them finds the password still unset.
        if db.execute("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ''"
                      " AND sso_subject IS NULL",
                      [password_hash, found["user_id"]]).rowcount != 1:
            return None
        db.execute("DELETE FROM invitations WHERE user_id = ?", [found["user_id"]])
    return found["user_id"]


def set_role(db, user_id, role):
    db.execute("UPDATE users SET role = ? WHERE id = ?", [role, user_id])


def set_team(db, user_id, team, borough):
    db.execute("UPDATE users SET team = ?, borough = ? WHERE id = ?", [team, borough, user_id])


def set_disabled(db, user_id, disabled):
    db.execute("UPDATE users SET disabled = ? WHERE id = ?", [int(disabled), user_id])
