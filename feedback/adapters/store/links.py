"""Links, an officer's paged and filtered list of them, the response stored with a
link's use, and the messages that sent them."""

import json
from itertools import islice

from feedback.adapters.store.connection import _one, _rows
from feedback.domain.surveys import RESPONSE_FIELDS


def create_link(db, link):
    db.execute(
        "INSERT INTO links (id, officer_id, stage, crime_category, team, borough, language,"
        " channel, created_at, expires_at, code_digest) VALUES (:id, :officer_id, :stage,"
        " :crime_category, :team, :borough, :language, :channel, :created_at, :expires_at,"
        " :code_digest)", {"code_digest": None, **link})


def fetch_link_by_code(db, code_digest):
    return _one(db, "SELECT * FROM links WHERE code_digest = ?", [code_digest])


def fetch_link(db, link_id):
    return _one(db, "SELECT * FROM links WHERE id = ?", [link_id])


def fetch_link_state(db, link_id):
    """Only what the survey page checks on every view: the stage and whether the
    link can still take answers (domain.links.check_usable). Reading every column
    cost about three times as much as these few."""
    return _one(db, "SELECT id, stage, used, revoked, expires_at FROM links WHERE id = ?",
                [link_id])


def fetch_officer_link(db, officer_id, link_id):
    return _one(db, "SELECT * FROM links WHERE id = ? AND officer_id = ?",
                [link_id, officer_id])


# Each status as SQL, matching feedback.domain.links.link_status (expiry is checked
# against :now; ISO strings in UTC compare in time order).
_STATUS_SQL = {
    "completed": "used = 1",
    "revoked": "used = 0 AND revoked = 1",
    "expired": "used = 0 AND revoked = 0 AND expires_at <= :now",
    "opened": "used = 0 AND revoked = 0 AND expires_at > :now AND opened = 1",
    "not_opened": "used = 0 AND revoked = 0 AND expires_at > :now AND opened = 0",
}


def fetch_link_page(db, officer_id, now, filters, limit, offset):
    """{"links": one page of the officer's links, newest first, "total": how many
    match}. filters: status (a key of _STATUS_SQL), stage, since (ISO time); each may
    be empty."""
    where, params = ["officer_id = :officer"], {"officer": officer_id, "now": now.isoformat()}
    if filters.get("status"):
        where.append(_STATUS_SQL[filters["status"]])
    if filters.get("stage"):
        where.append("stage = :stage")
        params["stage"] = filters["stage"]
    if filters.get("since"):
        where.append("created_at >= :since")
        params["since"] = filters["since"]
    condition = " AND ".join(where)
    total = _one(db, f"SELECT count(*) AS n FROM links WHERE {condition}", params)["n"]  # noqa: S608 (fixed fragments)
    links = list(_rows(
        db, f"SELECT * FROM links WHERE {condition}"  # noqa: S608 (fixed fragments)
        " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset",
        {**params, "limit": limit, "offset": offset}))
    return {"links": links, "total": total}


def mark_link_opened(db, link_id):
    db.execute("UPDATE links SET opened = 1 WHERE id = ? AND opened = 0", [link_id])


def mark_link_used(db, link_id):
    """Demo data only: real links are marked used with their response (save_response)."""
    db.execute("UPDATE links SET used = 1 WHERE id = ?", [link_id])


def revoke_link(db, officer_id, link_id):
    cursor = db.execute(
        "UPDATE links SET revoked = 1 WHERE id = ? AND officer_id = ? AND used = 0",
        [link_id, officer_id])
    return cursor.rowcount == 1


def save_response(db, link_id, held, now, session=None):
    """Mark the link used and hold the sealed response ({id, week, sealed}: see
    feedback/adapters/store/pending.py) in one transaction.

    Returns False (storing nothing) if the link was already used, revoked or
    expired by the time the write lock was taken. `session` ({id_hash, data,
    now}) is the submitting session's new content, written in the same
    transaction, so a parallel post of that session can see it finished.
    """
    with db.atomic():
        # The UPDATE comes first so this transaction takes the write lock before
        # reading: of many parallel submissions exactly one can match used = 0.
        cursor = db.execute(
            "UPDATE links SET used = 1 WHERE id = ? AND used = 0 AND revoked = 0"
            " AND expires_at > ?", [link_id, now.isoformat()])
        if cursor.rowcount != 1:
            return False
        db.execute("INSERT INTO held_responses (id, week, sealed) VALUES (:id, :week, :sealed)",
                   held)
        if session and session["id_hash"]:
            # created_at too: the row keeps no record of when the survey was opened.
            db.execute("UPDATE sessions SET data = :data, created_at = :now, last_seen = :now"
                       " WHERE id_hash = :id_hash", session)
    return True


def insert_response(db, record):
    """Store one response record and its dashboard totals together: demo data."""
    with db.atomic():
        insert_responses(db, [record])


# RESPONSE_FIELDS are the table's columns, in order (tests/adapters/test_storage.py).
_INSERT_RESPONSE = (f"INSERT INTO responses ({', '.join(RESPONSE_FIELDS)}) VALUES"  # noqa: S608 (fixed names)
                    f" ({', '.join(':' + column for column in RESPONSE_FIELDS)})")
_COPY_RESPONSES = f"COPY responses ({', '.join(RESPONSE_FIELDS)}) FROM STDIN"


def _response_row(record):
    return {**record, "answers": json.dumps(record["answers"], sort_keys=True),
            "free_text": json.dumps(record["free_text"], sort_keys=True)}


def insert_responses(db, records):
    """Inside the caller's transaction, in the order given: a released batch
    (feedback/adapters/store/pending.py). No savepoint per row: on PostgreSQL each would give
    its row a transaction id of its own, in order, for a reader of xmin to see."""
    for record in records:
        db.execute(_INSERT_RESPONSE, _response_row(record))


def load_responses(db, records, batch=10_000):
    """Many generated responses at once, for measuring (scripts/bench_insights.py):
    one transaction, PostgreSQL's COPY or SQLite's executemany `batch` rows at a
    time, then ANALYZE, so the planner knows the table's new size at the first
    read. Real responses arrive one at a time and are released (pending.py)."""
    rows = (_response_row(record) for record in records)
    with db.atomic():
        if db.dialect == "postgresql":
            with db.conn.cursor().copy(_COPY_RESPONSES) as copy:
                for row in rows:
                    copy.write_row([row[column] for column in RESPONSE_FIELDS])
        else:
            while chunk := list(islice(rows, batch)):
                db.executemany(_INSERT_RESPONSE, chunk)
    db.execute("ANALYZE")


def reserve_send(db, reference, link_id, officer_id, channel, now, since, limit):
    """Take one of the officer's sends for the hour, or return False if none is left.

    The officer's row is locked before counting, so parallel sends (from any
    instance) cannot all see the same count and slip past the limit together.
    """
    with db.atomic():
        db.lock_row("users", officer_id)
        sent = _one(db, "SELECT count(*) AS n FROM deliveries"
                        " WHERE officer_id = ? AND sent_at >= ?", [officer_id, since])["n"]
        if sent >= limit:
            return False
        db.execute("INSERT INTO deliveries (reference, link_id, officer_id, channel, sent_at)"
                   " VALUES (?, ?, ?, ?, ?)",
                   [reference, link_id, officer_id, channel, now.isoformat()])
    return True


def release_send(db, reference):
    """The provider refused the message: it does not count against the limit."""
    db.execute("DELETE FROM deliveries WHERE reference = ?", [reference])


def record_delivery(db, reference, link_id, channel):
    """The provider took the message: receipts for this reference now update the link."""
    db.execute("UPDATE links SET channel = ?, delivery_ref = ?, delivery_status = 'sent'"
               " WHERE id = ?", [channel, reference, link_id])


def fetch_delivery_link(db, reference):
    """The link whose latest message has this reference (older messages are ignored)."""
    return _one(db, "SELECT id, delivery_status FROM links WHERE delivery_ref = ?", [reference])


def set_delivery_status(db, link_id, reference, status):
    db.execute("UPDATE links SET delivery_status = ? WHERE id = ? AND delivery_ref = ?",
               [status, link_id, reference])


def fetch_link_deliveries(db, link_id):
    """Every message that went out with this link, oldest first: channel and time.
    Never a recipient: none is stored."""
    return list(_rows(db, "SELECT channel, sent_at FROM deliveries WHERE link_id = ?"
                          " ORDER BY sent_at", [link_id]))
