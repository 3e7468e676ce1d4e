"""A new member of staff sets their password from a one-time invitation link.

The token is in the path, like a feedback link's: logs redact it (logsafety),
and pages send no referrer. Only its hash is stored.
"""

from flask import Blueprint, current_app, render_template

from feedback import account_store, accounts, store
from feedback.db import get_db
from feedback.forms import SetPasswordForm
from feedback.web import audit, now

bp = Blueprint("invitation", __name__)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def set_password(token):
    db, token_hash = get_db(), accounts.invitation_hash(token)
    invitation = account_store.fetch_invitation(db, token_hash, now().isoformat())
    if invitation is None or invitation["disabled"]:
        return render_template("invitation/invalid.html"), 404
    form = SetPasswordForm()
    if not form.validate_on_submit():
        return render_template("invitation/set_password.html", form=form,
                               email=invitation["email"]), 400 if form.errors else 200
    with current_app.extensions["hash_gate"]:
        password_hash = accounts.hash_password(form.password.data)
    user_id = account_store.use_invitation(db, token_hash, password_hash, now().isoformat())
    if user_id is None:  # used in another tab a moment ago
        return render_template("invitation/invalid.html"), 404
    audit("invitation_used", user=store.fetch_user(db, user_id))
    return render_template("invitation/done.html")
