"""The one place connections are opened and closed.

In a request, `get_db()` lends the thread's connection, and teardown rolls back
anything a failed request left open, so the next request on the thread starts
clean. Outside a request (the CLI, the demo, a streamed download that outlives
its request), `open_db(config)` gives a connection of its own and closes it.
"""

import threading
from contextlib import contextmanager

from flask import current_app, g

from feedback import store

_thread = threading.local()


def database_target(config):
    """Where the data lives: DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite)."""
    return config.get("DATABASE_URL") or config["DATABASE_PATH"]


def get_db():
    if "db" not in g:
        target = database_target(current_app.config)
        if getattr(_thread, "target", None) != target:
            if getattr(_thread, "db", None) is not None:
                _thread.db.close()
            # Never creates the database: start-up does that (store.prepare), and
            # a file gone since must not come back empty.
            _thread.db, _thread.target = store.connect(target, must_exist=True), target
        g.db = _thread.db
    return g.db


def close_db(_error=None):
    db = g.pop("db", None)
    if db is not None:
        db.rollback()


@contextmanager
def open_db(config):
    """A connection of the caller's own, closed when the block ends."""
    db = store.connect(database_target(config), must_exist=True)
    try:
        yield db
    finally:
        db.close()
