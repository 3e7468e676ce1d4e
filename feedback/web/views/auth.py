import logging
import string
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from feedback.domain.clock import now
from feedback.usecases import second_factor, sso, staff
from feedback.web import (
    HALF_SIGNED_IN,
    SIGNED_IN_WITH_SSO,
    actor,
    client_address,
    home_for,
    limiter,
    lockout_settings,
)
from feedback.web.db import get_db
from feedback.web.forms import SignInForm

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)

SIGN_IN_FAILED = "Enter a correct email address and password"


@bp.get("/")
def index():
    if g.user is None:
        return redirect(url_for("auth.sign_in"))
    return redirect(home_for(g.user))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method != "POST" and g.user is not None:
        # Already signed in (a bookmark, Back): their start page, chosen by role.
        return redirect(url_for("auth.index"), 303)
    form = SignInForm()
    if current_app.config["SSO_ONLY"]:  # only the organisation's sign-in (views/sso.py)
        if request.method == "POST":
            sso.note_password_refused(get_db(), client_address(), now())
        return render_template("auth/sign_in.html", form=SignInForm(formdata=None),
                               sso_only=True), 403 if request.method == "POST" else 200
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form), 400 if form.errors else 200
    # Counted against the sign-in limits before any password hash; a refusal is a 429.
    user = staff.sign_in(get_db(), form.email.data.strip().lower(), form.password.data,
                         lockout_settings(), limiter(), current_app.extensions["hash_gate"],
                         client_address(), now())
    if user is None:
        form.email.errors.append(SIGN_IN_FAILED)
        return render_template("auth/sign_in.html", form=form), 400
    session.clear()
    session.regenerate()
    step = second_factor.next_step(get_db(), user, current_app.config["SECOND_FACTOR"])
    if step is not None:
        # Half signed in: not yet a user (g.user stays None) until the code is right.
        session[HALF_SIGNED_IN] = {"user_id": user["id"], "since": now().isoformat()}
        session["next"] = _safe_next(request.args.get("next")) or ""
        return redirect(url_for(f"second_factor.{step}"), 303)
    session["user_id"] = user["id"]
    second_factor.signed_in_with_password(get_db(), user, client_address(), now())
    log.info("user id %s signed in", user["id"])
    return redirect(_safe_next(request.args.get("next")) or home_for(user), 303)


@bp.post("/sign-out")
def sign_out():
    if g.user is not None:
        staff.note_sign_out(get_db(), actor(), now())
    single_sign_on = session.get(SIGNED_IN_WITH_SSO)  # then the provider's sign-out is offered
    session.clear()  # CSRFProtect has already refused a forged sign-out
    return redirect(url_for("sso.signed_out" if single_sign_on else "auth.sign_in"), 303)


def _safe_next(target):
    # Only paths on this service: never //evil.example, https://evil.example, or
    # "/<tab>/evil.example", which browsers and Werkzeug read as //evil.example.
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(c in target for c in string.whitespace) or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target
