import logging
import string
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from feedback import accounts, store
from feedback.db import get_db
from feedback.forms import SignInForm
from feedback.web import now

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)

SIGN_IN_FAILED = "Enter a correct email address and password"


def home_for(user):
    return url_for("officer.my_links" if user["role"] == "officer" else "trainer.dashboard")


@bp.get("/")
def index():
    if g.user is None:
        return redirect(url_for("auth.sign_in"))
    return redirect(home_for(g.user))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form), 400 if form.errors else 200
    db, config, moment = get_db(), current_app.config, now()
    user = store.fetch_user_by_email(db, form.email.data.strip())
    allowed = user is not None and not user["disabled"]
    if allowed:
        attempt = store.count_login_attempt(db, user["id"], moment)
        allowed = not accounts.is_locked(attempt, moment) and (
            attempt["failed_logins"] <= config["LOCKOUT_THRESHOLD"])
    # Same message, and an argon2 verify either way, whether or not the account exists.
    password_ok = accounts.verify_password(user and user["password_hash"], form.password.data)
    if not (allowed and password_ok):
        if allowed and attempt["failed_logins"] >= config["LOCKOUT_THRESHOLD"]:
            store.lock_user(db, user["id"], (moment + timedelta(
                minutes=config["LOCKOUT_MINUTES"])).isoformat())
        log.info("sign-in refused for user id %s", user["id"] if user else "unknown")
        form.email.errors.append(SIGN_IN_FAILED)
        return render_template("auth/sign_in.html", form=form), 400
    new_hash = (accounts.hash_password(form.password.data)
                if accounts.needs_rehash(user["password_hash"]) else None)
    store.record_successful_login(db, user["id"], new_hash)
    session.clear()
    session.regenerate()
    session["user_id"] = user["id"]
    log.info("user id %s signed in", user["id"])
    return redirect(_safe_next(request.args.get("next")) or home_for(user), 303)


@bp.post("/sign-out")
def sign_out():
    session.clear()  # CSRFProtect has already refused a forged sign-out
    return redirect(url_for("auth.sign_in"), 303)


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
