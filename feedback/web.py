"""Request-wide concerns: the signed-in user, roles, security headers, asset URLs."""

import functools
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import gettext

from feedback import store
from feedback.db import close_db, get_db

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def now():
    return datetime.now(UTC)


def link_keys():
    """Verify with every key; itsdangerous signs with the last (the current one)."""
    config = current_app.config
    return [*config["SECRET_KEY_FALLBACKS"], config["SECRET_KEY"]]


def register(app):
    app.teardown_appcontext(close_db)
    app.before_request(_load_user)
    app.after_request(_headers)
    app.jinja_env.globals.update(asset_url=asset_url, form_errors=form_errors,
                                 translated_choices=translated_choices)


def _load_user():
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    user = store.fetch_user(get_db(), user_id)
    if user is None or user["disabled"]:
        session.clear()
        return
    g.user = user


def _headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if g.get("user") is not None or getattr(g, "no_store", False):
        # Signed-in and victim pages must never be kept by a shared device's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def role_required(*roles):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user is None:
                return redirect(url_for("auth.sign_in", next=request.path))
            if g.user["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


@functools.cache
def _asset_hash(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def asset_url(filename):
    """A URL that changes when the file does, so assets can be cached for a year."""
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_asset_hash(str(path)))


def form_errors(form):
    """[(field id, first message)] in field order, for the error summary."""
    return [(field.id, field.errors[0]) for field in form if field.errors]


def translated_choices(choices):
    return [(value, gettext(label)) for value, label in choices]
