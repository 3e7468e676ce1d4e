"""An officer's links: make one, show it (URL, typed code, what was sent), list
them, cancel one. Someone else's link is treated as no link at all."""

from datetime import datetime, timedelta

from feedback import categories, codes, link_store, store
from feedback.links import issue_token, link_status, new_link_id

LIVE = ("not_opened", "opened")
_PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30)}


class LinkNotFound(Exception):
    """Not a link of this officer's (or no link at all: the two look the same)."""


class PageNotFound(Exception):
    """A page number past the last page of the list."""


def link_url(link, keys, base_url):
    """The link's public URL. The token is re-signed from the stored id and time."""
    issued_at = int(datetime.fromisoformat(link["created_at"]).timestamp())
    return f"{base_url}/r/{issue_token(link['id'], issued_at, keys)}"


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


def create_link(db, officer, choice, keys, now):
    """A new QR link for one person; choice: stage, crime_category, team, language
    and expiry_days. Returns the link as stored."""
    created = now.replace(microsecond=0)
    link = {
        "id": new_link_id(), "officer_id": officer["id"], "stage": choice["stage"],
        "crime_category": choice["crime_category"], "team": choice["team"],
        "borough": officer["borough"], "language": choice["language"], "channel": "qr",
        "created_at": created.isoformat(),
        "expires_at": (created + timedelta(days=choice["expiry_days"])).isoformat(),
    }
    link["code_digest"] = codes.digest(codes.derive(link["id"], keys[-1]))
    store.create_link(db, link)
    return link


def link_details(db, link, keys, base_url, now):
    """What the officer's page for one link shows besides the link itself."""
    return {"url": link_url(link, keys, base_url), "status": link_status(link, now),
            "code": typed_code(link, keys),
            "sent": [{**sent, "sent_at": datetime.fromisoformat(sent["sent_at"])}
                     for sent in link_store.fetch_link_deliveries(db, link["id"])]}


def revoke_link(db, officer_id, link_id):
    """Cancel the link; False if it was answered in the meantime."""
    return store.revoke_link(db, officer_id, link_id)


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
