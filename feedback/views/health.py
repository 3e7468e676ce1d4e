from flask import Blueprint

from feedback.db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    next(get_db().query("SELECT 1 AS ok"))
    return {"status": "ok"}
