"""The audit log of staff actions: noting one, and reading it a page at a time.
Entries name accounts and what they did, never victim data: no recipient, no
link token, no answer."""

from typing import NamedTuple

from feedback.adapters.store import audit

ACTIONS = audit.ACTIONS  # every action, with the label the log page shows


class Actor(NamedTuple):
    """Who makes a change: a signed-in account (a dict) and the client's address,
    or, with no account, the name of what acted."""
    user: dict | None = None
    address: str = ""
    name: str = ""


# `flask users ...`: whoever runs it has the server's shell, not an account.
COMMAND_LINE = Actor(name="command line")


def record(db, action, now, user, subject, detail, address):
    """Note one action by the account `user` (None: no known account)."""
    audit.record_audit(db, action, now, user=user, subject=subject, detail=detail,
                       address=address)


def record_change(db, action, now, by, subject, detail=None):
    """Note a change made by `by` (an Actor). Call it inside the change's own
    transaction, so the change and its entry are kept, or lost, together."""
    if by.user is None:
        # "by" too, as the first command-line entries (users unlock) had it, so
        # old and new entries read alike.
        detail = {**(detail or {}), "by": by.name}
    audit.record_audit(db, action, now, user=by.user, subject=subject, detail=detail,
                       address=by.address, actor=by.name)


def log_page(db, filters, page_size, page):
    """One page of the log, newest first, with the total that match."""
    return {"total": audit.count_audit(db, filters),
            "entries": audit.fetch_audit(db, filters, page_size, (page - 1) * page_size)}
