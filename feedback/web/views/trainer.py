"""Trainer pages: the dashboard, its tables as files, and the response-level
export. Every figure comes from feedback.usecases.reporting, already protected."""

import logging
import tempfile

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from werkzeug.datastructures import MultiDict
from werkzeug.utils import secure_filename

from feedback.adapters import pdf
from feedback.domain.categories import GROUP_LABELS
from feedback.domain.clock import now
from feedback.domain.periods import (
    LONGEST_LINK_DAYS,
    day_label,
    month_label,
    months_between,
    months_of_quarter,
    next_month,
    parse_month,
    publication_date,
    quarter_label,
    quarter_of_month,
)
from feedback.domain.reporting import export
from feedback.domain.reporting.themes import LABELS as THEME_LABELS
from feedback.usecases import reporting, responding
from feedback.web import actor, client_address, i18n, role_required, secret_keys
from feedback.web.db import get_db, open_db
from feedback.web.forms import (
    FILTER_NAMES,
    CommentsForm,
    DashboardForm,
    ExportForm,
    RemoveCommentForm,
    choices,
)

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
log = logging.getLogger(__name__)

CHANNELS = {"qr": "QR code", "sms": "Text message", "email": "Email"}


@bp.before_request
def _release_closed_months():
    """A closed month's last held responses join it before any figure is read, even
    when no victim has submitted since it closed (feedback/usecases/responding.py).
    Only for a signed-in trainer or admin: nobody else's request writes anything."""
    if g.user is None or g.user["role"] not in ("trainer", "admin"):
        return
    responding.release_held(get_db(), secret_keys(), current_app.config["MIN_GROUP_SIZE"],
                            now().date())
    # Then each newly published month is released, once (feedback/domain/privacy/kanon.py).
    reporting.publish(get_db(), current_app.config["SURVEYS"], now().date(),
                      {**_settings(), "response_days": current_app.config[
                          "RETENTION_RESPONSE_DAYS"]})


def _view_settings():
    config = current_app.config
    return {"threshold": config["MIN_GROUP_SIZE"],
            "response_days": config["RETENTION_RESPONSE_DAYS"],
            "link_days": config["RETENTION_LINK_DAYS"]}


def _shown_months():
    return reporting.shown_months(now().date(), current_app.config["RETENTION_RESPONSE_DAYS"])


def _offer_months(form, shown, noun):
    """Only published, kept months are offered, the newest last; a month typed into
    the address that is not gets a message saying why."""
    def why_not(typed):
        month = parse_month(typed)
        if month is None or not shown:
            return None
        if month > shown[-1]:
            return (f"{noun} for {month_label(month)} are published on"
                    f" {day_label(publication_date(month))}")
        return (f"{noun} for {month_label(month)} are no longer kept: choose"
                f" {month_label(shown[0])} or later")
    for field in (form.from_month, form.to_month):
        field.choices = choices([(m, month_label(m)) for m in shown])
        field.why_not = why_not


def _defaults(shown):
    """The last three published months."""
    default = shown[-3:] or [""]
    return {"from_month": default[0], "to_month": default[-1]}


def _next_publication(shown):
    """The open period (the month after the newest published one) and when it is
    published, for the page to say."""
    month = next_month(shown[-1]) if shown else f"{now():%Y-%m}"
    return {"month": month, "date": publication_date(month)}


def _dashboard_form(data):
    surveys = current_app.config["SURVEYS"]
    shown = _shown_months()
    # A filter left out means "all", as the blank choice does; a period left out
    # means the last three published months.
    form = DashboardForm(MultiDict({name: "" for name in FILTER_NAMES} | _defaults(shown)
                                   | data.to_dict()))
    _offer_months(form, shown, "Figures")
    everything = [("", "All")]
    form.stage.choices = choices(everything + [(s, v.title) for s, v in surveys.items()])
    for name in ("borough", "team"):
        form[name].choices = choices(everything + [(v, v) for v in _kept_values(name)])
    form.group.choices = choices(everything + list(GROUP_LABELS.items()))
    form.channel.choices = choices(everything + list(CHANNELS.items()))
    form.language.choices = choices(everything + list(i18n.LANGUAGES.items()))
    form.shown = shown
    return form


def _view(form):
    return months_between(form.from_month.data, form.to_month.data), form.filters()


def _dashboard_page(form, model=None, status=200, **more):
    return render_template("trainer/dashboard.html", form=form, model=model,
                           upcoming=_next_publication(form.shown), labels=_labels(),
                           longest_link_days=LONGEST_LINK_DAYS, **more), status


@bp.get("/")
@role_required("trainer", "admin")
def dashboard():
    form = _dashboard_form(request.args)
    if not form.validate():
        return _dashboard_page(form, status=400 if request.args else 200)
    months, filters = _view(form)
    _note("view", {"view": "dashboard", "months": [months[0], months[-1]], **filters})
    model = reporting.dashboard(get_db(), current_app.config["SURVEYS"], months, filters,
                                _view_settings(), now().date())
    return _dashboard_page(form, model, months=months, filters=filters)


def _note(kind, detail):
    """Record the view in the audit log, within the account's daily budget of
    different views (DailyViewsSpent past it)."""
    reporting.note_view(get_db(), g.user, kind, detail, now(), client_address(),
                        current_app.config["TRAINER_DAILY_VIEWS"])


@bp.errorhandler(reporting.DailyViewsSpent)
def _budget_spent(_error):
    resets = reporting.budget_resets(now())
    response = make_response(render_template("trainer/limit.html", resets=resets,
                                             budget=current_app.config["TRAINER_DAILY_VIEWS"]),
                             429)
    response.headers["Retry-After"] = str(int((resets - now()).total_seconds()) + 1)
    return response


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
bp.add_app_template_global(day_label, "day_name")


@bp.app_template_filter("trend_label")
def _trend_label(point):
    """A month of the trend chart with the responses it rests on."""
    n = export.FEWER if point["n"] is None else point["n"]
    return f"{month_label(point['month'])} ({n})"


def _labels():
    surveys = current_app.config["SURVEYS"]
    return {"stage": {s: v.title for s, v in surveys.items()}, "group": GROUP_LABELS,
            "channel": CHANNELS, "language": i18n.LANGUAGES}


@bp.post("/brief.pdf")
@role_required("trainer", "admin")
def brief():
    """A training brief for the team, borough or force and period of the dashboard's
    form, as a PDF: one click from the dashboard, audit-logged as a file."""
    form = _dashboard_form(request.form)
    if not form.validate():
        return _dashboard_page(form, status=400)
    months, filters = _view(form)
    subject = {name: value for name, value in filters.items() if name in ("team", "borough")}
    _note("view", {"view": "dashboard", "months": [months[0], months[-1]], **filters})
    model = reporting.brief(get_db(), current_app.config["SURVEYS"], months, filters,
                            _view_settings(), now().date())
    if not model["safe"]:
        return _dashboard_page(form, {"safe": False}, status=400)
    _record("brief", {"months": [months[0], months[-1]], **filters})
    html = render_template("trainer/brief.html", model=model, months=months, filters=filters,
                           subject=subject, labels=_labels(), made=now())
    try:
        body = pdf.render(html)
    except pdf.Unavailable:
        return render_template("trainer/brief_unavailable.html"), 503
    name = "-".join(["brief", *(value for value in subject.values()), months[0], months[-1]])
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{secure_filename(name)}.pdf"'})


@bp.post("/tables/<name>.csv")
@role_required("trainer", "admin")
def table_csv(name):
    model, covered, refused = _table(name)
    if refused:
        return refused
    rows = export.table_rows(name, model, _labels())
    return _csv(export.csv_chunks(rows[1:], rows[0]), f"{name}-{covered[0]}-to-{covered[-1]}")


@bp.post("/tables/<name>.xlsx")
@role_required("trainer", "admin")
def table_xlsx(name):
    """The table as an Excel workbook: the same view, checks and record as its CSV,
    with figures as numbers."""
    model, covered, refused = _table(name)
    if refused:
        return refused
    rows = export.table_cells(name, model, _labels())
    return _xlsx(lambda file: export.write_workbook(file, [(name, rows[0], rows[1:])]),
                 f"{name}-{covered[0]}-to-{covered[-1]}")


def _table(name):
    """A dashboard table asked for as a file: (the view's model, the months the table
    covers, None), or (None, None, the page to answer with instead: the form's 400)."""
    if name not in reporting.TABLES:
        abort(404)
    form = _dashboard_form(request.form)
    if not form.validate():
        return None, None, _dashboard_page(form, status=400)
    months, filters = _view(form)
    # The table is the dashboard's view as a file: the view, then the file.
    _note("view", {"view": "dashboard", "months": [months[0], months[-1]], **filters})
    model = reporting.dashboard(get_db(), current_app.config["SURVEYS"], months, filters,
                                _view_settings(), now().date(), tables=(name,))
    if not model["safe"]:
        return None, None, _dashboard_page(form, model, status=400)
    _record(f"table:{name}", {"months": [months[0], months[-1]], **filters})
    # The links table covers only the months whose links have all expired; the trend
    # the 12 months to the view's last.
    if name == "funnel":
        return model, model["funnel_months"] or months, None
    if name == "trend":
        return model, model["trend_months"], None
    return model, months, None


def _export_form(data):
    surveys = current_app.config["SURVEYS"]
    form = ExportForm(data)
    form.survey.choices = choices([(s, v.title) for s, v in surveys.items()])
    form.quarter.choices = choices([
        (q, quarter_label(q)) for q in reporting.export_quarters(
            get_db(), surveys, now().date(), current_app.config["RETENTION_RESPONSE_DAYS"])])
    return form


def _settings():
    config = current_app.config
    return {"k": config["MIN_GROUP_SIZE"], "l": config["MIN_DISTINCT_RATINGS"],
            "max_withheld": config["EXPORT_MAX_WITHHELD_PERCENT"] / 100,
            "keeps_first": config["RELEASE_KEEPS_FIRST"]}


def _export_page(form, status=200, **more):
    # The next file to be published: the quarter holding the open month.
    quarter = quarter_of_month(_next_publication(_shown_months())["month"])
    upcoming = {"quarter": quarter, "date": publication_date(months_of_quarter(quarter)[-1])}
    return render_template("trainer/export.html", form=form, upcoming=upcoming,
                           **{"plan": None, **more}), status


@bp.get("/export")
@role_required("trainer", "admin")
def export_page():
    form = _export_form(request.args)
    if not request.args:
        return _export_page(form)
    if not form.validate():
        return _export_page(form, status=400)
    survey = current_app.config["SURVEYS"][form.survey.data]
    release = reporting.export_release(get_db(), survey, form.quarter.data)
    return _export_page(form, plan=release, survey=survey, quarter=form.quarter.data)


@bp.post("/export/<kind>")
@role_required("trainer", "admin")
def export_file(kind):
    form = _export_form(request.form)
    if kind not in ("responses", "dictionary", "workbook"):
        abort(404)
    if not form.validate():
        return _export_page(form, status=400)
    survey, quarter = current_app.config["SURVEYS"][form.survey.data], form.quarter.data
    release = reporting.export_release(get_db(), survey, quarter)
    _record(kind, {"survey": survey.stage, "quarter": quarter})
    name = f"{survey.stage}-{quarter}"
    if kind == "workbook":
        return _xlsx(lambda file: reporting.export_workbook(
            get_db(), survey, quarter, release, _settings(), _labels(), file), name)
    if kind == "dictionary":
        return _csv(reporting.dictionary_chunks(survey, quarter, release, _settings(),
                                                _labels()),
                    f"{name}-data-dictionary")
    config = current_app.config

    def generate():
        # Its own connection: the request's one is handed back when the view returns.
        with open_db(config) as db:
            yield from reporting.export_chunks(db, survey, quarter, release)
    return _csv(generate(), name)


def _record(kind, filters):
    _note("export", {"file": kind, **filters})
    log.info("download of %s by user id %s with %s", kind, g.user["id"], filters)


def _csv(chunks, name):
    body = (chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks)
    return Response(stream_with_context(body), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _xlsx(write, name):
    """Write a workbook into a temporary file (write(file)), then send it from there.
    The file has no name on disk and is gone once sent, or if writing fails."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it)
    try:
        write(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return send_file(file, mimetype=export.XLSX, as_attachment=True,
                     download_name=f"{name}.xlsx")



# Comments for review ---------------------------------------------------------------------

def _comments_form(data):
    shown = _shown_months()
    form = CommentsForm(MultiDict({name: "" for name in _COMMENT_CHOICES} | {"page": "1"}
                                  | _defaults(shown) | data.to_dict()))
    _offer_months(form, shown, "Comments")
    everything = [("", "All")]
    form.stage.choices = choices(everything + [
        (s, v.title) for s, v in current_app.config["SURVEYS"].items()])
    # Only values some shown month's release keeps: a team the release made "other"
    # or a crime group it left out would select nobody's comments.
    for name in ("borough", "team"):
        form[name].choices = choices(everything + [(v, v) for v in _kept_values(name)])
    kept_groups = set(_kept_values("group"))
    form.group.choices = choices(everything + [
        (v, label) for v, label in GROUP_LABELS.items() if v in kept_groups])
    form.theme.choices = choices(everything + list(THEME_LABELS.items()))
    form.shown = shown
    return form


_COMMENT_CHOICES = ("stage", "borough", "team", "group", "rating", "theme", "words")


def _kept_values(name):
    return reporting.filter_values(get_db(), name, now().date(),
                                   current_app.config["RETENTION_RESPONSE_DAYS"])


@bp.get("/comments")
@role_required("trainer", "admin")
def comments():
    return _comments_page(request.args)


def _comments_page(args, error=None):
    form = _comments_form(args)
    page = {"form": form, "upcoming": _next_publication(form.shown),
            "theme_labels": THEME_LABELS}
    if not form.validate():
        return render_template("trainer/comments.html", model=None, **page), 400
    months = months_between(form.from_month.data, form.to_month.data)
    filters = {name: form[name].data for name in ("stage", "borough", "team", "group")
               if form[name].data}
    # That words were searched for, never which: they may be a name or a detail the
    # trainer knows, and the audit log is read by admins. So searches of one view
    # are one view of the daily budget; they only narrow a list shown in full anyway.
    _note("view", {"view": "comments", "months": [months[0], months[-1]], **filters,
                   **{name: form[name].data for name in ("rating", "theme") if form[name].data},
                   **({"search": True} if form.words.data else {}), "page": form.page.data})
    model = reporting.comments(get_db(), current_app.config["SURVEYS"], months, filters,
                               form.rating.data, form.page.data, _view_settings(),
                               now().date(), words=form.words.data, theme=form.theme.data)
    html = render_template("trainer/comments.html", model=model, error=error,
                           query=args.to_dict(), **page)
    return html, 400 if error else 200


@bp.errorhandler(reporting.NotShown)
def _not_shown(_error):
    # Only a month the forms refuse reaches a use case that way; just in case.
    return render_template("errors/400.html", status=400), 400


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
                                             detail, actor(), now())
        except reporting.NotInComment:
            error = {"message": "That text is not in the comment: copy it exactly as it appears"}
    if error:
        error.update(response=form.response.data, question=form.question.data)
        return _comments_page(request.args, error)
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
