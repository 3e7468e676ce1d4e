"""Responses held between their submission and their release (see feedback/domain/sealing.py
for why they wait sealed). save_response (links.py) holds one with its link's
update; a release moves a batch into the responses table. A held row is {id, week,
sealed}: a random id of its own, and the week in plain text so that publication
can tell when a month's responses have all been released."""

import secrets

from feedback.adapters.store.connection import _rows
from feedback.adapters.store.links import insert_responses


class _TooFew(Exception):
    """Rolls back a claim of held responses that were not yet to be released."""


def count_held(db, through_week=None):
    """Responses still held; with through_week, only those of that week or earlier."""
    if through_week is None:
        return next(_rows(db, "SELECT count(*) AS n FROM held_responses"))["n"]
    return next(_rows(db, "SELECT count(*) AS n FROM held_responses WHERE week <= ?",
                      [through_week]))["n"]


def release_held(db, unseal, batch, due_week):
    """Move every held response into the responses table in one transaction of
    their own, in a random order, once at least `batch` are held or one of them is
    from due_week or earlier (its month is about to be published). Returns how many.

    The DELETE comes first, so the transaction claims the rows before reading
    them: of two releases at once, the second finds nothing left (PostgreSQL) or
    waits for the first to finish (SQLite's write lock)."""
    try:
        with db.atomic():
            held = list(_rows(db, "DELETE FROM held_responses RETURNING week, sealed"))
            if not held or (len(held) < batch
                            and not any(row["week"] <= due_week for row in held)):
                raise _TooFew()
            records = [unseal(row["sealed"]) for row in held]
            secrets.SystemRandom().shuffle(records)
            insert_responses(db, records)
    except _TooFew:
        return 0
    return len(records)
