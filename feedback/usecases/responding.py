"""A victim opens a link (or types its code) and sends their answers.

Only what docs/anonymity.md allows is stored: the answers, free text redacted,
the link's categories and the ISO week, under a random id. The response is held
sealed with its link's update, and released into the responses table later, in
a shuffled batch of at least k (MIN_GROUP_SIZE) in a transaction of its own, so
that no row of the responses table can be tied to its link by a reader of the
tables (feedback/domain/sealing.py).
"""

import json
import logging
import secrets

from feedback.adapters import store
from feedback.domain import codes, periods, sealing
from feedback.domain.links import LinkError, LinkUsed, check_usable, read_token
from feedback.domain.privacy import anonymise
from feedback.domain.surveys import response_record

log = logging.getLogger(__name__)


class CodeUnreadable(Exception):
    """The text typed is not shaped like a code."""


class CodeUnknown(Exception):
    """No link has that code."""


def open_link(db, token, keys, max_age, now):
    """The link a token names, marked opened; or the LinkError saying why not."""
    return _open(db, store.fetch_link(db, read_token(token, keys, max_age, now)), now)


def open_by_code(db, typed, now):
    """The link a typed code names, marked opened; CodeUnreadable, CodeUnknown or
    the LinkError saying why it cannot be used."""
    code = codes.normalise(typed)
    if code is None:
        raise CodeUnreadable()
    link = store.fetch_link_by_code(db, codes.digest(code))
    if link is None:
        raise CodeUnknown()
    return _open(db, link, now)


def _open(db, link, now):
    _check(link, now)
    store.mark_link_opened(db, link["id"])
    return link


def _check(link, now):
    # The error carries the link's language, so its page can be shown in it.
    try:
        check_usable(link, now)
    except LinkError as error:
        error.language = link["language"] if link else None
        raise


def current_link(db, link_id, now):
    """The link a survey in progress belongs to, if it can still take answers."""
    link = store.fetch_link(db, link_id)
    check_usable(link, now)
    return link


def current_stage(db, link_id, now):
    """The stage of the survey in progress, if its link can still take answers: the
    same check as current_link, for the page that shows the survey and needs
    nothing else of the link."""
    link = store.fetch_link_state(db, link_id)
    check_usable(link, now)
    return link["stage"]


def finished_in_session(db, session_id):
    """Whether the survey session (by its id hash) has sent its answers."""
    row = store.fetch_session(db, session_id)
    return row is not None and bool(json.loads(row["data"]).get("answered"))


def submit_response(db, link, survey, answers, free_text, settings, session, now):
    """Store the answers and use the link, in one transaction with the session's new
    data (session: id_hash and data), so that of parallel submissions exactly one
    is stored. settings: language (the answers were given in), redaction patterns
    and max_length of free text. Raises LinkUsed (or why the link is unusable) if
    another browser got there first; a double tap of this session is no error."""
    record = response_record(
        secrets.token_hex(16), survey, {**link, "language": settings["language"]},
        anonymise.iso_week(now.date()), answers,
        {qid: anonymise.redact(text, settings["redaction"], settings["max_length"])
         for qid, text in free_text.items()})
    update = {"id_hash": session["id_hash"], "data": json.dumps(session["data"]),
              "now": now.isoformat()}
    held = {"id": secrets.token_hex(16), "week": record["week"],
            "sealed": sealing.seal(record, settings["keys"])}
    if store.save_response(db, link["id"], held, now, update):
        release_held(db, settings["keys"], settings["batch"], now.date())
        return
    if not finished_in_session(db, session["id_hash"]):
        check_usable(store.fetch_link(db, link["id"]), now)
        raise LinkUsed()  # lost the race to a submission in another browser or tab


def release_held(db, keys, batch, today):
    """Release the held responses into the responses table once at least batch of
    them wait, or sooner when one belongs to a closed month (so the month is whole
    before it is published, feedback/domain/periods.py). Returns how many were released."""
    try:
        return store.release_held(db, lambda text: sealing.unseal(text, keys), batch,
                                  periods.last_closed_week(today))
    except sealing.Unsealable:
        # The answers are safe where they are, and whoever asked (a victim who has
        # just sent theirs, a trainer) is not the one to tell.
        log.error("held responses were sealed with a key no longer configured:"
                  " put it back in SECRET_KEY_FALLBACKS until they are released")
        return 0
