"""Server-side sessions in SQLite.

The cookie holds only a random id; the database holds its SHA-256 hash and the
data. Signing out deletes the row, so a copied cookie is useless afterwards.
Sessions end after an idle period and after an absolute lifetime.
"""

import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta

from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from feedback import store
from feedback.db import get_db

# Sessions are stored as plain JSON: values here are strings, numbers and lists
# (flashed messages come back as lists, not tuples). Flask's tagged JSON costs more.
_TOUCH_EVERY = timedelta(seconds=60)  # don't write on every page view


def _hash(session_id):
    return hashlib.sha256(session_id.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, session_id=None, created_at=None, last_seen=None):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial, on_update)
        self.session_id = session_id
        self.created_at = created_at
        self.last_seen = last_seen
        self.modified = False
        self.replaced_id = None

    def regenerate(self):
        """A new id at sign-in, so an id planted before sign-in is worthless."""
        if self.session_id:
            self.replaced_id = self.session_id
        self.session_id = None
        self.modified = True


class ServerSideSessions(SessionInterface):

    def open_session(self, app, request):
        session_id = request.cookies.get(self.get_cookie_name(app), "")
        if not session_id or len(session_id) > 64:
            return ServerSession()
        now = datetime.now(UTC)
        db = get_db()
        row = store.fetch_session(db, _hash(session_id))
        if row is None:
            return ServerSession()
        idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
        absolute = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
        last_seen = datetime.fromisoformat(row["last_seen"])
        created_at = datetime.fromisoformat(row["created_at"])
        if now - last_seen > idle or now - created_at > absolute:
            store.delete_session(db, row["id_hash"])
            return ServerSession()
        return ServerSession(json.loads(row["data"]), session_id, created_at, last_seen)

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        # get_db() only where a row is touched: a page with no session (/healthz
        # included) must still answer when the database cannot be opened.
        if session.replaced_id:
            store.delete_session(get_db(), _hash(session.replaced_id))
        if not session:
            if session.session_id:
                store.delete_session(get_db(), _hash(session.session_id))
            if session.session_id or session.replaced_id or session.modified:
                response.delete_cookie(name, path=self.get_cookie_path(app),
                                       domain=self.get_cookie_domain(app))
            return
        now = datetime.now(UTC)
        stale = session.last_seen is None or now - session.last_seen > _TOUCH_EVERY
        if not (session.modified or stale):
            return
        if not session.session_id:
            session.session_id = secrets.token_urlsafe(32)
            session.created_at = now
        store.save_session(get_db(), _hash(session.session_id), json.dumps(dict(session)),
                           session.created_at.isoformat(), now.isoformat())
        response.vary.add("Cookie")
        response.set_cookie(
            name, session.session_id, httponly=True,
            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app),
            path=self.get_cookie_path(app), domain=self.get_cookie_domain(app))
