"""Responses as trainers read them, the export record, and comment text."""

import json
import time

from feedback.store.connection import _one, _rows


def _response_filters(filters):
    clauses, params = [], []
    for key, clause in (("from_week", "week >= ?"), ("to_week", "week <= ?")):
        if filters.get(key):
            clauses.append(clause)
            params.append(filters[key])
    for column in ("stage", "crime_category", "team"):
        if filters.get(column):
            clauses.append(f"{column} = ?")
            params.append(filters[column])
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def iter_responses(db, filters):
    where, params = _response_filters(filters)
    # sqlite3 cursors fetch lazily, so memory stays flat for any number of rows.
    # `where` is built from fixed column names; values are bound parameters.
    return _rows(db, f"SELECT * FROM responses{where} ORDER BY week, id", params)  # noqa: S608


def count_responses(db, filters):
    where, params = _response_filters(filters)
    sql = f"SELECT count(*) AS n FROM responses{where}"  # noqa: S608 (as above)
    return _one(db, sql, params)["n"]


def fetch_response_teams(db):
    return [r["team"] for r in _rows(db, "SELECT DISTINCT team FROM responses ORDER BY team")]


def fetch_response_text(db, response_id):
    row = _one(db, "SELECT free_text FROM responses WHERE id = ?", [response_id])
    return None if row is None else json.loads(row["free_text"])


def replace_response_text(db, response_id, free_text):
    """Replace a response's free text and make sure the old text is gone from the
    file: secure_delete zeroes the old cell, the checkpoint moves the page into
    the database file and the WAL (holding the old page) is truncated."""
    db.execute("UPDATE responses SET free_text = ? WHERE id = ?",
               [json.dumps(free_text, sort_keys=True), response_id])
    # Busy while another connection is reading: try again briefly. Returns whether
    # the WAL was emptied.
    for _ in range(50):
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return True
        time.sleep(0.02)
    return False
