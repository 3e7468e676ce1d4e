from flask import Blueprint

from feedback.db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    next(get_db().query("SELECT 1 AS ok"))
    return {"status": "ok"}


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for this on every site. No icon is the most neutral one, and an
    # empty answer is lighter than the 404 page.
    return "", 204


@bp.get("/robots.txt")
def robots():
    # Nothing here is for search engines: a victim's link, or a page about one,
    # must never turn up in search results.
    return "User-agent: *\nDisallow: /\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
