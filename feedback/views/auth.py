import logging

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from feedback import accounts, store
from feedback.db import get_db
from feedback.forms import ConfirmForm, SignInForm
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
    # Same message, and an argon2 verify either way, whether or not the account exists.
    password_ok = accounts.verify_password(user and user["password_hash"], form.password.data)
    if user is None or user["disabled"] or accounts.is_locked(user, moment) or not password_ok:
        if user is not None and not password_ok:
            store.record_failed_login(db, user["id"], config["LOCKOUT_THRESHOLD"],
                                      accounts.lock_until(user["failed_logins"] + 1,
                                                          config["LOCKOUT_THRESHOLD"],
                                                          config["LOCKOUT_MINUTES"], moment))
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
    if ConfirmForm().validate_on_submit():
        session.clear()
    return redirect(url_for("auth.sign_in"), 303)


def _safe_next(target):
    # Only paths on this service: never //evil.example or https://evil.example.
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None
