"""An officer's links: make one, show it (URL, typed code, what was sent), list
them, cancel one. Someone else's link is treated as no link at all."""

from datetime import datetime, timedelta

from feedback.adapters import store
from feedback.adapters.store import links as link_store
from feedback.domain import categories, codes
from feedback.domain.links import issue_token, link_status, new_link_id
from feedback.usecases import auditing

LIVE = ("not_opened", "opened")
EXPIRY_DAYS = (1, 90)  # the shortest and longest lifetime an officer may choose
_PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30)}


class LinkNotFound(Exception):
    """Not a link of this officer's (or no link at all: the two look the same)."""


class InvalidChoice(Exception):
    """The link cannot be made as asked: problems maps each field to what is wrong."""

    def __init__(self, problems):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class PageNotFound(Exception):
    """A page number past the last page of the list."""


def link_url(link, keys, base_url):
    """The link's public URL. The token is re-signed from the stored id and time."""
    issued_at = int(datetime.fromisoformat(link["created_at"]).timestamp())
    return f"{base_url}/r/{issue_token(link['id'], issued_at, keys)}"


def code_address(base_url):
    """Where the person types the code: without the scheme, fewer characters to read
    out or type."""
    return base_url.split("://", 1)[-1] + "/code"


def typed_code(link, keys):
    """The code to type instead of scanning, as shown (links made before codes have none)."""
    code = codes.for_link(link, keys)
    return codes.shown(code) if code else None


def own_link(db, officer_id, link_id):
    link = store.fetch_officer_link(db, officer_id, link_id)
    if link is None:
        raise LinkNotFound()
    return link


def is_live(link, now):
    """Still usable by the person: not answered, cancelled or expired."""
    return link_status(link, now) in LIVE


def teams(db):
    """The teams a link can be made for."""
    return store.fetch_teams(db)


def create_link(db, officer, choice, keys, now, by=None, client_id=None):
    """A new QR link for one person; choice: stage, crime_category, team, language
    and expiry_days. by: who asked (an auditing.Actor), noted in the audit log in
    the same transaction; client_id: the API client that made it, if one did.
    Returns the link as stored."""
    created = now.replace(microsecond=0)
    link = {
        "id": new_link_id(), "officer_id": officer["id"], "stage": choice["stage"],
        "crime_category": choice["crime_category"], "team": choice["team"],
        "borough": officer["borough"], "language": choice["language"], "channel": "qr",
        "created_at": created.isoformat(),
        "expires_at": (created + timedelta(days=choice["expiry_days"])).isoformat(),
    }
    link["code_digest"] = codes.digest(codes.derive(link["id"], keys[-1]))
    with db.atomic():
        store.create_link(db, link)
        if client_id is not None:
            store.add_api_link(db, link["id"], client_id)
        if by is not None:
            auditing.record_change(db, "link_created", now, by, link["id"],
                                   {"stage": link["stage"]})
    return link


def create_link_for_officer(db, email, choice, keys, now, options, by, client_id):
    """A link made by a case system for the officer with this email, checked as the
    officer's page checks it. options: stages and languages offered. team may be
    empty: the officer's own. Raises InvalidChoice naming each problem."""
    officer = store.fetch_user_by_email(db, email or "")
    problems = {}
    if officer is None or officer["role"] != "officer" or officer["disabled"]:
        problems["officer"] = "Give the email address of an officer's active account"
        officer = None
    checks = [("stage", options["stages"], "Choose one of the surveys offered"),
              ("crime_category", categories.BY_CODE, "Choose a known crime category"),
              ("language", options["languages"], "Choose one of the languages offered")]
    if officer or choice.get("team"):  # else the team is the unknown officer's own
        choice = {**choice, "team": choice.get("team") or officer["team"]}
        checks.append(("team", teams(db) or [officer and officer["team"]],
                       "Choose a known team"))
    for field, allowed, message in checks:
        if choice.get(field) not in allowed:
            problems[field] = message
    low, high = EXPIRY_DAYS
    if not low <= choice.get("expiry_days", 0) <= high:
        problems["expiry_days"] = f"The link lasts {low} to {high} days"
    if problems:
        raise InvalidChoice(problems)
    return create_link(db, officer, choice, keys, now, by=by, client_id=client_id)


def client_link(db, client_id, link_id):
    """A link this API client made; any other is LinkNotFound."""
    link = store.fetch_client_link(db, client_id, link_id)
    if link is None:
        raise LinkNotFound()
    return link


def link_details(db, link, keys, base_url, now):
    """What the officer's page for one link shows besides the link itself."""
    return {"url": link_url(link, keys, base_url), "status": link_status(link, now),
            "code": typed_code(link, keys),
            "sent": [{**sent, "sent_at": datetime.fromisoformat(sent["sent_at"])}
                     for sent in link_store.fetch_link_deliveries(db, link["id"])]}


def revoke_link(db, officer_id, link_id, now=None, by=None):
    """Cancel the link; False if it was answered in the meantime. by: who asked
    (an auditing.Actor), noted in the audit log with the change."""
    with db.atomic():
        revoked = store.revoke_link(db, officer_id, link_id)
        if revoked and by is not None:
            auditing.record_change(db, "link_revoked", now, by, link_id)
    return revoked


def link_page(db, officer_id, now, filters, page, page_size):
    """One page of the officer's links, newest first. filters: status, stage and
    period ("today", "week", "month"), each may be empty."""
    found = link_store.fetch_link_page(db, officer_id, now, {
        "status": filters.get("status"), "stage": filters.get("stage"),
        "since": _since(filters.get("period"), now)}, page_size, (page - 1) * page_size)
    pages = max(1, -(-found["total"] // page_size))
    if page > pages:
        raise PageNotFound()
    return {"total": found["total"], "page": page, "pages": pages,
            "first": (page - 1) * page_size + 1,
            "links": [{**link, "status": link_status(link, now),
                       "category": categories.get(link["crime_category"]).label,
                       "created": datetime.fromisoformat(link["created_at"])}
                      for link in found["links"]]}


def _since(period, now):
    if period == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
    return (now - _PERIODS[period]).isoformat() if period else ""
