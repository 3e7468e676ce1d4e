"""CSRF tokens masked afresh for every response, so compression cannot leak them.

BREACH: when a compressed page holds a secret and also text an attacker chooses
(an unknown address shown back, a filter), the attacker can recover the secret a
character at a time by watching how the page's size changes. Here the token in a
page is pad + (token XOR pad), with a new random pad for every response, so its
bytes never repeat and there is nothing to converge on. Submitted forms are
unmasked before Flask-WTF checks them.

Render tokens with csrf_token() (the csrf() form macro does): a token rendered
any other way is not masked, though it still works.
"""

import base64
import binascii
import functools
import hmac
import secrets

from flask import g, request
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import ImmutableMultiDict

FIELD = "csrf_token"


def mask(token):
    raw = token.encode("ascii")
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + _xor(raw, pad)).decode("ascii").rstrip("=")


def _xor(data, pad):
    # As one integer: a byte at a time cost most of a survey page's masking.
    return (int.from_bytes(data, "big") ^ int.from_bytes(pad, "big")).to_bytes(len(data), "big")


def unmask(value):
    """The token inside a masked value; a plain (unmasked) token is returned as it is.
    Anything else gives "", which Flask-WTF refuses like a missing token."""
    if "." in value:
        return value  # signed tokens have dots; masked ones are base64url without
    try:
        data = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return ""
    half = len(data) // 2
    if not data or len(data) % 2:
        return ""
    return _xor(data[half:], data[:half]).decode("ascii", errors="replace")


# A survey session keeps its signed CSRF token (views/respond.py): signing costs as
# much as the rest of the page. It is kept beside the id of the key that signed it, as
# Flask-WTF accepts a token signed with the current SECRET_KEY only.
KEPT, KEPT_KEY = "csrf_signed", "csrf_key"


def kept_token(session_data, secret_key):
    """The signed token a session keeps, if the current key signed it; else None."""
    if session_data.get(KEPT_KEY) != _key_id(secret_key):
        return None
    return session_data.get(KEPT)


def keep_token(session, token, secret_key):
    session[KEPT], session[KEPT_KEY] = token, _key_id(secret_key)


@functools.cache
def _key_id(secret_key):
    # A keyed hash: it tells nothing of the key.
    return hmac.new(secret_key.encode(), b"csrf token key id", "sha256").hexdigest()[:16]


def masked_csrf_token():
    """This response's masked token: one pad per response, the same in every form on
    the page."""
    request_globals = g._get_current_object()  # one look-up through the proxy, not four
    masked = request_globals.get("csrf_masked")
    if masked is None:
        # A view that has already put the session's signed token in g (the survey
        # page) spares Flask-WTF's look-ups: generate_csrf() would return that one.
        masked = request_globals.csrf_masked = mask(request_globals.get(FIELD) or generate_csrf())
    return masked


def install(app):
    # Registered after CSRFProtect.init_app, so these replace its csrf_token().
    app.jinja_env.globals["csrf_token"] = masked_csrf_token
    app.context_processor(lambda: {"csrf_token": masked_csrf_token})
    # URL value preprocessors run before every before_request hook, CSRFProtect's too.
    app.url_value_preprocessor(_unmask_submitted_token)


def _unmask_submitted_token(_endpoint, _values):
    if request.method in ("GET", "HEAD", "OPTIONS") or request.mimetype not in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        return
    value = request.form.get(FIELD)
    if value:
        form = request.form.to_dict(flat=False)
        form[FIELD] = [unmask(value)]
        request.form = ImmutableMultiDict(form)
