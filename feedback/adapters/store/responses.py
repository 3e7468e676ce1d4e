"""Responses as trainers read them, the export record, and comment text."""

import json
import time

from feedback.adapters.store.connection import _one


def count_responses(db):
    return _one(db, "SELECT count(*) AS n FROM responses")["n"]


def fetch_response_text(db, response_id):
    row = _one(db, "SELECT free_text FROM responses WHERE id = ?", [response_id])
    return None if row is None else json.loads(row["free_text"])


def replace_response_text(db, response_id, free_text):
    """Replace a response's free text (inside the caller's transaction, with the
    audit entry that notes it); then forget_replaced_text() clears the old copy."""
    db.execute("UPDATE responses SET free_text = ? WHERE id = ?",
               [json.dumps(free_text, sort_keys=True), response_id])


def forget_replaced_text(db):
    """After replace_response_text's transaction: return whether the old text is
    known to be gone from the database's files.

    SQLite: secure_delete zeroed the old cell, and this checkpoint (which cannot run
    inside a transaction) moves the page into the database file and truncates the
    WAL that held the old page. PostgreSQL keeps the old row version until vacuum
    reuses its space, and its WAL until recycled: no promise there, so False."""
    if db.dialect != "sqlite":
        return False
    # Busy while another connection is reading: try again briefly. Returns whether
    # the WAL was emptied.
    for _ in range(50):
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return True
        time.sleep(0.02)
    return False
