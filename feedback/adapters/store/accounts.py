"""Staff accounts: creation, the admin's list and changes, invitations, sign-in
counting and locks, single sign-on's accounts and group roles.

An invited account has an empty password hash, which never verifies, until its
invitation is used."""


from feedback.adapters.store.connection import _one, _rows


def create_user(db, email, password_hash, role, team, borough, now):
    with db.atomic():  # RETURNING keeps the statement open: commit once it is read
        return db.execute(
            "INSERT INTO users (email, password_hash, role, team, borough, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [email.lower(), password_hash, role, team, borough, now.isoformat()]).fetchone()[0]


def fetch_user(db, user_id):
    return _one(db, "SELECT * FROM users WHERE id = ?", [user_id])


def fetch_user_by_email(db, email):
    return _one(db, "SELECT * FROM users WHERE email = ?", [email.lower()])


def fetch_user_by_sso(db, issuer, subject):
    return _one(db, "SELECT * FROM users WHERE sso_issuer = ? AND sso_subject = ?",
                [issuer, subject])


def create_sso_user(db, issuer, subject, email, role, team, now):
    """An account the provider vouches for: no password (an empty hash never verifies)."""
    with db.atomic():  # RETURNING keeps the statement open: commit once it is read
        return db.execute(
            "INSERT INTO users (email, password_hash, role, team, borough, created_at,"
            " sso_issuer, sso_subject) VALUES (?, '', ?, ?, '', ?, ?, ?) RETURNING id",
            [email.lower(), role, team, now.isoformat(), issuer, subject]).fetchone()[0]


def update_sso_user(db, user_id, email, role, team):
    """The provider's latest word on an account's address, role and team."""
    db.execute("UPDATE users SET email = ?, role = ?, team = ? WHERE id = ?",
               [email.lower(), role, team, user_id])


def fetch_group_roles(db):
    """{group: role}: the administrator's mapping for single sign-on."""
    return {row["group_name"]: row["role"] for row in _rows(
        db, "SELECT group_name, role FROM sso_group_roles ORDER BY group_name")}


def save_group_role(db, group, role):
    db.execute("INSERT INTO sso_group_roles (group_name, role) VALUES (?, ?)"
               " ON CONFLICT (group_name) DO UPDATE SET role = excluded.role", [group, role])


def delete_group_role(db, group):
    return db.execute("DELETE FROM sso_group_roles WHERE group_name = ?", [group]).rowcount == 1


def fetch_users(db):
    """Every account, by email, with what an admin's list shows: invited (its
    invitation not used yet) and sso (made by single sign-on)."""
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


def fetch_teams(db):
    return [row["team"] for row in _rows(
        db, "SELECT DISTINCT team FROM users WHERE role = 'officer' AND team != ''"
        " AND disabled = 0 ORDER BY team")]


def fetch_names(db, column):
    """Every team (column "team") or borough any account has, with how many: the
    names an admin picks from."""
    column = {"team": "team", "borough": "borough"}[column]
    return [(row["name"], row["n"]) for row in _rows(
        db, f"SELECT {column} AS name, count(*) AS n FROM users"  # noqa: S608 (fixed names)
            f" WHERE {column} != '' GROUP BY {column} ORDER BY {column}", [])]


def rename_team(db, old, new, now):
    """Accounts of team old, and its links still open, move to team new. Links used
    or expired keep theirs: what they counted in is published already. Returns
    (accounts moved, links moved)."""
    moved = db.execute("UPDATE users SET team = ? WHERE team = ?", [new, old]).rowcount
    links = db.execute("UPDATE links SET team = ? WHERE team = ? AND used = 0"
                       " AND revoked = 0 AND expires_at > ?",
                       [new, old, now.isoformat()]).rowcount
    return moved, links


def count_login_attempt(db, user_id, now, window_start):
    """Count a sign-in attempt before the password is checked, in one statement, so
    parallel guesses cannot slip past the lockout. An expired lock, or a first
    failure from before window_start, starts the count afresh."""
    with db.atomic():  # RETURNING keeps the statement open: commit explicitly
        cursor = db.execute(
            "UPDATE users SET"
            " failed_logins = CASE WHEN locked_until <= :now"
            "   OR COALESCE(failed_since, '') < :window THEN 1 ELSE failed_logins + 1 END,"
            " failed_since = CASE WHEN locked_until <= :now"
            "   OR COALESCE(failed_since, '') < :window THEN :now ELSE failed_since END,"
            " locked_until = CASE WHEN locked_until <= :now THEN NULL ELSE locked_until END"
            " WHERE id = :id RETURNING failed_logins, locked_until",
            {"id": user_id, "now": now.isoformat(), "window": window_start.isoformat()})
        failed_logins, locked_until = cursor.fetchone()
        cursor.close()
    return {"failed_logins": failed_logins, "locked_until": locked_until}


def lock_user(db, user_id, until, threshold):
    """Lock, unless a success has reset the count since this attempt was counted:
    a lock must never land just after the right password signed someone in."""
    cursor = db.execute(
        "UPDATE users SET locked_until = COALESCE(locked_until, ?)"
        " WHERE id = ? AND failed_logins >= ?", [until, user_id, threshold])
    return cursor.rowcount == 1


def record_successful_login(db, user_id):
    db.execute("UPDATE users SET failed_logins = 0, failed_since = NULL, locked_until = NULL"
               " WHERE id = ?", [user_id])


def save_password_hash(db, user_id, password_hash):
    db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])


def unlock_user(db, user_id):
    cursor = db.execute(
        "UPDATE users SET failed_logins = 0, failed_since = NULL, locked_until = NULL"
        " WHERE id = ?", [user_id])
    return cursor.rowcount == 1
