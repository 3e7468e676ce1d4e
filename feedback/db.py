"""One database connection per request, closed at teardown (as in Flask's tutorial)."""

from flask import current_app, g

from feedback import store


def get_db():
    if "db" not in g:
        g.db = store.connect(current_app.config["DATABASE_PATH"])
    return g.db


def close_db(_error=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()
