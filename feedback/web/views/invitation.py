"""A new member of staff sets their password from a one-time invitation link.

The token is in the path, like a feedback link's: logs redact it (logsafety),
and pages send no referrer. Only its hash is stored.
"""

from flask import Blueprint, current_app, render_template

from feedback.domain import accounts
from feedback.domain.clock import now
from feedback.usecases import staff
from feedback.web import client_address
from feedback.web.db import get_db
from feedback.web.forms import SetPasswordForm

bp = Blueprint("invitation", __name__)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def set_password(token):
    invitation = staff.open_invitation(get_db(), token, now())
    if invitation is None:
        return render_template("invitation/invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            with current_app.extensions["hash_gate"]:
                user = staff.accept_invitation(get_db(), token, form.password.data,
                                               client_address(), now())
        except accounts.WeakPassword as weak:
            form.password.errors = [*form.password.errors, str(weak)]
        else:
            if user is None:  # used in another tab a moment ago
                return render_template("invitation/invalid.html"), 404
            return render_template("invitation/done.html")
    return render_template("invitation/set_password.html", form=form,
                           email=invitation["email"]), 400 if form.errors else 200
