"""Every SQL statement in the service. Functions take the database first and
return plain dicts. Times are ISO 8601 strings in UTC."""

import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from feedback import insight_store

migrations = Migrations("feedback")


def connect(path, must_exist=False):
    # must_exist opens read-write without creating: a missing file is an error,
    # not a new empty database.
    target = Path(path).absolute().as_uri() + "?mode=rw" if must_exist else path
    try:
        conn = sqlite3.connect(target, timeout=10, check_same_thread=False, uri=must_exist)
        # No sqlite-utils plugin hooks: this service registers no SQL functions.
        db = Database(conn, recursive_triggers=False, execute_plugins=False)
        # FULL (with WAL, set once in upgrade): an acknowledged submission survives
        # kill -9 and power loss.
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA busy_timeout=10000")
        db.execute("PRAGMA foreign_keys=ON")
        # Deleted and replaced content is overwritten, not left in free pages: a
        # comment an admin removes is gone from the file once checkpointed.
        db.execute("PRAGMA secure_delete=ON")
    except sqlite3.OperationalError:  # missing, no permission, disk full
        raise DatabaseUnavailable(path) from None
    return db


def upgrade(db):
    db.enable_wal()  # stored in the file, so every later connection uses it
    migrations.apply(db)


def _rows(db, sql, params=()):
    # db.execute rather than db.query: query() wraps each read in a savepoint,
    # which costs a third of a survey page view. Reads only, so nothing to undo.
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


def _one(db, sql, params=()):
    return next(_rows(db, sql, params), None)


@migrations()
def m001_initial(db):
    db.executescript("""
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('officer', 'trainer', 'admin')),
        team TEXT NOT NULL DEFAULT '',
        borough TEXT NOT NULL DEFAULT '',
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE links (
        id TEXT PRIMARY KEY,
        officer_id INTEGER NOT NULL REFERENCES users(id),
        stage TEXT NOT NULL,
        crime_category TEXT NOT NULL,
        team TEXT NOT NULL,
        borough TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'en',
        channel TEXT NOT NULL DEFAULT 'qr',
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        opened INTEGER NOT NULL DEFAULT 0,
        used INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0,
        delivery_ref TEXT UNIQUE,
        delivery_status TEXT
    );
    CREATE INDEX links_officer ON links (officer_id, created_at);
    -- No rowid: rows sit in random-id order, so storage order cannot be matched
    -- against the order links were completed.
    CREATE TABLE responses (
        id TEXT PRIMARY KEY,
        survey_id TEXT NOT NULL,
        survey_version INTEGER NOT NULL,
        stage TEXT NOT NULL,
        team TEXT NOT NULL,
        borough TEXT NOT NULL,
        crime_category TEXT NOT NULL,
        channel TEXT NOT NULL,
        language TEXT NOT NULL,
        week TEXT NOT NULL,
        answers TEXT NOT NULL,
        free_text TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX responses_week ON responses (week);
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE exports (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        filters TEXT NOT NULL
    );
    """)


@migrations()
def m002_deliveries(db):
    # One row per message sent, for matching delivery receipts and the per-officer
    # send limit. No recipient, no message body: only that a message went out.
    db.executescript("""
    CREATE TABLE deliveries (
        reference TEXT PRIMARY KEY,
        link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
        officer_id INTEGER NOT NULL REFERENCES users(id),
        channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
        sent_at TEXT NOT NULL
    );
    CREATE INDEX deliveries_officer ON deliveries (officer_id, sent_at);
    """)


@migrations()
def m003_report_counts(db):
    # Running totals for the trainer dashboard, kept in the same transaction as
    # each response, so a dashboard over a million responses reads a few thousand
    # rows. They hold nothing the responses table does not (months are coarser
    # than its weeks). See insight_store.py.
    db.executescript("""
    CREATE TABLE response_counts (
        month TEXT NOT NULL, stage TEXT NOT NULL, team TEXT NOT NULL,
        borough TEXT NOT NULL, crime_group TEXT NOT NULL, channel TEXT NOT NULL,
        language TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (month, stage, team, borough, crime_group, channel, language)
    ) WITHOUT ROWID;
    CREATE TABLE answer_counts (
        month TEXT NOT NULL, stage TEXT NOT NULL, team TEXT NOT NULL,
        borough TEXT NOT NULL, crime_group TEXT NOT NULL, channel TEXT NOT NULL,
        language TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (month, stage, team, borough, crime_group, channel, language,
                     question, answer)
    ) WITHOUT ROWID;
    -- "Where to focus" reads one question across every group: this index holds
    -- all it needs, so it never reads the other questions' rows.
    CREATE INDEX answer_counts_question ON answer_counts (question, month, n);
    -- The same answers summed over every attribute: a view with no filter reads
    -- a few hundred rows a month instead of every group's.
    CREATE TABLE answer_totals (
        month TEXT NOT NULL, stage TEXT NOT NULL, question TEXT NOT NULL,
        answer TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (month, stage, question, answer)
    ) WITHOUT ROWID;
    CREATE INDEX responses_survey_week ON responses (survey_id, week);
    CREATE INDEX links_created ON links (created_at);
    """)
    insight_store.recount(db)


@migrations()
def m010_health_probe(db):
    # One row /healthz rewrites on every check: a real write, so a full disk or a
    # read-only file shows as unhealthy instead of "ok".
    db.executescript("""
    CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at TEXT NOT NULL
    );
    INSERT INTO health (id, checked_at) VALUES (1, '');
    """)


@migrations()
def m020_rate_limits(db):
    # Counters for feedback.ratelimit: keys are keyed hashes, rows expire after
    # two windows and are deleted as new ones are added.
    db.executescript("""
    CREATE TABLE rate_limits (
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        hits INTEGER NOT NULL,
        expires INTEGER NOT NULL,
        PRIMARY KEY (name, key, window_start)
    ) WITHOUT ROWID;
    CREATE INDEX rate_limits_expires ON rate_limits (expires);
    """)


@migrations()
def m021_audit_log(db):
    # Staff actions only, never victim data. Append-only: the application has
    # no way to change a row, and the trigger refuses it anyway.
    db.executescript("""
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        actor TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}',
        address TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_action ON audit_log (action, at);
    CREATE INDEX audit_log_user ON audit_log (user_id, at);
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """)


@migrations()
def m022_invitations(db):
    # One-time set-password links for new accounts. Only the token's hash is kept.
    db.executescript("""
    CREATE TABLE invitations (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX invitations_user ON invitations (user_id);
    """)


@migrations()
def m023_lockout_window(db):
    # Failures count towards a lock only within LOCKOUT_MINUTES of the first,
    # so the per-client throttle can keep any one client below the threshold.
    db.execute("ALTER TABLE users ADD COLUMN failed_since TEXT")

# Users ---------------------------------------------------------------------

def create_user(db, email, password_hash, role, team, borough, now):
    cursor = db.execute(
        "INSERT INTO users (email, password_hash, role, team, borough, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [email.lower(), password_hash, role, team, borough, now.isoformat()])
    return cursor.lastrowid


@migrations()
def m030_survey_codes(db):
    # A digest of each link's typed code (feedback/codes.py), never the code.
    db.executescript("""
    ALTER TABLE links ADD COLUMN code_digest TEXT;
    CREATE UNIQUE INDEX links_code ON links (code_digest);
    """)


def fetch_user(db, user_id):
    return _one(db, "SELECT * FROM users WHERE id = ?", [user_id])


def fetch_user_by_email(db, email):
    return _one(db, "SELECT * FROM users WHERE email = ?", [email.lower()])


def fetch_users(db):
    return list(_rows(db, "SELECT id, email, role, team, borough, disabled, locked_until"
                          " FROM users ORDER BY email"))


def fetch_teams(db):
    return [row["team"] for row in _rows(
        db, "SELECT DISTINCT team FROM users WHERE role = 'officer' AND team != ''"
        " AND disabled = 0 ORDER BY team")]


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


def record_successful_login(db, user_id, new_hash=None):
    db.execute(
        "UPDATE users SET failed_logins = 0, failed_since = NULL, locked_until = NULL,"
        " password_hash = COALESCE(?, password_hash) WHERE id = ?", [new_hash, user_id])


def unlock_user(db, user_id):
    cursor = db.execute(
        "UPDATE users SET failed_logins = 0, failed_since = NULL, locked_until = NULL"
        " WHERE id = ?", [user_id])
    return cursor.rowcount == 1


def set_user_disabled(db, email, disabled):
    cursor = db.execute("UPDATE users SET disabled = ? WHERE email = ?",
                        [int(disabled), email.lower()])
    return cursor.rowcount == 1


# Links ---------------------------------------------------------------------

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


def fetch_officer_link(db, officer_id, link_id):
    return _one(db, "SELECT * FROM links WHERE id = ? AND officer_id = ?",
                [link_id, officer_id])


def fetch_links_for_officer(db, officer_id, limit=200):
    return list(_rows(
        db, "SELECT * FROM links WHERE officer_id = ? ORDER BY created_at DESC LIMIT ?",
        [officer_id, limit]))


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


def save_response(db, link_id, record, now, session=None):
    """Mark the link used and store the response in one transaction.

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
        insert_response(db, record)
        if session and session["id_hash"]:
            # created_at too: the row keeps no record of when the survey was opened.
            db.execute("UPDATE sessions SET data = :data, created_at = :now, last_seen = :now"
                       " WHERE id_hash = :id_hash", session)
    return True


def insert_response(db, record):
    """Store a response record. Callers outside save_response: demo data only."""
    with db.atomic():  # the response and the dashboard's totals, together
        db.execute(
            "INSERT INTO responses (id, survey_id, survey_version, stage, team, borough,"
            " crime_category, channel, language, week, answers, free_text) VALUES"
            " (:id, :survey_id, :survey_version, :stage, :team, :borough, :crime_category,"
            " :channel, :language, :week, :answers, :free_text)",
            {**record, "answers": json.dumps(record["answers"], sort_keys=True),
             "free_text": json.dumps(record["free_text"], sort_keys=True)})
        insight_store.count_response(db, record)


# Deliveries ----------------------------------------------------------------

def reserve_send(db, reference, link_id, officer_id, channel, now, since, limit):
    """Take one of the officer's sends for the hour, or return False if none is left.

    IMMEDIATE takes the write lock before counting, so parallel sends cannot all
    see the same count and slip past the limit together.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        sent = _one(db, "SELECT count(*) AS n FROM deliveries"
                        " WHERE officer_id = ? AND sent_at >= ?", [officer_id, since])["n"]
        if sent >= limit:
            return False
        db.execute("INSERT INTO deliveries (reference, link_id, officer_id, channel, sent_at)"
                   " VALUES (?, ?, ?, ?, ?)",
                   [reference, link_id, officer_id, channel, now.isoformat()])
        db.commit()
        return True
    finally:
        db.rollback()  # nothing to undo after a commit


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


# Responses and exports -----------------------------------------------------

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


def record_export(db, user_id, filters, now):
    db.execute("INSERT INTO exports (user_id, created_at, filters) VALUES (?, ?, ?)",
               [user_id, now.isoformat(), json.dumps(filters, sort_keys=True)])


def fetch_exports(db):
    return list(_rows(
        db, "SELECT exports.*, users.email FROM exports"
        " JOIN users ON users.id = exports.user_id ORDER BY exports.id"))


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


# Sessions ------------------------------------------------------------------

def fetch_session(db, id_hash):
    return _one(db, "SELECT * FROM sessions WHERE id_hash = ?", [id_hash])


def save_session(db, id_hash, data, created_at, last_seen):
    db.execute(
        "INSERT INTO sessions (id_hash, data, created_at, last_seen) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data,"
        " last_seen = excluded.last_seen", [id_hash, data, created_at, last_seen])


def delete_session(db, id_hash):
    db.execute("DELETE FROM sessions WHERE id_hash = ?", [id_hash])


# Retention -----------------------------------------------------------------

def purge(db, links_created_before, responses_before_week, sessions_seen_before):
    """Delete old links, responses and sessions; return how many of each."""
    with db.atomic():
        links = db.execute("DELETE FROM links WHERE created_at < ?",
                           [links_created_before]).rowcount
        responses = db.execute("DELETE FROM responses WHERE week < ?",
                               [responses_before_week]).rowcount
        sessions = db.execute("DELETE FROM sessions WHERE last_seen < ?",
                              [sessions_seen_before]).rowcount
        if responses:
            insight_store.recount(db, up_to_week=responses_before_week)
    return {"links": links, "responses": responses, "sessions": sessions}


# Integrity and backup ------------------------------------------------------

_HEADER = b"SQLite format 3\x00"
# /healthz answers 503 below this much free disk: a response needs a few pages,
# and SQLite can say "disk full" late (a WAL reuses its space until it grows).
MIN_FREE_BYTES = 1024 * 1024


class DatabaseFault(Exception):
    """The database file cannot be used as it is; the service will not start."""


class DatabaseDamaged(DatabaseFault):
    def __init__(self, path):
        super().__init__(f"the database file {path} is damaged;"
                         " restore it from a backup, see README")


class DatabaseUnavailable(DatabaseFault):
    def __init__(self, path):
        super().__init__(f"the database file {path} cannot be opened or written; check that"
                         " it exists, the service may read and write it, and the disk has space")


def prepare(path):
    """Start-up: create a fresh database, or refuse a damaged one; then migrate."""
    try:
        if not os.path.exists(path):
            _create(path)
        _check_file(path)
        db = connect(path, must_exist=True)
        try:
            if _pragma(db, "quick_check") != ["ok"]:
                raise DatabaseDamaged(path)
            upgrade(db)
        finally:
            db.close()
    except DatabaseFault:
        raise
    except (OSError, sqlite3.OperationalError):  # permissions, locked, I/O, disk full
        raise DatabaseUnavailable(path) from None
    except sqlite3.DatabaseError:  # malformed, not a database
        raise DatabaseDamaged(path) from None


def _create(path):
    # Built aside and linked into place only when complete: an empty file at the
    # path is then always damage, never a database another worker is creating.
    handle, building = tempfile.mkstemp(prefix=Path(path).name + ".", suffix=".new",
                                        dir=Path(path).parent)
    os.close(handle)
    try:
        db = connect(building)
        upgrade(db)
        db.close()  # the last connection folds the WAL into the file
        os.link(building, path)
    except FileExistsError:
        pass  # another worker was first: use theirs
    finally:
        for leftover in (building, f"{building}-wal", f"{building}-shm"):
            Path(leftover).unlink(missing_ok=True)


def _check_file(path):
    """Refuse what SQLite would take for a new empty database, or read past."""
    size = os.path.getsize(path)
    with open(path, "rb") as file:
        header = file.read(100)
    wal = Path(f"{path}-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    if size == 0 and wal_size == 0:
        raise DatabaseDamaged(path)
    if size and not header.startswith(_HEADER):
        raise DatabaseDamaged(path)
    # Cut short. Only without a WAL: one holds pages a checkpoint may be writing.
    if wal_size == 0 and size < _size_in_header(header):
        raise DatabaseDamaged(path)


def _size_in_header(header):
    if len(header) < 100 or header[24:28] != header[92:96]:
        return 0  # the page count is only valid when stamped with the change counter
    page_size = int.from_bytes(header[16:18], "big")
    return int.from_bytes(header[28:32], "big") * (65536 if page_size == 1 else page_size)


def _pragma(db, name):
    return [row[0] for row in db.execute(f"PRAGMA {name}")]


def check_integrity(db):
    """PRAGMA integrity_check: [] when sound, else SQLite's list of problems."""
    try:
        problems = _pragma(db, "integrity_check")
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if problems == ["ok"] else problems


def probe_health(path, now, min_free_bytes=MIN_FREE_BYTES):
    """Read and write the database on a connection of its own, as a request would;
    return the problem in a few words, or None when healthy."""
    db = None
    try:
        db = connect(path, must_exist=True)
        db.execute("PRAGMA busy_timeout=3000")  # a health check must answer soon
        with db.atomic():
            db.execute("UPDATE health SET checked_at = ? WHERE id = 1", [now.isoformat()])
        for table in ("health", "users", "links", "responses", "sessions"):
            db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()  # noqa: S608 (fixed)
        free = os.statvfs(Path(path).parent)
    except (DatabaseFault, sqlite3.Error, OSError) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        if db is not None:
            db.close()
    if free.f_bavail * free.f_frsize < min_free_bytes:
        return "disk full"
    return None


def backup(db, target):
    """Copy the live database with SQLite's online backup API into a new file
    (FileExistsError if there is one). Return the problems that kept the copy from
    being made or sound; a failed copy is removed, so none is relied on."""
    with open(target, "xb"):
        pass  # exclusive create: refuses an existing file, even in a race
    copy = sqlite3.connect(target)
    try:
        db.conn.backup(copy)
        problems = check_integrity(Database(copy))
    except sqlite3.Error as error:
        problems = [f"{type(error).__name__}: {error}"]
    finally:
        copy.close()
    if problems:
        Path(target).unlink()
    return problems
