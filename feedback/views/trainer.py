"""Trainer pages: the dashboard, its tables as files, and the response-level
export. Every figure comes from feedback.usecases.reporting, already protected."""

import logging

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
    stream_with_context,
    url_for,
)
from werkzeug.datastructures import MultiDict

from feedback import export, i18n
from feedback.categories import GROUP_LABELS
from feedback.clock import now
from feedback.db import get_db, open_db
from feedback.forms import (
    FILTER_NAMES,
    CommentsForm,
    DashboardForm,
    ExportForm,
    RemoveCommentForm,
    choices,
)
from feedback.periods import month_label, months_between, quarter_label, recent_months
from feedback.usecases import reporting
from feedback.web import audit, role_required

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
log = logging.getLogger(__name__)

CHANNELS = {"qr": "QR code", "sms": "Text message", "email": "Email"}
TABLES = ("satisfaction", "trend", "distributions", "focus", "funnel")


def _dashboard_form(data):
    db, surveys = get_db(), current_app.config["SURVEYS"]
    # A filter left out means "all", as the blank choice does; a period left out
    # means the last three months.
    default = recent_months(now().date(), 3)
    form = DashboardForm(MultiDict({name: "" for name in FILTER_NAMES} | {
        "from_month": default[0], "to_month": default[-1]} | data.to_dict()))
    today = now().date()
    # Every month responses may still be kept for, newest first.
    retained = current_app.config["RETENTION_RESPONSE_DAYS"] // 30 + 1
    months = recent_months(today, retained)[::-1]
    form.from_month.choices = choices([(m, month_label(m)) for m in months])
    form.to_month.choices = choices([(m, month_label(m)) for m in months])
    everything = [("", "All")]
    form.stage.choices = choices(everything + [(s, v.title) for s, v in surveys.items()])
    for name in ("borough", "team"):
        form[name].choices = choices(everything + [
            (v, v) for v in reporting.filter_values(db, name)])
    form.group.choices = choices(everything + list(GROUP_LABELS.items()))
    form.channel.choices = choices(everything + list(CHANNELS.items()))
    form.language.choices = choices(everything + list(i18n.LANGUAGES.items()))
    return form


def _view(form):
    return months_between(form.from_month.data, form.to_month.data), form.filters()


@bp.get("/")
@role_required("trainer", "admin")
def dashboard():
    form = _dashboard_form(request.args)
    if request.args and not form.validate():
        return render_template("trainer/dashboard.html", form=form, model=None), 400
    months, filters = _view(form)
    model = reporting.dashboard(get_db(), current_app.config["SURVEYS"], months, filters,
                              current_app.config["MIN_GROUP_SIZE"])
    return render_template("trainer/dashboard.html", form=form, model=model, months=months,
                           labels=_labels(), filters=filters)


@bp.app_template_filter("zip")
def _zip(first, second):
    return zip(first, second, strict=True)


@bp.app_template_filter("combine")
def _combine(first, second):
    return {**first, **second}


# Month names as a filter (for map) and as a function.
bp.add_app_template_filter(month_label, "month_name")
bp.add_app_template_global(month_label, "month_name")
bp.add_app_template_global(quarter_label, "quarter_name")


def _labels():
    surveys = current_app.config["SURVEYS"]
    return {"stage": {s: v.title for s, v in surveys.items()}, "group": GROUP_LABELS,
            "channel": CHANNELS, "language": i18n.LANGUAGES}


@bp.post("/tables/<name>.csv")
@role_required("trainer", "admin")
def table_csv(name):
    if name not in TABLES:
        abort(404)
    form = _dashboard_form(request.form)
    if not form.validate():
        return render_template("trainer/dashboard.html", form=form, model=None), 400
    months, filters = _view(form)
    model = reporting.dashboard(get_db(), current_app.config["SURVEYS"], months, filters,
                              current_app.config["MIN_GROUP_SIZE"])
    if not model["safe"]:
        return render_template("trainer/dashboard.html", form=form, model=model), 400
    _record(f"table:{name}", {"months": [months[0], months[-1]], **filters})
    rows = export.table_rows(name, model, _labels())
    return _csv(export.csv_chunks(rows[1:], rows[0]), f"{name}-{months[0]}-to-{months[-1]}")


def _export_form(data):
    surveys = current_app.config["SURVEYS"]
    form = ExportForm(data)
    form.survey.choices = choices([(s, v.title) for s, v in surveys.items()])
    form.quarter.choices = choices([
        (q, quarter_label(q)) for q in reporting.export_quarters(get_db(), now().date())])
    return form


def _settings():
    config = current_app.config
    return {"k": config["MIN_GROUP_SIZE"], "l": config["MIN_DISTINCT_RATINGS"],
            "max_withheld": config["EXPORT_MAX_WITHHELD_PERCENT"] / 100}


@bp.get("/export")
@role_required("trainer", "admin")
def export_page():
    form = _export_form(request.args)
    if not request.args:
        return render_template("trainer/export.html", form=form, plan=None)
    if not form.validate():
        return render_template("trainer/export.html", form=form, plan=None), 400
    survey = current_app.config["SURVEYS"][form.survey.data]
    plan = reporting.export_plan(get_db(), survey, form.quarter.data, _settings())
    return render_template("trainer/export.html", form=form, plan=plan, survey=survey,
                           quarter=form.quarter.data)


@bp.post("/export/<kind>")
@role_required("trainer", "admin")
def export_file(kind):
    form = _export_form(request.form)
    if kind not in ("responses", "dictionary"):
        abort(404)
    if not form.validate():
        return render_template("trainer/export.html", form=form, plan=None), 400
    survey, quarter = current_app.config["SURVEYS"][form.survey.data], form.quarter.data
    plan = reporting.export_plan(get_db(), survey, quarter, _settings())
    _record(kind, {"survey": survey.stage, "quarter": quarter})
    name = f"{survey.stage}-{quarter}"
    if kind == "dictionary":
        return _csv(reporting.dictionary_chunks(survey, quarter, plan, _settings()),
                    f"{name}-data-dictionary")
    config = current_app.config

    def generate():
        # Its own connection: the request's one is handed back when the view returns.
        with open_db(config) as db:
            yield from reporting.export_chunks(db, survey, quarter, plan)
    return _csv(generate(), name)


def _record(kind, filters):
    audit("export", detail={"file": kind, **filters})
    log.info("download of %s by user id %s with %s", kind, g.user["id"], filters)


def _csv(chunks, name):
    body = (chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks)
    return Response(stream_with_context(body), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})



# Comments for review ---------------------------------------------------------------------

def _comments_form(data):
    default = recent_months(now().date(), 3)
    form = CommentsForm(MultiDict({"stage": "", "borough": "", "rating": "", "page": "1",
                                   "from_month": default[0], "to_month": default[-1]}
                                  | data.to_dict()))
    months = recent_months(now().date(), current_app.config["RETENTION_RESPONSE_DAYS"] // 30 + 1)
    form.from_month.choices = form.to_month.choices = choices(
        [(m, month_label(m)) for m in reversed(months)])
    form.stage.choices = choices([("", "All")] + [
        (s, v.title) for s, v in current_app.config["SURVEYS"].items()])
    form.borough.choices = choices([("", "All")] + [
        (v, v) for v in reporting.filter_values(get_db(), "borough")])
    return form


@bp.get("/comments")
@role_required("trainer", "admin")
def comments():
    return _comments_page(request.args)


def _comments_page(args, error=None):
    form = _comments_form(args)
    if not form.validate():
        return render_template("trainer/comments.html", form=form, model=None), 400
    months = months_between(form.from_month.data, form.to_month.data)
    filters = {name: form[name].data for name in ("stage", "borough") if form[name].data}
    model = reporting.comments(get_db(), current_app.config["SURVEYS"], months, filters,
                             form.rating.data, form.page.data,
                             current_app.config["MIN_GROUP_SIZE"])
    page = render_template("trainer/comments.html", form=form, model=model, error=error,
                           query=args.to_dict())
    return page, 400 if error else 200


@bp.post("/comments/remove")
@role_required("admin")
def remove_comment():
    form = RemoveCommentForm()
    error = None
    if not form.validate():
        error = {"message": next(iter(form.errors.values()))[0]}
    elif form.scope.data == "detail" and not form.detail.data.strip():
        error = {"message": "Enter the text to remove, or remove the whole comment"}
    else:
        detail = form.detail.data if form.scope.data == "detail" else ""
        try:
            wiped = reporting.remove_comment(get_db(), form.response.data, form.question.data,
                                           detail)
        except reporting.NotInComment:
            error = {"message": "That text is not in the comment: copy it exactly as it appears"}
    if error:
        error.update(response=form.response.data, question=form.question.data)
        return _comments_page(request.args, error)
    # Who, when and which response; never the removed text.
    audit("comment_removed", subject=form.response.data)
    log.info("comment text removed by user id %s", g.user["id"])
    if wiped:
        flash("The text was removed from the comment and deleted from the database.")
    else:
        # SQLite's WAL was busy, or PostgreSQL: old row versions and its log keep
        # the text until vacuum and recycling (README, "Running several instances").
        log.warning("the removed text stays in the database's files for now")
        flash("The text was removed from the comment. The database deletes its old copy"
              " in routine maintenance.")
    return redirect(url_for("trainer.comments", **request.args.to_dict()), 303)
