"""Administrators register the case systems that call /api/v1, rotate their keys and
revoke them: the same use cases as `flask api`, audit-logged by the admin.

A key is shown once, on the page that made it; only its digest is kept.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from feedback.domain.clock import now
from feedback.usecases import api_clients
from feedback.web import actor, role_required
from feedback.web.db import get_db
from feedback.web.forms import ApiClientForm

bp = Blueprint("api_clients", __name__, url_prefix="/admin/api-clients")
SCOPE_LABELS = {"create": "Create links and get their QR codes and typed codes",
                "send": "Send links by text message or email",
                "status": "Read a link's status",
                "cancel": "Cancel links"}


@bp.get("")
@role_required("admin")
def clients():
    return render_template("api_clients/clients.html", clients=api_clients.clients(get_db()))


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new_client():
    form = ApiClientForm()
    scopes = request.form.getlist("scopes") if form.is_submitted() else list(SCOPE_LABELS)
    problems = {}
    if form.validate_on_submit():
        try:
            key = api_clients.register_client(get_db(), form.name.data.strip(), scopes,
                                              form.days.data, now(), by=actor())
        except api_clients.ClientProblem as problem:
            problems[problem.field] = str(problem)
        else:
            return _key_page(form.name.data.strip(), key)
    for name, message in problems.items():
        if name in ("name", "days"):
            form[name].errors = [*form[name].errors, message]
    page = {"form": form, "scopes": scopes, "labels": SCOPE_LABELS,
            "scope_error": problems.get("scopes", "")}
    return render_template("api_clients/new_client.html", **page), (
        400 if form.errors or problems else 200)


def _key_page(name, key):
    # Shown once, here, and never stored: only its digest is kept.
    return render_template("api_clients/key.html", name=name, key=key)


def _client(client_id):
    found = api_clients.client(get_db(), client_id)
    if found is None:
        abort(404)
    return found


@bp.get("/<int:client_id>")
@role_required("admin")
def client(client_id):
    return render_template("api_clients/client.html", client=_client(client_id),
                           labels=SCOPE_LABELS, key_days=api_clients.KEY_DAYS)


@bp.post("/<int:client_id>/rotate")
@role_required("admin")
def rotate(client_id):
    found = _client(client_id)
    try:
        key = api_clients.rotate_key(get_db(), found["name"], api_clients.KEY_DAYS, now(),
                                     by=actor())
    except api_clients.ClientProblem as problem:
        flash(f"{problem}.")
        return redirect(url_for("api_clients.client", client_id=client_id), 303)
    return _key_page(found["name"], key)


@bp.post("/<int:client_id>/revoke")
@role_required("admin")
def revoke(client_id):
    found = _client(client_id)
    try:
        api_clients.revoke_client(get_db(), found["name"], now(), by=actor())
        flash(f"{found['name']} is revoked: none of its keys works any more.")
    except api_clients.ClientProblem:
        flash(f"{found['name']} was already revoked.")
    return redirect(url_for("api_clients.client", client_id=client_id), 303)
