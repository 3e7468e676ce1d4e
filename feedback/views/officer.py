from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, format_date
from markupsafe import Markup

from feedback import categories, codes, i18n, link_store, qr, store
from feedback.db import get_db
from feedback.forms import LinkFilterForm, NewLinkForm, choices
from feedback.links import link_status, new_link_id
from feedback.web import audit, link_keys, link_url, now, own_link, role_required

bp = Blueprint("officer", __name__, url_prefix="/officer")

PAGE_SIZE = 20
STATUS_LABELS = {"not_opened": "Not opened", "opened": "Opened", "completed": "Completed",
                 "revoked": "Cancelled", "expired": "Expired"}
_PERIODS = {"today": None, "week": timedelta(days=7), "month": timedelta(days=30)}


def _stage_choices():
    return [(stage, survey.title) for stage, survey in current_app.config["SURVEYS"].items()]


@bp.app_template_global()
def status_label(status):
    return STATUS_LABELS[status]


@bp.get("/links")
@role_required("officer")
def my_links():
    form = LinkFilterForm(formdata=request.args)
    form.status.choices = choices([("", "Any status"), *STATUS_LABELS.items()])
    form.stage.choices = choices([("", "Any survey"), *_stage_choices()])
    page = _page_number(request.args.get("page", "1"))
    view = {"form": form, "stages": dict(_stage_choices()), "links": [], "total": 0,
            "page": 1, "pages": 1}
    if not form.validate():
        return render_template("officer/my_links.html", **view), 400
    moment = now()
    found = link_store.fetch_link_page(get_db(), g.user["id"], moment, _filters(form, moment),
                                       PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    if page > pages:
        abort(404)
    links = [{**link, "status": link_status(link, moment),
              "category": categories.get(link["crime_category"]).label,
              "created": datetime.fromisoformat(link["created_at"])}
             for link in found["links"]]
    query = {name: getattr(form, name).data for name in ("status", "stage", "period")
             if getattr(form, name).data}
    return render_template("officer/my_links.html", **{
        **view, "links": links, "total": found["total"], "page": page, "pages": pages,
        "query": query, "first": (page - 1) * PAGE_SIZE + 1})


def _page_number(text):
    if not text.isdigit() or len(text) > 6 or int(text) < 1:
        abort(400)
    return int(text)


def _filters(form, moment):
    period, since = form.period.data, None
    if period == "today":
        since = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    elif period:
        since = moment - _PERIODS[period]
    return {"status": form.status.data, "stage": form.stage.data,
            "since": since.isoformat() if since else ""}


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
    link["code_digest"] = codes.digest(codes.derive(link["id"], link_keys()[-1]))
    store.create_link(get_db(), link)
    audit("link_created", subject=link["id"], detail={"stage": link["stage"]})
    return redirect(url_for("officer.link", link_id=link["id"]), 303)


@bp.get("/links/<link_id>")
@role_required("officer")
def link(link_id):
    link = own_link(link_id)
    sent = [{**delivery, "sent_at": datetime.fromisoformat(delivery["sent_at"])}
            for delivery in link_store.fetch_link_deliveries(get_db(), link_id)]
    return render_template(
        "officer/link.html", link=link, url=link_url(link), status=link_status(link, now()),
        code=_code(link), code_address=_code_address(),
        category=categories.get(link["crime_category"]), sent=sent,
        created=datetime.fromisoformat(link["created_at"]),
        stage=current_app.config["SURVEYS"][link["stage"]].title,
        expires=datetime.fromisoformat(link["expires_at"]))


def _code(link):
    """The typed code, shown with the QR code (links made before codes have none)."""
    code = codes.for_link(link, link_keys())
    return codes.shown(code) if code else None


def _code_address():
    # Without the scheme: fewer characters to read out or type.
    return current_app.config["BASE_URL"].split("://", 1)[-1] + "/code"


@bp.get("/links/<link_id>/card")
@role_required("officer")
def card(link_id):
    """A printable A6 card with the QR code, in the language chosen for the person."""
    link = own_link(link_id)
    if link_status(link, now()) not in ("not_opened", "opened"):
        flash("This link can no longer be used, so there is no card to print.")
        return redirect(url_for("officer.link", link_id=link_id), 303)
    language = i18n.supported(link["language"])
    with force_locale(language):
        # Day, month, year in every language ("long" is month-first in Babel's English).
        expires = format_date(datetime.fromisoformat(link["expires_at"]).date(), "d MMMM y")
        card = render_template("officer/_card.html", link=link, expires=expires, code=_code(link),
                               code_address=_code_address(),
                               language=language, direction=i18n.text_direction(language))
    # Markup: the card is our own template's output, already escaped as it rendered.
    return render_template("officer/card.html", link=link, card=Markup(card))  # noqa: S704


@bp.get("/links/<link_id>/qr.<any(png, svg):kind>")
@role_required("officer")
def qr_code(link_id, kind):
    url = link_url(own_link(link_id))
    if kind == "png":
        return Response(qr.png(url), mimetype="image/png")
    return Response(qr.svg(url), mimetype="image/svg+xml")


@bp.route("/links/<link_id>/revoke", methods=["GET", "POST"])
@role_required("officer")
def revoke(link_id):
    """GET asks to confirm; POST cancels (CSRFProtect has already refused a forgery)."""
    link = own_link(link_id)
    if link_status(link, now()) not in ("not_opened", "opened"):
        flash("This link can no longer be cancelled: it has been used, cancelled or has expired.")
        return redirect(url_for("officer.link", link_id=link_id), 303)
    if request.method == "GET":
        return render_template("officer/revoke.html", link=link,
                               category=categories.get(link["crime_category"]),
                               created=datetime.fromisoformat(link["created_at"]))
    if store.revoke_link(get_db(), g.user["id"], link_id):
        audit("link_revoked", subject=link_id)
        flash("Link cancelled. It no longer works, and the person cannot use it to answer.")
    else:  # answered between the two clicks
        flash("This link could not be cancelled: the person has already answered.")
    return redirect(url_for("officer.link", link_id=link_id), 303)
