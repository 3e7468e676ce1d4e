import logging

from flask import Blueprint, Response, current_app, g, render_template, stream_with_context

from feedback import export, store
from feedback.db import get_db
from feedback.forms import ExportForm, choices
from feedback.web import now, role_required

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
log = logging.getLogger(__name__)


def _export_form():
    form = ExportForm()
    form.stage.choices = choices([("", "All stages")] + [
        (stage, survey.title) for stage, survey in current_app.config["SURVEYS"].items()])
    form.team.choices = choices([("", "All teams")] + [
        (team, team) for team in store.fetch_response_teams(get_db())])
    return form


@bp.get("/")
@role_required("trainer", "admin")
def dashboard():
    db, surveys = get_db(), current_app.config["SURVEYS"]
    counts = [(survey.title, store.count_responses(db, {"stage": stage}))
              for stage, survey in surveys.items()]
    return render_template("trainer/dashboard.html", counts=counts)


@bp.route("/export", methods=["GET", "POST"])
@role_required("trainer", "admin")
def export_csv():
    form = _export_form()
    if not form.validate_on_submit():
        return render_template("trainer/export.html", form=form), 400 if form.errors else 200
    filters = form.filters()
    minimum = current_app.config["EXPORT_MIN_ROWS"]
    if export.too_few_to_export(store.count_responses(get_db(), filters), minimum):
        form.from_week.errors.append(
            f"These filters match fewer than {minimum} responses. To keep people "
            "anonymous, choose a wider range of weeks, teams or categories")
        return render_template("trainer/export.html", form=form), 400
    moment = now()
    store.record_export(get_db(), g.user["id"], filters, moment)
    log.info("export by user id %s with filters %s", g.user["id"], filters)
    surveys = current_app.config["SURVEYS"]
    chosen = [surveys[filters["stage"]]] if filters["stage"] else list(surveys.values())
    columns = export.columns_for(chosen)

    def generate():
        # Its own connection: the request's one closes when the view returns.
        db = store.connect(current_app.config["DATABASE_PATH"])
        try:
            for chunk in export.csv_chunks(store.iter_responses(db, filters), columns):
                yield chunk.encode("utf-8")
        finally:
            db.close()

    filename = f"feedback-{moment:%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
