"""The one place connections are opened and closed.

In a request, `get_db()` lends a connection: SQLite's is kept by the thread
(opening the file and setting its pragmas cost more than the survey page's
queries), PostgreSQL's comes from the process's pool and goes back after the
request. Teardown rolls back anything a failed request left open, so the next
request starts clean. Outside a request (the CLI, the demo, a streamed download that outlives
its request), `open_db(config)` gives a connection of its own and closes it.
"""

import threading
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, g, request

from feedback.adapters import store
from feedback.adapters.store import postgres

_thread = threading.local()


def database_target(config):
    """Where the data lives: DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite)."""
    return config.get("DATABASE_URL") or config["DATABASE_PATH"]


def prepare_database(config):
    """Start-up: size the PostgreSQL pools, create or check the database, migrate it.
    Returns whether it created a new SQLite file (for `flask db upgrade` to say)."""
    target = database_target(config)
    created = False
    if store.is_postgres(target):
        postgres.configure_pools(config["DATABASE_POOL_SIZE"], config["DATABASE_TIMEOUT_SECONDS"])
    else:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        created = not Path(target).exists()
    store.prepare(target)
    return created


def database_label(config):
    """Where the database is, for messages: the SQLite file, or the PostgreSQL
    server and database without the password."""
    target = database_target(config)
    return (f"PostgreSQL {postgres.address(target)}" if store.is_postgres(target)
            else f"SQLite file {target}")


# The fault met when web.survey_shortcut asked for this request's connection.
UNLENT = "feedback.connection_not_lent"


def get_db():
    # g looked up once: each look-up through Flask's proxy costs about as much as
    # the rest of this function, and a survey page asks twice.
    request_globals = g._get_current_object()
    db = request_globals.get("db")
    if db is None:
        fault = request.environ.get(UNLENT)
        if fault is not None:
            # Raised again at once: waiting a second time for PostgreSQL's pool
            # would double the wait before the calm 503.
            raise fault
        db = request_globals.db = _lend(database_target(current_app.config))
    return db


def _lend(target):
    if store.is_postgres(target):
        # Borrowed from the process's pool for this request only: threads
        # share the pool, so idle threads hold no server connection.
        return store.connect(target)
    if getattr(_thread, "target", None) != target:
        if getattr(_thread, "db", None) is not None:
            _thread.db.close()
        # Never creates the database: start-up does that (store.prepare), and
        # a file gone since must not come back empty.
        _thread.db, _thread.target = store.connect(target, must_exist=True), target
    return _thread.db


def close_db(_error=None):
    db = g.pop("db", None)
    if db is not None:
        give_back(db)


def lend_db(config, environ):
    """A connection lent as get_db() lends one, for code that runs before Flask's
    request context (web.survey_shortcut); give it back with give_back(). A fault
    is kept in the request's environ for get_db() to raise in its turn."""
    try:
        return _lend(database_target(config))
    except store.STORAGE_FAULTS as fault:
        environ[UNLENT] = fault
        raise


def give_back(db):
    """A lent connection back: anything left open rolled back, PostgreSQL's to the pool."""
    try:
        db.rollback()
    finally:
        if db.dialect == "postgresql":
            db.close()  # back to the pool, even from a broken connection (it is replaced)


@contextmanager
def open_db(config):
    """A connection of the caller's own, closed when the block ends."""
    db = store.connect(database_target(config), must_exist=True)
    try:
        yield db
    finally:
        db.close()
