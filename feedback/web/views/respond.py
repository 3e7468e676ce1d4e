"""The victim's pages. Nothing here names the crime or the police in titles, and
nothing identifying is stored: see docs/anonymity.md."""

from contextlib import contextmanager
from datetime import timedelta

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_wtf.csrf import generate_csrf

from feedback.domain.clock import now
from feedback.domain.links import LinkError, LinkUsed
from feedback.domain.surveys import validate_answers
from feedback.usecases import responding
from feedback.web import csrf_mask, current_language, i18n, rate_limit, secret_keys
from feedback.web.csrf_mask import masked_csrf_token
from feedback.web.db import get_db
from feedback.web.errors import AlreadyAnswered, NoSurveyInProgress
from feedback.web.survey_shortcut import kept_page_key, kept_pages

bp = Blueprint("respond", __name__)

# The signature's own age limit is only a backstop; the links table decides expiry.
TOKEN_MAX_AGE = int(timedelta(days=91).total_seconds())


@bp.get("/r/<path:token>")
def open_link(token):
    rate_limit("link_open")
    with _in_the_links_language():
        link = responding.open_link(get_db(), token, secret_keys(), TOKEN_MAX_AGE, now())
    return _start_survey(link)


@contextmanager
def _in_the_links_language():
    # So an expired or used link's page is in the link's language too.
    try:
        yield
    except LinkError as error:
        if getattr(error, "language", None):
            g.link_lang = error.language
        raise


def _start_survey(link):
    # Move the token (or code) out of the address bar and history into the session.
    session.clear()
    session.regenerate()
    session["link_id"] = link["id"]
    session["lang"] = link["language"]
    response = redirect(url_for("respond.survey"), 303)
    response.set_data(b"")  # browsers follow the Location; a body is bytes on slow data
    return response


@bp.route("/code", methods=["GET", "POST"])
def enter_code():
    """The typed code, for a phone that cannot scan: opens the same survey as the
    link, once, until the link expires. Guesses are limited per address."""
    if request.method != "POST":  # GET, or HEAD: a HEAD never counts as a try
        return render_template("respond/code.html", error=None)
    rate_limit("survey_code")  # every try counts: 50-bit codes, a few tries an hour
    try:
        with _in_the_links_language():
            link = responding.open_by_code(get_db(), request.form.get("code", ""), now())
    except responding.CodeUnreadable:
        return _code_problem(gettext(
            "Enter the code as it is written on the card, like AB12C-D34EF"))
    except responding.CodeUnknown:
        return _code_problem(gettext("We could not find that code. Check it and try again"))
    return _start_survey(link)


def _code_problem(error):
    return render_template("respond/code.html", error=error), 400


def _link_in_progress():
    link_id = session.get("link_id")
    if not link_id:
        raise AlreadyAnswered() if session.get("answered") else NoSurveyInProgress()
    return link_id


def _current_link():
    return responding.current_link(get_db(), _link_in_progress(), now())


@bp.route("/feedback", methods=["GET", "POST"])
def survey():
    if request.method != "POST":  # GET, or HEAD (a link checker): never answers
        # The same check of the link as a POST's, reading only what the page needs.
        stage = responding.current_stage(get_db(), _link_in_progress(), now())
        return _blank_survey(current_app.config["SURVEYS"][stage])
    if session.get("answered"):
        # A second tap of Send that came after the first was answered.
        return redirect(url_for("respond.thanks"), 303)
    try:
        link = _current_link()
    except LinkUsed:
        if _finished_in_this_session():
            # The other tap of this session won the race while this one was loading.
            return redirect(url_for("respond.thanks"), 303)
        raise
    survey = current_app.config["SURVEYS"][link["stage"]]
    # A POST reaches here only with a valid CSRF token: CSRFProtect checks first.
    rate_limit("survey_post")
    answers, free_text, errors = validate_answers(survey, request.form)
    if errors:
        messages = {q.id: _error_message(q, errors[q.id])
                    for q in survey.questions if q.id in errors}
        return render_template("respond/survey.html", survey=survey,
                               values=request.form, errors=messages), 400
    config = current_app.config
    # The language the answers were given in, which may not be the link's.
    settings = {"language": current_language(), "redaction": config["REDACTION"],
                "max_length": config["FREE_TEXT_MAX_LENGTH"], "keys": secret_keys(),
                "batch": config["MIN_GROUP_SIZE"]}
    thanks = _thank_you_session()
    # The session row's new data is written in the response's own transaction, so a
    # second post of this session that loses the race finds the survey finished.
    responding.submit_response(get_db(), link, survey, answers, free_text, settings,
                               {"id_hash": session.id_hash, "data": thanks}, now())
    # Done (here, or by a double tap or another tab of this session): from now on
    # the session holds only what the thank-you page needs: not the link, not the
    # category, and no record of when the survey was opened.
    session.clear()
    session.update(thanks)
    return redirect(url_for("respond.thanks"), 303)


def _thank_you_session():
    # Only that answers were sent (so Back shows a thank-you, not an error).
    thanks = {"answered": True, "csrf_token": session.get("csrf_token")}
    if session.get("lang"):
        thanks["lang"] = session["lang"]
    return {key: value for key, value in thanks.items() if value is not None}


def _finished_in_this_session():
    return responding.finished_in_session(get_db(), session.id_hash)


def _blank_survey(survey):
    """The unanswered survey page, rendered once per survey and language.

    Every visitor gets the same page but for the CSRF token, and rendering it
    (a few dozen translated strings, a radio macro per answer) costs more than
    the rest of the request. The first render is kept without its token;
    later views put the visitor's own token in. The page is kept
    as UTF-8 bytes: its non-ASCII characters (the languages' own names) made
    encoding the whole text again a noticeable part of every view. It is kept
    cut at the token, so each view joins the pieces around its own token: a
    search and replace through the whole page cost twenty times as much.
    """
    pages = kept_pages(current_app)
    # session["lang"] is what the locale selector uses first; set when the link opened.
    language = session.get("lang")
    key = kept_page_key(survey, language)
    _csrf_token()
    token = masked_csrf_token()  # masked afresh for every response: feedback/web/csrf_mask.py
    if language not in i18n.LANGUAGES:
        return render_template("respond/survey.html", survey=survey, values={}, errors={})
    if key not in pages:
        html = render_template("respond/survey.html", survey=survey, values={}, errors={})
        pages[key] = html.encode().split(token.encode())
    return token.encode().join(pages[key])


def _csrf_token():
    """This session's signed CSRF token. Signing costs as much as the rest of the
    view, and a token signed for the session stays valid while its key is the
    current SECRET_KEY (WTF_CSRF_TIME_LIMIT is None), so it is signed once and kept
    with the session, beside the id of its key: after the key is rotated, the next
    view signs it again, so a survey open at the time can still be sent."""
    secret_key = current_app.config["SECRET_KEY"]
    token = csrf_mask.kept_token(session, secret_key)
    if token is None:
        token = generate_csrf()
        csrf_mask.keep_token(session, token, secret_key)
    g.csrf_token = token  # what Flask-WTF's csrf_token() gives for the rest of the request
    return token


def _error_message(question, problem):
    # The survey files are in English; their wording is in the catalogues.
    if problem == "too_long":
        return gettext("Your answer must be %(count)s characters or fewer",
                       count=question.max_length)
    return gettext(question.error)


@bp.get("/feedback/thanks")
def thanks():
    # The thank-you page lists helplines for domestic abuse and rape: only for the
    # session that sent its answers. Anyone else (Back after "Leave this site",
    # the address typed in) gets the neutral page.
    if not session.get("answered"):
        raise NoSurveyInProgress()
    return render_template("respond/thanks.html")


@bp.get("/exit")
def exit_service():
    """Quick exit: end the survey session, ask the browser to forget this site, leave.

    Only the survey's session and cookie: a staff member signed in on the same
    browser stays signed in. So no "cookies" in Clear-Site-Data, which would
    delete every cookie of the site, staff's included (and of its subdomains).
    """
    session.clear()  # deletes the row and the survey cookie (sessions.py)
    response = redirect(current_app.config["EXIT_URL"], 303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/language")
def change_language():
    """The language switch on victim pages: remember the choice, show the page again."""
    language = request.form.get("lang", "")
    if language in i18n.LANGUAGES:
        session["lang"] = language
    return redirect(_victim_path(request.form.get("next", "")), 303)


def _victim_path(path):
    # Only back to a victim page of this service, never to an address from outside.
    if path in (url_for("respond.survey"), url_for("respond.thanks")):
        return path
    if path.startswith("/r/") and "//" not in path and "\\" not in path and "?" not in path:
        return path
    return url_for("respond.survey")
