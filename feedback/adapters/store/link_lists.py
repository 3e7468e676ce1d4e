"""Storage for an officer's view of their links: paged and filtered lists, and
what was sent for a link. Kept apart from the store package to keep it small; the
same rules apply: all SQL here, the database first, plain dicts back, times as
ISO 8601 strings in UTC."""

from feedback.adapters.store import _one, _rows

# Each status as SQL, matching feedback.domain.links.link_status (expiry is checked
# against :now; ISO strings in UTC compare in time order).
_STATUS_SQL = {
    "completed": "used = 1",
    "revoked": "used = 0 AND revoked = 1",
    "expired": "used = 0 AND revoked = 0 AND expires_at <= :now",
    "opened": "used = 0 AND revoked = 0 AND expires_at > :now AND opened = 1",
    "not_opened": "used = 0 AND revoked = 0 AND expires_at > :now AND opened = 0",
}
STATUSES = tuple(_STATUS_SQL)


def fetch_link_page(db, officer_id, now, filters, limit, offset):
    """{"links": one page of the officer's links, newest first, "total": how many
    match}. filters: status (one of STATUSES), stage, since (ISO time); each may
    be empty."""
    where, params = ["officer_id = :officer"], {"officer": officer_id, "now": now.isoformat()}
    if filters.get("status"):
        where.append(_STATUS_SQL[filters["status"]])
    if filters.get("stage"):
        where.append("stage = :stage")
        params["stage"] = filters["stage"]
    if filters.get("since"):
        where.append("created_at >= :since")
        params["since"] = filters["since"]
    condition = " AND ".join(where)
    total = _one(db, f"SELECT count(*) AS n FROM links WHERE {condition}", params)["n"]  # noqa: S608 (fixed fragments)
    links = list(_rows(
        db, f"SELECT * FROM links WHERE {condition}"  # noqa: S608 (fixed fragments)
        " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset",
        {**params, "limit": limit, "offset": offset}))
    return {"links": links, "total": total}


def fetch_link_deliveries(db, link_id):
    """Every message that went out with this link, oldest first: channel and time.
    Never a recipient: none is stored."""
    return list(_rows(db, "SELECT channel, sent_at FROM deliveries WHERE link_id = ?"
                          " ORDER BY sent_at", [link_id]))
