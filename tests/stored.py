"""What a test's database holds, read the same way on SQLite and PostgreSQL."""

import json
from pathlib import Path

from feedback.adapters import redis_sessions
from feedback.domain import clock, sealing
from feedback.usecases import links, responding


def table_names(db):
    if db.dialect == "sqlite":
        sql = ("SELECT name FROM sqlite_master WHERE type = 'table'"
               " AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        sql = ("SELECT table_name FROM information_schema.tables"
               " WHERE table_schema = current_schema() ORDER BY table_name")
    return [row[0] for row in db.execute(sql)]


def column_names(db, table):
    """In the table's order."""
    if db.dialect == "sqlite":
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    return [row[0] for row in db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = ? ORDER BY ordinal_position", [table])]


def every_row(db):
    """Every row of every table, as text."""
    return "\n".join(f"{table}: {row}" for table in table_names(db)
                     for row in db.execute(f'SELECT * FROM "{table}"'))  # noqa: S608


def stored_bytes(app, db):
    """What a look at the stored data would find. SQLite: the file and its WAL as
    they are on disk, so deleted content that lingers counts too. PostgreSQL:
    every row of the test's schema (its files hold every test's schema)."""
    if db.dialect != "sqlite":
        return every_row(db).encode()
    path = Path(app.config["DATABASE_PATH"])
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def _session_keys(app):
    prefix = redis_sessions.session_key(app.config["REDIS_KEY_PREFIX"], "")
    return prefix, list(app.extensions["redis"].scan_iter(prefix + "*"))


def staff_sessions(app, db):
    """Id hashes of the staff sessions stored: in Redis with REDIS_URL, else rows
    of the sessions table holding a user."""
    if app.extensions["redis"] is None:
        return [row[0] for row in db.execute(
            "SELECT id_hash FROM sessions WHERE data LIKE '%user_id%'")]
    prefix, keys = _session_keys(app)
    return [key.removeprefix(prefix) for key in keys]


def set_staff_session_times(app, db, **times):
    """Set created_at or last_seen (ISO 8601) of every stored staff session."""
    if app.extensions["redis"] is None:
        for field, value in times.items():
            db.execute(f"UPDATE sessions SET {field} = ?"  # noqa: S608 (a column name)
                       " WHERE data LIKE '%user_id%'", [value])
        return
    for key in _session_keys(app)[1]:
        app.extensions["redis"].hset(key, mapping=times)


def officer_links(db, officer_id):
    """The officer's links, newest first, as My links reads them (up to 100)."""
    return links.link_page(db, officer_id, clock.now(), {}, 1, 100)["links"]


def release(app, db):
    """Release every held response into the responses table, as a full batch would
    (feedback/usecases/responding.py): for tests that read back what was submitted."""
    keys = [*app.config["SECRET_KEY_FALLBACKS"], app.config["SECRET_KEY"]]
    return responding.release_held(db, keys, 1, clock.now().date())


def stored_responses(db, keys=None):
    """Every response stored, released or still held sealed (opened here with the
    test secret), each as a row of the responses table reads."""
    from tests.conftest import BASE_ENV
    keys = keys or [BASE_ENV["SECRET_KEY"]]
    rows = list(db.query("SELECT * FROM responses"))
    for held in db.query("SELECT sealed FROM held_responses"):
        record = sealing.unseal(held["sealed"], keys)
        rows.append({**record, "answers": json.dumps(record["answers"], sort_keys=True),
                     "free_text": json.dumps(record["free_text"], sort_keys=True)})
    return rows
