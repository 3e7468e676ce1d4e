"""The second step of signing in: a code from an authenticator app (or a recovery
code), or setting an app up at the first sign-in. Reached only with a session
whose password step succeeded (HALF_SIGNED_IN); the session becomes signed
in only when a code is accepted.

Codes count against the same limits as passwords and the same lockout
(usecases.second_factor). The secret is shown only to the half
signed-in person it belongs to, never logged, and its QR code never cached.
"""

import logging
from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    session,
    url_for,
)

from feedback.adapters import qr
from feedback.domain.clock import now
from feedback.domain.second_factor import grouped
from feedback.usecases import second_factor, staff
from feedback.web import (
    HALF_SIGNED_IN,
    client_address,
    home_for,
    limiter,
    lockout_settings,
    secret_keys,
)
from feedback.web.db import get_db
from feedback.web.forms import CodeForm, SetUpForm

bp = Blueprint("second_factor", __name__, url_prefix="/sign-in")
log = logging.getLogger(__name__)

APP_UNCHECKABLE = ("Your authenticator app can no longer be checked here. Enter a recovery code,"
               " or ask an administrator to reset your second factor")
WRONG_CODE = "Enter a correct code. Each code works once: wait for the next one"
# Time to find the phone and type a code (or set up an app) after the password;
# then the password is asked for again.
HALF_SIGNED_IN_MINUTES = 10


def _half_signed_in():
    """The account whose password was right in this session, if it may still sign in
    and the password was given less than HALF_SIGNED_IN_MINUTES ago."""
    half = session.get(HALF_SIGNED_IN)
    if not isinstance(half, dict) or now() - datetime.fromisoformat(half["since"]) > (
            timedelta(minutes=HALF_SIGNED_IN_MINUTES)):
        return None
    return staff.signed_in_user(get_db(), half["user_id"])


def _elsewhere(user, here):
    """Where the person should be instead of `here` (None: here is right)."""
    if g.user is not None:  # signed in already (Back, a bookmark): their start page
        return redirect(url_for("auth.index"), 303)
    if user is None:
        session.pop(HALF_SIGNED_IN, None)
        return redirect(url_for("auth.sign_in"), 303)
    step = second_factor.next_step(get_db(), user, current_app.config["SECOND_FACTOR"])
    if step != here:
        return redirect(url_for(f"second_factor.{step}") if step else url_for("auth.sign_in"),
                        303)
    return None


@bp.route("/code", methods=["GET", "POST"])
def code():
    user = _half_signed_in()
    elsewhere = _elsewhere(user, second_factor.CODE)
    if elsewhere:
        return elsewhere
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("second_factor/code.html", form=form), 400 if form.errors else 200
    try:
        left = second_factor.check_code(get_db(), user, form.code.data, secret_keys(),
                                        lockout_settings(), limiter(), client_address(), now())
    except second_factor.WrongCode:
        form.code.errors.append(WRONG_CODE)
        return render_template("second_factor/code.html", form=form), 400
    except second_factor.SecretLost:
        form.code.errors.append(APP_UNCHECKABLE)
        return render_template("second_factor/code.html", form=form), 409
    next_url = _signed_in(user)
    if left is not None:  # say how many are left, once, before going on
        return render_template("second_factor/recovery_code_used.html", left=left,
                               next_url=next_url)
    return redirect(next_url, 303)


@bp.route("/set-up", methods=["GET", "POST"])
def enrol():
    user = _half_signed_in()
    elsewhere = _elsewhere(user, second_factor.ENROL)
    if elsewhere:
        return elsewhere
    form = SetUpForm()
    if not form.validate_on_submit():
        return _set_up_page(user, form, 400 if form.errors else 200)
    try:
        codes = second_factor.confirm_setup(get_db(), user, form.code.data, secret_keys(),
                                            lockout_settings(), limiter(), client_address(),
                                            now())
    except second_factor.WrongCode:
        form.code.errors.append(WRONG_CODE)
        return _set_up_page(user, form, 400)
    except second_factor.AlreadySetUp:
        return redirect(url_for("second_factor.code"), 303)
    # Shown once, here, and never stored: only their hashes are kept.
    return render_template("second_factor/recovery_codes.html",
                           codes=[grouped(c) for c in codes], next_url=_signed_in(user))


def _set_up_page(user, form, status):
    secret = second_factor.setup_secret(get_db(), user, secret_keys(), now())["secret"]
    return render_template("second_factor/set_up.html", form=form,
                           secret=grouped(secret)), status


@bp.get("/set-up/qr.svg")
def qr_code():
    user = _half_signed_in()
    if user is None:
        return redirect(url_for("auth.sign_in"), 303)
    try:
        uri = second_factor.setup_secret(get_db(), user, secret_keys(), now())["uri"]
    except second_factor.AlreadySetUp:
        return redirect(url_for("second_factor.code"), 303)
    return Response(qr.svg_uncached(uri), mimetype="image/svg+xml")


def _signed_in(user):
    """Make the half signed-in session a signed-in one (with a new id); where to go."""
    next_url = session.get("next") or home_for(user)
    session.clear()
    session.regenerate()
    session["user_id"] = user["id"]
    log.info("user id %s signed in", user["id"])
    return next_url
