"""Single sign-on through the force's OpenID Connect provider (feedback/adapters/oidc.py).

/sign-in/sso sends the browser to the provider with a fresh state, nonce and PKCE
verifier kept in the server-side session; /sign-in/sso/callback takes them out
again (single use), so a replayed or forged answer finds nothing to match. Every
refusal is a calm page with a 4xx and an audit entry, written by the use case.
Without OIDC_ISSUER these pages do not exist (404).
"""

import hmac
import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from feedback.adapters.oidc import ProviderUnavailable, TokenRefused
from feedback.adapters.ratelimit import client_key
from feedback.domain.clock import now
from feedback.usecases import sso
from feedback.web import SIGNED_IN_WITH_SSO, actor, client_address, rate_limit, role_required
from feedback.web.db import get_db
from feedback.web.forms import ActionForm, GroupRoleForm

bp = Blueprint("sso", __name__)
log = logging.getLogger(__name__)

PENDING = "sso_pending"  # the state, nonce and verifier of the sign-in under way


def provider():
    found = current_app.extensions.get("oidc")
    if found is None:
        abort(404)
    return found


@bp.get("/sign-in/sso")
def start():
    oidc = provider()
    if g.user is not None:
        return redirect(url_for("auth.index"), 303)
    # Each start keeps a session on the server: counted as a sign-in attempt from
    # this address (given back when the sign-in succeeds), so a flood is a calm 429.
    rate_limit("sign_in_address")
    try:
        pending = oidc.start(_callback_url())
    except ProviderUnavailable:
        return _provider_unavailable()
    session[PENDING] = {"state": pending["state"], "nonce": pending["nonce"],
                        "verifier": pending["verifier"]}
    return redirect(pending["url"], 303)


@bp.get("/sign-in/sso/callback")
def callback():
    oidc = provider()
    # A refusal writes an audit entry: forged answers count against the address's
    # sign-in limit, so a flood of them is a 429, not a full log.
    rate_limit("sign_in_address")
    pending = session.pop(PENDING, None)  # single use, whatever happens next
    state = request.args.get("state", "")
    if pending is None or not hmac.compare_digest(state.encode(), pending["state"].encode()):
        return _refused("state")
    if request.args.get("error") or not request.args.get("code"):
        return _refused("provider said no")
    try:
        claims = oidc.finish(request.args["code"], _callback_url(), pending["verifier"],
                                pending["nonce"], now())
    except TokenRefused as refusal:
        return _refused(str(refusal))
    except ProviderUnavailable:
        return _provider_unavailable()
    try:
        user = sso.sign_in(get_db(), claims, current_app.config, client_address(), now())
    except sso.NoAccess:
        return render_template("auth/sso_no_access.html"), 403
    except sso.SignInRefused:
        return render_template("auth/sso_refused.html"), 403
    for _ in ("start", "callback"):  # only failures count towards the limit
        current_app.extensions["limiter"].refund("sign_in_address", client_key(client_address()))
    session.clear()
    session.regenerate()
    session["user_id"] = user["id"]
    session[SIGNED_IN_WITH_SSO] = True
    return redirect(url_for("auth.index"), 303)  # their start page, by role


@bp.get("/admin/single-sign-on")
@role_required("admin")
def groups():
    provider()
    return _groups_page(GroupRoleForm())


@bp.post("/admin/single-sign-on/groups")
@role_required("admin")
def map_group():
    provider()
    form = GroupRoleForm()
    if not form.validate():
        return _groups_page(form, 400)
    try:
        sso.map_group(get_db(), form.group.data, form.role.data, actor(), now())
    except sso.InvalidGroup as problem:
        form.group.errors = [*form.group.errors, str(problem)]
        return _groups_page(form, 400)
    flash(f"Members of {form.group.data.strip()} now sign in as {form.role.data}")
    return redirect(url_for("sso.groups"), 303)


@bp.post("/admin/single-sign-on/groups/remove")
@role_required("admin")
def unmap_group():
    provider()
    if not ActionForm().validate() or not sso.unmap_group(
            get_db(), request.form.get("group", ""), actor(), now()):
        abort(400)
    flash("The group no longer gives a role")
    return redirect(url_for("sso.groups"), 303)


def _groups_page(form, status=200):
    db, configured = get_db(), current_app.config["SSO_GROUP_ROLES"]
    return render_template("admin/sso_groups.html", form=form, action_form=ActionForm(),
                           mapped=sso.group_roles(db, {}),  # the administrator's own
                           configured=configured,
                           roles_claim=current_app.config["OIDC_ROLES_CLAIM"]), status


@bp.get("/signed-out")
def signed_out():
    """After signing out of this service: the provider's own sign-out, offered."""
    try:
        after = current_app.config["BASE_URL"] + url_for("auth.sign_in")
        sign_out_url = provider().sign_out_url(after)
    except ProviderUnavailable:
        sign_out_url = None
    return render_template("auth/signed_out.html", provider_sign_out=sign_out_url)


def _callback_url():
    return current_app.config["BASE_URL"] + url_for("sso.callback")


def _refused(reason):
    sso.note_refusal(get_db(), reason, client_address(), now())
    return render_template("auth/sso_refused.html"), 400


def _provider_unavailable():
    log.warning("the single sign-on provider did not answer")
    return render_template("errors/503.html", what="sign_in"), 503
