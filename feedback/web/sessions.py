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

Where the server keeps them (`DatabaseSessions`, `RedisSessions`) is chosen per
kind at start-up. Survey sessions always live in the database: their row is
rewritten in the same transaction as the answers (store.save_response). Staff
sessions move to Redis when REDIS_URL is set, so a sign-out ends the session on
every instance at once. Redis down means staff pages answer a calm 503 and stay
signed in for when it is back; victims' pages never touch it.
"""

import hashlib
import json
import logging
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import render_template, session
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict
from werkzeug.http import parse_cookie

from feedback.adapters import redis_sessions, store
from feedback.adapters.ratelimit import REDIS_FAULTS, redis_problem
from feedback.domain import clock
from feedback.web import is_victim_path
from feedback.web.db import get_db

log = logging.getLogger(__name__)

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


class StaffPagesUnavailable(Exception):
    """The staff sessions' store (Redis) did not answer: a calm 503 (errors.py)."""


def install(app):
    kinds_ = kinds(app.config)
    client = app.extensions["redis"]
    app.extensions["session_kinds"] = kinds_
    app.extensions["session_stores"] = {
        "survey": DatabaseSessions(),
        "staff": (RedisSessions(client, app.config["REDIS_KEY_PREFIX"], kinds_["staff"])
                  if client else DatabaseSessions()),
    }
    app.session_interface = ServerSideSessions()
    # Before any other hook (CSRF's included) reads a session that could not be read.
    app.before_request(_refuse_unread_session)


def _refuse_unread_session():
    unreadable = getattr(session, "unreadable", None)
    if unreadable:
        raise unreadable()  # StaffPagesUnavailable or DatabaseFault: a calm 503


# A database that cannot serve the request (feedback.web.errors: a calm 503).
_DATABASE_DOWN = store.STORAGE_FAULTS


class Stored(NamedTuple):
    data: str  # JSON
    created_at: datetime
    last_seen: datetime


def stored_session(found):
    """A session as either store gives it back (times as ISO strings), or None."""
    return found and Stored(found["data"], datetime.fromisoformat(found["created_at"]),
                            datetime.fromisoformat(found["last_seen"]))


class DatabaseSessions:
    """Rows of the database's sessions table, through the request's connection.
    get_db() only when a row is touched: an anonymous page must still answer when
    the database cannot be opened."""

    def fetch(self, id_hash):
        return stored_session(store.fetch_session(get_db(), id_hash))

    def save(self, id_hash, data, created_at, last_seen):
        store.save_session(get_db(), id_hash, data, created_at.isoformat(),
                           last_seen.isoformat())

    def touch(self, id_hash, last_seen):
        store.touch_session(get_db(), id_hash, last_seen.isoformat())

    def delete(self, id_hash):
        store.delete_session(get_db(), id_hash)


class RedisSessions:
    """Hashes in Redis (feedback/adapters/redis_sessions.py) that Redis itself
    deletes after the idle lifetime; the absolute one is checked on reading, as
    for rows. Redis not answering is StaffPagesUnavailable."""

    def __init__(self, client, prefix, kind):
        self.client, self.prefix = client, prefix
        self.idle_seconds = int(kind.idle.total_seconds())

    def fetch(self, id_hash):
        return stored_session(self._run(redis_sessions.fetch_session, id_hash))

    def save(self, id_hash, data, created_at, last_seen):
        self._run(redis_sessions.save_session, id_hash, data, created_at.isoformat(),
                  last_seen.isoformat(), self.idle_seconds)

    def touch(self, id_hash, last_seen):
        self._run(redis_sessions.touch_session, id_hash, last_seen.isoformat(),
                  self.idle_seconds)

    def delete(self, id_hash):
        self._run(redis_sessions.delete_session, id_hash)

    def _run(self, command, id_hash, *args):
        try:
            return command(self.client, redis_sessions.session_key(self.prefix, id_hash),
                           *args)
        except REDIS_FAULTS as error:
            log.error("staff sessions unavailable: Redis %s", redis_problem(error))
            raise StaffPagesUnavailable() from None


def server_id(cookie_value):
    """The session id a cookie holds when its session lives on the server; None for
    no cookie, a signed anonymous one, or a value too long to be an id."""
    if not cookie_value or cookie_value.startswith(_SIGNED) or len(cookie_value) > 64:
        return None
    return cookie_value


def within_lifetimes(kind, stored, now):
    """Whether a stored session is within its kind's idle and absolute lifetimes."""
    return now - stored.last_seen <= kind.idle and now - stored.created_at <= kind.absolute


def due_a_touch(last_seen, now):
    """Whether a session unchanged by the request is still written, to move its
    last-seen time on (at most once a minute)."""
    return last_seen is None or now - last_seen > _TOUCH_EVERY


def id_hash(kind, session_id):
    return hashlib.sha256(f"{kind.name}:{session_id}".encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, kind, initial=None, session_id=None, created_at=None, last_seen=None,
                 had_cookie=False, unreadable=None):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial, on_update)
        self.kind = kind
        self.session_id = session_id
        self.created_at = created_at
        self.last_seen = last_seen
        self.had_cookie = had_cookie
        # Its store did not answer: the exception that refuses the request (a calm
        # 503), and the cookie is kept.
        self.unreadable = unreadable
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


def _cookies(request):
    # Werkzeug's own parser, given the environ's Cookie header directly:
    # request.cookies first looks the header up through the Headers object, a walk
    # through the whole environ that cost more than the parsing.
    return parse_cookie(request.environ)


class ServerSideSessions(SessionInterface):

    def _kind(self, app, request):
        return app.extensions["session_kinds"][
            "survey" if is_victim_path(request.path) else "staff"]

    def _stored(self, app, kind):
        return app.extensions["session_stores"][kind.name]

    def _signer(self, app, kind):
        keys = [*app.config["SECRET_KEY_FALLBACKS"], app.config["SECRET_KEY"]]
        return URLSafeTimedSerializer(keys, salt=f"anonymous-session-{kind.name}")

    def open_session(self, app, request):
        kind = self._kind(app, request)
        value = _cookies(request).get(kind.cookie, "")
        if value.startswith(_SIGNED) and len(value) <= 2048:
            return self._open_signed(app, kind, value)
        if server_id(value) is None:
            return ServerSession(kind, had_cookie=bool(value))
        now, stored_sessions = clock.now(), self._stored(app, kind)
        try:
            stored = stored_sessions.fetch(id_hash(kind, value))
            if stored is None:
                return ServerSession(kind, had_cookie=True)
            if not within_lifetimes(kind, stored, now):
                stored_sessions.delete(id_hash(kind, value))
                return ServerSession(kind, had_cookie=True)
        except StaffPagesUnavailable:
            # Flask cannot show an error page from here: a hook refuses the request.
            return ServerSession(kind, had_cookie=True, unreadable=StaffPagesUnavailable)
        except _DATABASE_DOWN:
            return ServerSession(kind, had_cookie=True, unreadable=store.DatabaseFault)
        return ServerSession(kind, json.loads(stored.data), value, stored.created_at,
                             stored.last_seen, True)

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
        if session.unreadable:
            return  # the cookie stays, for when the store answers again
        try:
            self._save(app, session, response)
        except StaffPagesUnavailable:
            # Too late for an error handler, and a sign-out that did not happen
            # must not look as if it had: the answer becomes the 503 page.
            _replace_with_unavailable_page(response, "errors/503.html")
        except _DATABASE_DOWN:
            _replace_with_unavailable_page(response, "errors/500.html")

    def _save(self, app, session, response):
        kind, stored_sessions = session.kind, self._stored(app, session.kind)
        if session.replaced_id:
            stored_sessions.delete(id_hash(kind, session.replaced_id))
        if not session:
            if session.session_id:
                stored_sessions.delete(session.id_hash)
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
        now, stored_sessions = clock.now(), self._stored(app, session.kind)
        if not (session.modified or due_a_touch(session.last_seen, now)):
            return
        if not session.modified and session.session_id:
            stored_sessions.touch(session.id_hash, now)
            return
        if not session.session_id:
            session.session_id = secrets.token_urlsafe(32)
            session.created_at = now
        stored_sessions.save(session.id_hash, json.dumps(dict(session)), session.created_at,
                             now)
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


def _replace_with_unavailable_page(response, template):
    response.headers.clear()  # no redirect, download name or cookie of the failed answer
    response.status_code = 503
    response.set_data(render_template(template, what="staff"))
    response.content_type = "text/html; charset=utf-8"
