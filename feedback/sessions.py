"""Two kinds of session, in two cookies: the victim's survey and staff sign-in.

A victim page (see web.VICTIM_PATHS) only ever sees the survey cookie and every
other page only the staff cookie, so quick exit or opening a link in an
officer's browser ends or replaces the survey session and leaves the officer
signed in. Each kind has its own idle and absolute lifetime.

A session that holds an account or a link lives on the server: the cookie holds
only a random id; the database holds its SHA-256 hash and the data, so signing
out deletes the row and a copied cookie is useless afterwards. A visitor who has
done neither (a CSRF token for the sign-in form, a chosen language) gets a signed
cookie instead and no row: anonymous page views write nothing to the database.
"""

import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict

from feedback import store
from feedback.db import get_db
from feedback.web import is_victim_path

# Sessions are stored as plain JSON: values here are strings, numbers and lists
# (flashed messages come back as lists, not tuples). Flask's tagged JSON costs more.
_TOUCH_EVERY = timedelta(seconds=60)  # don't write on every page view
# What a visitor may keep without a server row. Anything else (user_id, link_id,
# the thank-you page's support list) puts the session on the server.
ANONYMOUS_KEYS = frozenset({"csrf_token", "lang"})
_SIGNED = "a."  # prefix of a signed anonymous cookie; server ids never contain a dot


class Kind(NamedTuple):
    name: str         # "survey" or "staff"; part of the stored hash, so ids do not cross
    cookie: str
    idle: timedelta
    absolute: timedelta


def kinds(config):
    prefix = "__Host-" if config["SESSION_COOKIE_SECURE"] else ""
    return {
        "survey": Kind("survey", prefix + "survey",
                       timedelta(minutes=config["SURVEY_SESSION_IDLE_MINUTES"]),
                       timedelta(hours=config["SURVEY_SESSION_ABSOLUTE_HOURS"])),
        "staff": Kind("staff", prefix + "session",
                      timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                      timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])),
    }


def id_hash(kind, session_id):
    return hashlib.sha256(f"{kind.name}:{session_id}".encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, kind, initial=None, session_id=None, created_at=None, last_seen=None,
                 had_cookie=False):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial, on_update)
        self.kind = kind
        self.session_id = session_id
        self.created_at = created_at
        self.last_seen = last_seen
        self.had_cookie = had_cookie
        self.modified = False
        self.replaced_id = None

    def regenerate(self):
        """A new id at sign-in, so an id planted before sign-in is worthless."""
        if self.session_id:
            self.replaced_id = self.session_id
        self.session_id = None
        self.modified = True

    @property
    def id_hash(self):
        return id_hash(self.kind, self.session_id) if self.session_id else None

    @property
    def anonymous(self):
        return self.session_id is None and set(self) <= ANONYMOUS_KEYS


class ServerSideSessions(SessionInterface):

    def _kind(self, app, request):
        return app.extensions["session_kinds"][
            "survey" if is_victim_path(request.path) else "staff"]

    def _signer(self, app, kind):
        keys = [*app.config["SECRET_KEY_FALLBACKS"], app.config["SECRET_KEY"]]
        return URLSafeTimedSerializer(keys, salt=f"anonymous-session-{kind.name}")

    def open_session(self, app, request):
        kind = self._kind(app, request)
        value = request.cookies.get(kind.cookie, "")
        if value.startswith(_SIGNED) and len(value) <= 2048:
            return self._open_signed(app, kind, value)
        if not value or len(value) > 64:
            return ServerSession(kind, had_cookie=bool(value))
        now = datetime.now(UTC)
        db = get_db()
        row = store.fetch_session(db, id_hash(kind, value))
        if row is None:
            return ServerSession(kind, had_cookie=True)
        last_seen = datetime.fromisoformat(row["last_seen"])
        created_at = datetime.fromisoformat(row["created_at"])
        if now - last_seen > kind.idle or now - created_at > kind.absolute:
            store.delete_session(db, row["id_hash"])
            return ServerSession(kind, had_cookie=True)
        return ServerSession(kind, json.loads(row["data"]), value, created_at, last_seen, True)

    def _open_signed(self, app, kind, value):
        try:
            data = self._signer(app, kind).loads(
                value[len(_SIGNED):], max_age=int(kind.absolute.total_seconds()))
        except BadSignature:
            return ServerSession(kind, had_cookie=True)
        if not isinstance(data, dict):
            return ServerSession(kind, had_cookie=True)
        return ServerSession(kind, {k: v for k, v in data.items() if k in ANONYMOUS_KEYS},
                             had_cookie=True)

    def save_session(self, app, session, response):
        # get_db() only where a row is touched: an anonymous page must still
        # answer when the database cannot be opened.
        kind = session.kind
        if session.replaced_id:
            store.delete_session(get_db(), id_hash(kind, session.replaced_id))
        if not session:
            if session.session_id:
                store.delete_session(get_db(), session.id_hash)
            if session.had_cookie or session.replaced_id or session.modified:
                self._delete_cookie(app, kind, response)
            return
        if session.anonymous:
            if session.modified:
                signed = self._signer(app, kind).dumps(dict(session))
                self._set_cookie(app, kind, response, _SIGNED + signed)
            return
        self._save_on_server(app, session, response)

    def _save_on_server(self, app, session, response):
        now = datetime.now(UTC)
        stale = session.last_seen is None or now - session.last_seen > _TOUCH_EVERY
        if not (session.modified or stale):
            return
        if not session.modified and session.session_id:
            store.touch_session(get_db(), session.id_hash, now.isoformat())
            return
        if not session.session_id:
            session.session_id = secrets.token_urlsafe(32)
            session.created_at = now
        store.save_session(get_db(), session.id_hash, json.dumps(dict(session)),
                           session.created_at.isoformat(), now.isoformat())
        self._set_cookie(app, session.kind, response, session.session_id)

    def _flags(self, app):
        # The same flags on setting and deleting: a browser ignores a deletion of
        # a __Host- cookie that is not Secure.
        return {"httponly": True, "secure": self.get_cookie_secure(app),
                "samesite": self.get_cookie_samesite(app), "path": "/"}

    def _set_cookie(self, app, kind, response, value):
        response.vary.add("Cookie")
        response.set_cookie(kind.cookie, value, **self._flags(app))

    def _delete_cookie(self, app, kind, response):
        response.vary.add("Cookie")
        response.delete_cookie(kind.cookie, **self._flags(app))
