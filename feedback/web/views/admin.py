"""Administrators manage accounts and read the audit log.

Every change is a POST with a CSRF token, and is audit-logged. An administrator
cannot disable or demote their own account, so the last one cannot lock
everyone out by mistake.
"""

from datetime import datetime, time, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from feedback.domain import accounts
from feedback.domain.clock import now
from feedback.usecases import auditing, second_factor, staff
from feedback.web import actor, role_required
from feedback.web.db import get_db
from feedback.web.forms import ActionForm, AuditFilterForm, InviteForm, RoleForm, TeamForm, choices

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50
MAX_PAGE = 100_000  # 5 million entries: more than the audit log keeps


@bp.get("/users")
@role_required("admin")
def users():
    return render_template("admin/users.html", users=staff.list_accounts(get_db()),
                           moment=now().isoformat())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            details = {"email": form.email.data, **_placed(form)}
            user_id, token = staff.invite(get_db(), details, form.role.data, actor(),
                                          current_app.config["INVITATION_HOURS"], now())
        except staff.UnknownTeam:
            pass  # said on the form by _placed
        except staff.AccountExists:
            form.email.errors.append("An account with this email address already exists")
    if form.errors or not form.is_submitted():
        return render_template("admin/new_user.html", form=form, teams=_teams()),\
            400 if form.errors else 200
    # Shown once, here, and never stored: only its hash is kept.
    return _invitation_page(user_id, token)


def _placed(form):
    """The form's team and borough as stored (staff.placed); a team nobody has is
    refused on the form unless "This is a new team" is ticked."""
    try:
        return staff.placed(get_db(), form.team.data or "", form.borough.data or "",
                            form.new_team.data)
    except staff.UnknownTeam as unknown:
        form.team.errors = [*form.team.errors, (
            f"No account is in a team called {unknown}: choose one from the list, or tick"
            " \u201cThis is a new team\u201d")]
        raise


def _teams():
    return [name for name, _ in staff.team_names(get_db())]


def _invitation_page(user_id, token):
    return render_template(
        "admin/invitation.html", user=staff.account(get_db(), user_id),
        url=f"{current_app.config['BASE_URL']}{url_for('invitation.set_password', token=token)}",
        hours=current_app.config["INVITATION_HOURS"])


def _account(user_id):
    try:
        return staff.account(get_db(), user_id)
    except staff.NoSuchAccount:
        abort(404)


@bp.get("/users/<int:user_id>")
@role_required("admin")
def user(user_id):
    account = _account(user_id)
    role_form, team_form = RoleForm(data=account), TeamForm(data=account)
    return _user_page(account, role_form, team_form)


def _user_page(account, role_form, team_form, status=200):
    return render_template(
        "admin/user.html", account=account, role_form=role_form, team_form=team_form,
        teams=_teams(),
        action_form=ActionForm(), own=account["id"] == g.user["id"],
        locked=accounts.is_locked(account, now()),
        invited=accounts.awaits_password(account),
        has_second_factor=second_factor.has_second_factor(get_db(), account["id"])
    ), status


@bp.post("/users/<int:user_id>/role")
@role_required("admin")
def change_role(user_id):
    account, form = _account(user_id), RoleForm()
    if form.validate():
        try:
            staff.set_role(get_db(), user_id, form.role.data, actor(), now())
            return _done(user_id, "Role saved")
        except staff.OwnAccount:
            form.role.errors = [*form.role.errors, "You cannot change your own role"]
    return _user_page(account, form, TeamForm(data=account), 400)


@bp.post("/users/<int:user_id>/team")
@role_required("admin")
def change_team(user_id):
    account, form = _account(user_id), TeamForm()
    try:
        valid = form.validate() and _placed(form)
    except staff.UnknownTeam:
        valid = False
    if not valid:
        return _user_page(account, RoleForm(data=account), form, 400)
    staff.set_team(get_db(), user_id, valid["team"], valid["borough"], actor(), now())
    return _done(user_id, "Team and borough saved")


@bp.post("/users/<int:user_id>/<any(disable, enable):change>")
@role_required("admin")
def change_access(user_id, change):
    _account(user_id)
    ActionForm().validate_on_submit()  # CSRFProtect has already refused a forged post
    try:
        staff.set_disabled(get_db(), user_id, change == "disable", actor(), now())
    except staff.OwnAccount:
        abort(400)  # no button offers it: the page hides it for one's own account
    return _done(user_id, f"Account {change}d")


@bp.post("/users/<int:user_id>/unlock")
@role_required("admin")
def unlock(user_id):
    _account(user_id)
    staff.unlock(get_db(), user_id, actor(), now())
    return _done(user_id, "Account unlocked")


@bp.post("/users/<int:user_id>/second-factor/reset")
@role_required("admin")
def reset_second_factor(user_id):
    _account(user_id)
    second_factor.reset(get_db(), user_id, actor(), now())
    return _done(user_id, "Second factor reset: they will set up an authenticator app"
                          " at their next sign-in")


@bp.post("/users/<int:user_id>/invitation")
@role_required("admin")
def renew_invitation(user_id):
    _account(user_id)
    try:
        token = staff.renew_invitation(get_db(), user_id, actor(),
                                       current_app.config["INVITATION_HOURS"], now())
    except staff.NotWaiting:
        abort(400)  # only offered while the password is not set; never for single sign-on
    return _invitation_page(user_id, token)


def _done(user_id, message):
    flash(message)
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.get("/audit")
@role_required("admin")
def audit_page():
    accounts_list = staff.list_accounts(get_db())
    form = AuditFilterForm(request.args)
    form.action.choices = choices([("", "All actions"), *auditing.ACTIONS.items()])
    form.user.choices = choices([("", "All accounts")] + [
        (str(account["id"]), account["email"]) for account in accounts_list])
    valid = form.validate() if request.args else True
    filters = _audit_filters(form) if valid else {}
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(400)  # a page number no log could have (and no database takes)
    found = auditing.log_page(get_db(), filters, PAGE_SIZE, page)
    names = {account["id"]: account["email"] for account in accounts_list}
    return render_template(
        "admin/audit.html", form=form, **found, names=names, page=page,
        pages=max(1, -(-found["total"] // PAGE_SIZE)), labels=auditing.ACTIONS,
        query={k: v for k, v in request.args.items() if k != "page"}), 200 if valid else 400


def _audit_filters(form):
    def start_of(day):
        return datetime.combine(day, time(), tzinfo=now().tzinfo).isoformat()
    return {
        "action": form.action.data or "",
        "user_id": int(form.user.data) if form.user.data else "",
        "since": start_of(form.since.data) if form.since.data else "",
        "before": start_of(form.until.data + timedelta(days=1)) if form.until.data else "",
    }
