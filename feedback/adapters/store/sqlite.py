"""SQLite, the embedded default: opening the file, migrations at start-up, and
the checks that keep a damaged file from being used: start-up's quick check,
/healthz's probe, backups."""

import os
import sqlite3
import tempfile
from pathlib import Path

from sqlite_utils import Database

from feedback.adapters.store.errors import DatabaseDamaged, DatabaseFault, DatabaseUnavailable
from feedback.adapters.store.schema import migrations


class SqliteDatabase(Database):
    """sqlite-utils' Database plus the few methods PostgresDatabase also has, so
    the storage code reads the same on either engine."""

    dialect = "sqlite"

    def executemany(self, sql, rows):
        return self.conn.executemany(sql, rows)

    def stream(self, sql, params=()):
        """Rows as they are read: SQLite steps through them, so memory stays flat."""
        return self.execute(sql, params)

    def lock_row(self, table, row_id):
        """Inside atomic(): SQLite locks the whole file for the first write, which
        is what callers need (see PostgresDatabase.lock_row)."""
        self.execute(f"UPDATE {table} SET id = id WHERE id = ?", [row_id])  # noqa: S608


def connect(path, must_exist=False):
    # must_exist opens read-write without creating: a missing file is an error,
    # not a new empty database.
    target = Path(path).absolute().as_uri() + "?mode=rw" if must_exist else path
    try:
        conn = sqlite3.connect(target, timeout=10, check_same_thread=False, uri=must_exist)
        # No sqlite-utils plugin hooks: this service registers no SQL functions.
        db = SqliteDatabase(conn, recursive_triggers=False, execute_plugins=False)
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


def applied_migrations(db):
    return [migration.name for migration in migrations.applied(db)]


def known_migrations():
    return [migration.name for migration in migrations._migrations]


def upgrade(db):
    db.enable_wal()  # stored in the file, so every later connection uses it
    migrations.apply(db)


_HEADER = b"SQLite format 3\x00"


# /healthz answers 503 below this much free disk: a response needs a few pages,
# and SQLite can say "disk full" late (a WAL reuses its space until it grows).
MIN_FREE_BYTES = 1024 * 1024


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
