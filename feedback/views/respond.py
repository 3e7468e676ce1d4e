"""The victim's pages. Nothing here names the crime or the police in titles, and
nothing identifying is stored: see DESIGN.md, anonymised storage."""

import secrets
from datetime import timedelta

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from feedback import anonymise, categories, store
from feedback.db import get_db
from feedback.errors import NoSurveyInProgress
from feedback.forms import ConfirmForm
from feedback.links import LinkUsed, check_usable, read_token
from feedback.surveys import response_record, validate_answers
from feedback.web import link_keys, now

bp = Blueprint("respond", __name__)

# The signature's own age limit is only a backstop; the links table decides expiry.
TOKEN_MAX_AGE = int(timedelta(days=91).total_seconds())


@bp.before_request
def _private():
    g.no_store = True


@bp.get("/r/<path:token>")
def open_link(token):
    link_id = read_token(token, link_keys(), TOKEN_MAX_AGE)
    db = get_db()
    link = store.fetch_link(db, link_id)
    check_usable(link, now())
    store.mark_link_opened(db, link_id)
    # Move the token out of the address bar and history into the session.
    session.clear()
    session.regenerate()
    session["link_id"] = link_id
    session["lang"] = link["language"]
    return redirect(url_for("respond.survey"), 303)


def _current_link():
    link_id = session.get("link_id")
    if not link_id:
        raise NoSurveyInProgress()
    link = store.fetch_link(get_db(), link_id)
    check_usable(link, now())
    return link


@bp.route("/feedback", methods=["GET", "POST"])
def survey():
    link = _current_link()
    survey = current_app.config["SURVEYS"][link["stage"]]
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("respond/survey.html", survey=survey, form=form,
                               values={}, errors={})
    answers, free_text, errors = validate_answers(survey, request.form)
    if errors:
        return render_template("respond/survey.html", survey=survey, form=form,
                               values=request.form, errors=errors), 400
    patterns, limit = current_app.config["REDACTION"], current_app.config["FREE_TEXT_MAX_LENGTH"]
    record = response_record(
        secrets.token_hex(16), survey, link, anonymise.iso_week(now().date()), answers,
        {qid: anonymise.redact(text, patterns, limit) for qid, text in free_text.items()})
    if not store.save_response(get_db(), link["id"], record, now()):
        check_usable(store.fetch_link(get_db(), link["id"]), now())
        raise LinkUsed()  # lost the race to a submission in another tab
    session.pop("link_id")
    session["done"] = link["crime_category"]
    return redirect(url_for("respond.thanks"), 303)


@bp.get("/feedback/thanks")
def thanks():
    category = categories.get(session.get("done", "other"))
    return render_template("respond/thanks.html", support=category.support)


@bp.get("/exit")
def exit_service():
    """Quick exit: end the session, ask the browser to forget this site, leave."""
    session.clear()
    response = redirect(current_app.config["EXIT_URL"], 303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
