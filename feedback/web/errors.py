"""Every error becomes a calm page, mapped here in one place."""

import logging
import traceback

from flask import g, jsonify, make_response, render_template, request, session
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from feedback.adapters.ratelimit import CountersUnavailable, RateLimited
from feedback.adapters.store import REFUSED_INPUT, STORAGE_FAULTS
from feedback.domain.links import LinkExpired, LinkInvalid, LinkRevoked, LinkUsed
from feedback.web.sessions import StaffPagesUnavailable

log = logging.getLogger(__name__)


class NoSurveyInProgress(Exception):
    """The survey page was opened without first opening a link (or after leaving)."""


class AlreadyAnswered(Exception):
    """The survey page again, after sending answers: Back, or a form sent twice."""


# exception -> (template, status). Victim-facing pages say nothing about crime.
_LINK_PAGES = {
    LinkInvalid: ("errors/link_invalid.html", 404),
    NoSurveyInProgress: ("errors/no_survey.html", 404),
    AlreadyAnswered: ("errors/already_answered.html", 200),
    LinkExpired: ("errors/link_expired.html", 410),
    LinkRevoked: ("errors/link_revoked.html", 410),
    LinkUsed: ("errors/link_used.html", 410),
}


_PAGES = {400, 403, 404, 413, 429, 500}  # anything else uses the 400 or 500 page


def register(app):
    for exception, (template, status) in _LINK_PAGES.items():
        app.register_error_handler(exception, _victim_page(template, status))
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RateLimited, _rate_limited)
    for unavailable in STORAGE_FAULTS:
        app.register_error_handler(unavailable, _database_unavailable)
    # PostgreSQL refuses some text SQLite takes (a NUL character): bad input, a 400.
    for refused in REFUSED_INPUT:
        app.register_error_handler(refused, _refused_input)
    # Redis down (REDIS_URL): only staff pages depend on it. Sign-in refuses
    # rather than count nothing; other staff pages wait for their session.
    app.register_error_handler(CountersUnavailable, _unavailable("sign_in"))
    app.register_error_handler(StaffPagesUnavailable, _unavailable("staff"))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _victim_page(template, status):
    def handler(_error):
        g.victim_page = True
        return render_template(template), status
    return handler


def _csrf_error(_error):
    # On a victim's page a refused form is most often one sent again after the
    # answers went in (Back), or after the session ended: say what happened.
    if g.get("victim_page") and session.get("answered"):
        return render_template("errors/already_answered.html"), 200
    if g.get("victim_page") and not session.get("link_id"):
        return render_template("errors/no_survey.html"), 400
    return render_template("errors/csrf.html"), 400


def _rate_limited(error):
    response = make_response(render_template("errors/429.html", status=429), 429)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def _database_unavailable(error):
    # No pooled connection came in time, or the server went away: this instance
    # cannot serve now, and saying so (503) lets a load balancer try another.
    log.error("database unavailable: %s", type(error).__name__)
    if _for_api():
        return problem(503, "The service is not available at the moment; try again shortly.",
                       headers={"Retry-After": "30"})
    response = make_response(render_template("errors/500.html"), 503)
    response.headers["Retry-After"] = "30"
    return response


def _unavailable(what):
    def handler(_error):
        return render_template("errors/503.html", what=what), 503
    return handler


def _refused_input(error):
    log.warning("input the database refused: %s", type(error).__name__)
    return render_template("errors/400.html", status=400), 400


def _for_api():
    # /api/v1 answers every error as problem details, never an HTML page.
    return request.path.startswith("/api/")


def problem(status, detail, errors=None, headers=None):
    """An API error: RFC 9457 problem details (application/problem+json)."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"),
            "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response.headers.update(headers or {})
    return response


def exception_headers(error):
    # Allow on a 405, say: whatever the exception adds but its HTML content type.
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def _http_error(error):
    status = error.code or 500
    if _for_api():  # no route there (or no such method): still JSON
        return problem(status, error.description or "", headers=exception_headers(error))
    page = status if status in _PAGES else (500 if status >= 500 else 400)
    return render_template(f"errors/{page}.html", status=status), status


def _unexpected(error):
    # Type and stack only: an exception's message could quote submitted input.
    log.error("unhandled %s\n%s", type(error).__name__,
              "".join(traceback.format_tb(error.__traceback__)))
    if _for_api():
        return problem(500, "Something went wrong on our side. Nothing more is said here.")
    return render_template("errors/500.html"), 500
