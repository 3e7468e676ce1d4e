from datetime import datetime

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

from feedback.adapters import qr
from feedback.domain import categories
from feedback.domain.clock import now
from feedback.usecases import links
from feedback.web import actor, i18n, own_link, role_required, secret_keys
from feedback.web.db import get_db
from feedback.web.forms import LinkFilterForm, NewLinkForm, choices

bp = Blueprint("officer", __name__, url_prefix="/officer")

PAGE_SIZE = 20
STATUS_LABELS = {"not_opened": "Not opened", "opened": "Opened", "completed": "Completed",
                 "revoked": "Cancelled", "expired": "Expired"}


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
    query = {name: getattr(form, name).data for name in ("status", "stage", "period")
             if getattr(form, name).data}
    try:
        found = links.link_page(get_db(), g.user["id"], now(), query, page, PAGE_SIZE)
    except links.PageNotFound:
        abort(404)
    return render_template("officer/my_links.html", **{**view, **found, "query": query})


def _page_number(text):
    if not text.isdigit() or len(text) > 6 or int(text) < 1:
        abort(400)
    return int(text)


@bp.route("/links/new", methods=["GET", "POST"])
@role_required("officer")
def new_link():
    form = NewLinkForm()
    form.stage.choices = choices(_stage_choices())
    teams = links.teams(get_db())
    form.team.choices = choices([(team, team) for team in teams] or [(g.user["team"],) * 2])
    if not form.is_submitted():
        form.team.data = g.user["team"]
        form.expiry_days.data = current_app.config["LINK_DEFAULT_DAYS"]
    if not form.validate_on_submit():
        return render_template("officer/new_link.html", form=form), 400 if form.errors else 200
    link = links.create_link(get_db(), g.user, {
        name: form[name].data
        for name in ("stage", "crime_category", "team", "language", "expiry_days")},
        secret_keys(), now(), by=actor())
    return redirect(url_for("officer.link", link_id=link["id"]), 303)


@bp.get("/links/<link_id>")
@role_required("officer")
def link(link_id):
    link = own_link(link_id)
    details = links.link_details(get_db(), link, secret_keys(), current_app.config["BASE_URL"],
                                 now())
    return render_template(
        "officer/link.html", link=link, **details, code_address=_code_address(),
        category=categories.get(link["crime_category"]),
        created=datetime.fromisoformat(link["created_at"]),
        stage=current_app.config["SURVEYS"][link["stage"]].title,
        expires=datetime.fromisoformat(link["expires_at"]))


@bp.get("/links/<link_id>/show")
@role_required("officer")
def show(link_id):
    """The QR code and typed code filling the screen, and nothing else: for turning
    the screen towards the person (no case details, no menus)."""
    link = own_link(link_id)
    if not links.is_live(link, now()):
        return _back_to_the_link(link_id, "code to show")
    return render_template("officer/show.html", link=link,
                           code=links.typed_code(link, secret_keys()),
                           code_address=_code_address())


def _back_to_the_link(link_id, what):
    """A card or code of a link no longer usable: back to the link's page, saying why."""
    flash(f"This link can no longer be used, so there is no {what}.")
    return redirect(url_for("officer.link", link_id=link_id), 303)


def _code_address():
    return links.code_address(current_app.config["BASE_URL"])


@bp.get("/links/<link_id>/card")
@role_required("officer")
def card(link_id):
    """A printable A6 card with the QR code, in the language chosen for the person."""
    link = own_link(link_id)
    if not links.is_live(link, now()):
        return _back_to_the_link(link_id, "card to print")
    language = i18n.supported(link["language"])
    with force_locale(language):
        # Day, month, year in every language ("long" is month-first in Babel's English).
        expires = format_date(datetime.fromisoformat(link["expires_at"]).date(), "d MMMM y")
        card = render_template("officer/_card.html", link=link, expires=expires,
                               code=links.typed_code(link, secret_keys()),
                               code_address=_code_address(),
                               language=language, direction=i18n.text_direction(language))
    # Markup: the card is our own template's output, already escaped as it rendered.
    return render_template("officer/card.html", link=link, card=Markup(card))  # noqa: S704


@bp.get("/links/<link_id>/qr.<any(png, svg):kind>")
@role_required("officer")
def qr_code(link_id, kind):
    url = links.link_url(own_link(link_id), secret_keys(), current_app.config["BASE_URL"])
    if kind == "png":
        return Response(qr.png(url), mimetype="image/png")
    return Response(qr.svg(url), mimetype="image/svg+xml")


@bp.route("/links/<link_id>/revoke", methods=["GET", "POST"])
@role_required("officer")
def revoke(link_id):
    """GET asks to confirm; POST cancels (CSRFProtect has already refused a forgery)."""
    link = own_link(link_id)
    if not links.is_live(link, now()):
        flash("This link can no longer be cancelled: it has been used, cancelled or has expired.")
        return redirect(url_for("officer.link", link_id=link_id), 303)
    if request.method != "POST":  # GET, or HEAD: only a POST (CSRF-checked) cancels
        return render_template("officer/revoke.html", link=link,
                               category=categories.get(link["crime_category"]),
                               created=datetime.fromisoformat(link["created_at"]))
    if links.revoke_link(get_db(), g.user["id"], link_id, now(), by=actor()):
        flash("Link cancelled. It no longer works, and the person cannot use it to answer.")
    else:  # answered between the two clicks
        flash("This link could not be cancelled: the person has already answered.")
    return redirect(url_for("officer.link", link_id=link_id), 303)
