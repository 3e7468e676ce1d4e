"""Request-wide concerns: the signed-in user, roles, security headers, asset URLs."""

import functools
import hashlib
from pathlib import Path
from urllib.parse import parse_qs

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale, gettext

from feedback.adapters.ratelimit import client_key
from feedback.usecases import auditing, links, staff
from feedback.web import compression, csrf_mask, edge, i18n
from feedback.web.db import close_db, get_db

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


def secret_keys():
    """The SECRET_KEY rotation, the current key last: links are signed with it and
    verified with every key; held responses and second-factor secrets are sealed
    with it (each purpose its own derived key) and opened with whichever fits."""
    config = current_app.config
    return [*config["SECRET_KEY_FALLBACKS"], config["SECRET_KEY"]]


# Marks a session made by single sign-on (views/sso.py), whose sign-out then offers
# the provider's own.
SIGNED_IN_WITH_SSO = "sso"


def lockout_settings():
    """The sign-in lockout: LOCKOUT_THRESHOLD failures within LOCKOUT_MINUTES, for the
    password and the code after it alike."""
    config = current_app.config
    return {"threshold": config["LOCKOUT_THRESHOLD"], "minutes": config["LOCKOUT_MINUTES"]}


def send_settings():
    """What sending.send_link needs from the configuration, for the page and the API."""
    config = current_app.config
    return {"keys": secret_keys(), "base_url": config["BASE_URL"],
            "sender_name": config["SENDER_NAME"], "signature": config["EMAIL_SIGNATURE"],
            "limit": config["SEND_LIMIT_PER_HOUR"], "channels": config["SEND_CHANNELS"]}


def own_link(link_id):
    """The signed-in officer's link, or 404: someone else's looks like no link."""
    try:
        return links.own_link(get_db(), g.user["id"], link_id)
    except links.LinkNotFound:
        abort(404)


def client_address():
    """The client's address, as the trusted proxies (TRUSTED_PROXIES) report it."""
    return request.remote_addr or ""


def rate_limit(name, key=None):
    """Count a hit of the named rate limit (per client address unless a key is
    given); past the limit, RateLimited becomes a calm 429 page."""
    limiter().hit(name, client_key(client_address()) if key is None else key)


def home_for(user):
    """A signed-in account's start page, chosen by role."""
    return url_for({"officer": "officer.my_links", "admin": "admin.users"}.get(
        user["role"], "trainer.dashboard"))


# The session key of an account whose password was right but whose second factor
# is still to come (views/second_factor.py): not yet a signed-in user.
HALF_SIGNED_IN = "half_signed_in"


def limiter():
    """The rate limiter, for the use cases that count attempts against its limits."""
    return current_app.extensions["limiter"]


def actor():
    """The signed-in user and the client's address, for a use case's audit entry."""
    return auditing.Actor(g.get("user"), client_address())


def register(app):
    app.teardown_appcontext(close_db)
    app.url_value_preprocessor(_mark_victim_pages)
    app.url_value_preprocessor(_refuse_large_bodies)
    app.before_request(_load_user)
    from feedback.web.survey_shortcut import SurveyShortcut
    app.extensions["survey_shortcut"] = shortcut = SurveyShortcut(app.wsgi_app, app)
    app.wsgi_app = compression.Compress(_Headers(shortcut, app), app.static_folder)
    csrf_mask.install(app)  # after _mark_victim_pages: a refused body still gets a victim page
    app.jinja_env.globals.update(asset_url=asset_url, form_errors=form_errors,
                                 translated_choices=translated_choices,
                                 current_language=current_language,
                                 text_direction=i18n.text_direction,
                                 native_languages=i18n.NATIVE_NAMES)


VICTIM_PATHS = ("/r", "/code", "/feedback", "/exit", "/language")
_UNDER_VICTIM_PATHS = tuple(prefix + "/" for prefix in VICTIM_PATHS)


def is_victim_path(path):
    """True for a victim's address and every address under one, known or not
    ("/r", "/R/…", "/feedback/nothing-here"), so a mistyped link keeps the
    victim's layout and gets the survey session, never staff's. Case does not
    matter: links get typed from paper."""
    path = path.lower()
    # Asked twice on every request (the session's kind, the page's layout): one
    # tuple test each way, not a loop.
    return path in VICTIM_PATHS or path.startswith(_UNDER_VICTIM_PATHS)


def _mark_victim_pages(_endpoint, _values):
    # Runs before every before_request hook, CSRF's included, and even when no
    # route matched, so that any error on a victim's address is shown as a
    # victim page: quick exit, in the victim's language.
    g.victim_page = is_victim_path(request.path)


def _refuse_large_bodies(_endpoint, _values):
    # Before CSRF's check, which would otherwise read the form first.
    environ = request.environ
    if not (environ.get("CONTENT_LENGTH") or environ.get(edge.TOO_LARGE)):
        return  # no body (a page view): nothing to parse or compare
    too_large = request.content_length and request.content_length > request.max_content_length
    if too_large or environ.get(edge.TOO_LARGE):
        abort(413)


def _load_user():
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    g.user = staff.signed_in_user(get_db(), user_id)
    if g.user is None:
        session.clear()


class _Headers:
    """Security and cache headers, added where the response leaves the app.

    Every response gets them, errors included. Done here on the raw header list
    because Werkzeug's Headers object costs a noticeable part of a page view.
    """

    def __init__(self, wsgi_app, app):
        self.wsgi_app = wsgi_app
        self.static_folder = Path(app.static_folder)
        fixed = dict(SECURITY_HEADERS)
        if app.config["SESSION_COOKIE_SECURE"]:
            fixed["Strict-Transport-Security"] = "max-age=31536000" + (
                "; includeSubDomains" if app.config["HSTS_INCLUDE_SUBDOMAINS"] else "")
        self.fixed = list(fixed.items())
        self.fixed_names = frozenset(name.lower() for name in fixed)

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            names = [name.lower() for name, _ in headers]
            # A response's own value of one of these (a page's own policy) wins.
            fixed = (self.fixed if self.fixed_names.isdisjoint(names)
                     else [item for item in self.fixed if item[0].lower() not in names])
            headers = [item for item, name in zip(headers, names, strict=True)
                       if name != "cache-control"]
            headers += fixed
            headers.append(("Cache-Control", self._cache_control(environ, status)))
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, start)

    def _cache_control(self, environ, status):
        path = environ.get("PATH_INFO", "")
        if status.startswith("200") and path.startswith("/static/"):
            version = parse_qs(environ.get("QUERY_STRING", "")).get("v", [""])[0]
            # The URL changes whenever the file does (asset_url), so it never goes stale.
            if version == _asset_hash(self.static_folder / path[len("/static/"):]):
                return "public, max-age=31536000, immutable"
        # Victim and staff pages alike: nothing kept by a shared device's cache.
        return "no-store"


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
def _file_hash(path, _modified):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def _asset_hash(path):
    # Keyed on the modification time too, so an edited file gets a new URL at once.
    return _file_hash(str(path), path.stat().st_mtime_ns)


def asset_url(filename):
    """A URL that changes when the file does, so assets can be cached for a year."""
    return url_for("static", filename=filename,
                   v=_asset_hash(Path(current_app.static_folder) / filename))


def form_errors(form):
    """[(field id, first message)] in field order, for the error summary."""
    return [(field.id, field.errors[0]) for field in form if field.errors]


def current_language():
    """The code of the language this page is shown in: one of i18n.LANGUAGES."""
    return i18n.supported(str(get_locale()))


def translated_choices(choices):
    return [(value, gettext(label)) for value, label in choices]
