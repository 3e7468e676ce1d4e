"""A local account's second factor: its sealed TOTP secret, the last time step
accepted, and its recovery codes (hashes only)."""

from feedback.adapters.store.connection import _one


def add_unconfirmed_factor(db, user_id, sealed_secret, now):
    """A secret waiting for its first code, unless the account has a factor
    (confirmed or not) already: then nothing changes, so a reloaded set-up page
    shows the secret the person may have scanned."""
    db.execute("INSERT INTO second_factors (user_id, secret, created_at) VALUES (?, ?, ?)"
               " ON CONFLICT (user_id) DO NOTHING", [user_id, sealed_secret, now.isoformat()])


def reseal_factor(db, user_id, old, new):
    """Store the secret sealed again with the newest key, unless it changed meanwhile
    (a reset or a parallel sign-in got there first)."""
    db.execute("UPDATE second_factors SET secret = ? WHERE user_id = ? AND secret = ?",
               [new, user_id, old])


def fetch_factor(db, user_id):
    return _one(db, "SELECT secret, confirmed, last_step FROM second_factors"
                    " WHERE user_id = ?", [user_id])


def confirm_factor(db, user_id, step, code_hashes, now):
    """Confirm the factor with the step of its first code, and store its recovery
    codes; False (and nothing changed) if it was confirmed a moment ago."""
    with db.atomic():
        if db.execute("UPDATE second_factors SET confirmed = 1, last_step = ?"
                      " WHERE user_id = ? AND confirmed = 0", [step, user_id]).rowcount != 1:
            return False
        db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
        db.executemany("INSERT INTO recovery_codes (code_hash, user_id) VALUES (?, ?)",
                       [(code_hash, user_id) for code_hash in code_hashes])
    return True


def accept_step(db, user_id, step):
    """Record step as the last one accepted, if it is later than the last: True if
    it was. Of two requests with the same code, only one is accepted."""
    return db.execute("UPDATE second_factors SET last_step = ? WHERE user_id = ?"
                      " AND confirmed = 1 AND last_step < ?",
                      [step, user_id, step]).rowcount == 1


def spend_recovery_code(db, user_id, code_hash, now):
    """Mark the code used: True if it was this account's and unused."""
    return db.execute("UPDATE recovery_codes SET used_at = ? WHERE user_id = ?"
                      " AND code_hash = ? AND used_at IS NULL",
                      [now.isoformat(), user_id, code_hash]).rowcount == 1


def count_unused_recovery_codes(db, user_id):
    return db.execute("SELECT count(*) FROM recovery_codes WHERE user_id = ?"
                      " AND used_at IS NULL", [user_id]).fetchone()[0]


def delete_factor(db, user_id):
    """Forget the account's factor and recovery codes: True if it had a factor."""
    db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
    return db.execute("DELETE FROM second_factors WHERE user_id = ?",
                      [user_id]).rowcount == 1
