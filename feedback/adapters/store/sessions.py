"""Server-side sessions, and the retention purge."""


from feedback.adapters.store import insights as insight_store
from feedback.adapters.store.connection import _one
from feedback.domain import periods


def fetch_session(db, id_hash):
    return _one(db, "SELECT * FROM sessions WHERE id_hash = ?", [id_hash])


def save_session(db, id_hash, data, created_at, last_seen):
    db.execute(
        "INSERT INTO sessions (id_hash, data, created_at, last_seen) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data,"
        " last_seen = excluded.last_seen", [id_hash, data, created_at, last_seen])


def touch_session(db, id_hash, last_seen):
    """Only the time: a request that changed nothing must not write back the data it
    read, which another request may have replaced meanwhile."""
    db.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", [last_seen, id_hash])


def delete_session(db, id_hash):
    db.execute("DELETE FROM sessions WHERE id_hash = ?", [id_hash])


def purge(db, links_created_before, responses_before_month, sessions_seen_before):
    """Delete old links, responses and sessions; return how many of each.

    Responses go by whole months (the retention rule hands over the first month of
    a quarter, so whole quarters): those of every week before the month's first,
    and the dashboard's totals of every month before it, in one transaction, so
    each figure is either as it was or gone."""
    first_week, _ = periods.weeks_of_months(responses_before_month, responses_before_month)
    with db.atomic():
        links = db.execute("DELETE FROM links WHERE created_at < ?",
                           [links_created_before]).rowcount
        responses = db.execute("DELETE FROM responses WHERE week < ?",
                               [first_week]).rowcount
        sessions = db.execute("DELETE FROM sessions WHERE last_seen < ?",
                              [sessions_seen_before]).rowcount
        insight_store.forget_months_before(db, responses_before_month)
    return {"links": links, "responses": responses, "sessions": sessions}
