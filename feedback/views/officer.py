from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, g, redirect, render_template, url_for

from feedback import categories, qr, store
from feedback.db import get_db
from feedback.forms import NewLinkForm, choices
from feedback.links import link_status, new_link_id
from feedback.web import audit, link_url, now, own_link, role_required

bp = Blueprint("officer", __name__, url_prefix="/officer")


def _stage_choices():
    return [(stage, survey.title) for stage, survey in current_app.config["SURVEYS"].items()]




@bp.get("/links")
@role_required("officer")
def my_links():
    moment = now()
    links = [{**link, "status": link_status(link, moment),
              "category": categories.get(link["crime_category"]).label}
             for link in store.fetch_links_for_officer(get_db(), g.user["id"])]
    return render_template("officer/my_links.html", links=links,
                           stages=dict(_stage_choices()))


@bp.route("/links/new", methods=["GET", "POST"])
@role_required("officer")
def new_link():
    form = NewLinkForm()
    form.stage.choices = choices(_stage_choices())
    teams = store.fetch_teams(get_db())
    form.team.choices = choices([(team, team) for team in teams] or [(g.user["team"],) * 2])
    if not form.is_submitted():
        form.team.data = g.user["team"]
        form.expiry_days.data = current_app.config["LINK_DEFAULT_DAYS"]
    if not form.validate_on_submit():
        return render_template("officer/new_link.html", form=form), 400 if form.errors else 200
    created = now().replace(microsecond=0)
    link = {
        "id": new_link_id(), "officer_id": g.user["id"], "stage": form.stage.data,
        "crime_category": form.crime_category.data, "team": form.team.data,
        "borough": g.user["borough"], "language": form.language.data, "channel": "qr",
        "created_at": created.isoformat(),
        "expires_at": (created + timedelta(days=form.expiry_days.data)).isoformat(),
    }
    store.create_link(get_db(), link)
    audit("link_created", subject=link["id"], detail={"stage": link["stage"]})
    return redirect(url_for("officer.link", link_id=link["id"]), 303)


@bp.get("/links/<link_id>")
@role_required("officer")
def link(link_id):
    link = own_link(link_id)
    return render_template(
        "officer/link.html", link=link, url=link_url(link), status=link_status(link, now()),
        category=categories.get(link["crime_category"]),
        stage=current_app.config["SURVEYS"][link["stage"]].title,
        expires=datetime.fromisoformat(link["expires_at"]))


@bp.get("/links/<link_id>/qr.<any(png, svg):kind>")
@role_required("officer")
def qr_code(link_id, kind):
    url = link_url(own_link(link_id))
    if kind == "png":
        return Response(qr.png(url), mimetype="image/png")
    return Response(qr.svg(url), mimetype="image/svg+xml")


@bp.post("/links/<link_id>/revoke")
@role_required("officer")
def revoke(link_id):
    own_link(link_id)  # CSRFProtect has already refused a forged request
    if store.revoke_link(get_db(), g.user["id"], link_id):
        audit("link_revoked", subject=link_id)
    return redirect(url_for("officer.link", link_id=link_id), 303)
