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
import secrets

from flask import g, request
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import ImmutableMultiDict

FIELD = "csrf_token"


def mask(token):
    raw = token.encode("ascii")
    pad = secrets.token_bytes(len(raw))
    masked = pad + bytes(a ^ b for a, b in zip(raw, pad, strict=True))
    return base64.urlsafe_b64encode(masked).decode("ascii").rstrip("=")


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
    token = bytes(a ^ b for a, b in zip(data[half:], data[:half], strict=True))
    return token.decode("ascii", errors="replace")


def masked_csrf_token():
    """This response's masked token: one pad per response, the same in every form on
    the page."""
    if "csrf_masked" not in g:
        g.csrf_masked = mask(generate_csrf())
    return g.csrf_masked


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
