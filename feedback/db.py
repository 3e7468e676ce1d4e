"""The database connection a request uses.

Each thread keeps one connection open and lends it to one request at a time:
opening SQLite and setting its pragmas cost more than the survey page's queries.
Teardown rolls back anything a failed request left open, so the next request on
the thread starts clean.
"""

import threading

from flask import current_app, g

from feedback import store

_thread = threading.local()


def get_db():
    if "db" not in g:
        path = current_app.config["DATABASE_PATH"]
        if getattr(_thread, "path", None) != path:
            if getattr(_thread, "db", None) is not None:
                _thread.db.close()
            # Never creates the file: start-up does that (store.prepare), and a
            # file gone since must not come back empty.
            _thread.db, _thread.path = store.connect(path, must_exist=True), path
        g.db = _thread.db
    return g.db


def close_db(_error=None):
    db = g.pop("db", None)
    if db is not None:
        db.rollback()
