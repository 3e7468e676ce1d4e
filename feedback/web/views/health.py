import logging

from flask import Blueprint, current_app

from feedback.domain.clock import now
from feedback.usecases import housekeeping
from feedback.web.db import database_target

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    # A real read and write, so a damaged, read-only or full disk is a 503 that
    # takes this instance out of the load balancer, not an "ok" before 500s.
    problem = housekeeping.health_problem(database_target(current_app.config), now())
    if problem:
        log.error("health check failed: %s", problem)
        return {"status": "unavailable"}, 503
    problem = housekeeping.redis_problem(current_app.extensions["redis"])
    if problem:
        # Victims are still served without Redis, but staff are not, and every
        # instance should say so: the load balancer and the alerts decide.
        log.error("health check failed: Redis %s", problem)
        return {"status": "unavailable", "redis": "down"}, 503
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
