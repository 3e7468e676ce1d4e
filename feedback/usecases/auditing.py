"""The audit log of staff actions: noting one, and reading it a page at a time.
Entries name accounts and what they did, never victim data: no recipient, no
link token, no answer."""

from feedback import audit

ACTIONS = audit.ACTIONS  # every action, with the label the log page shows


def record(db, action, now, user, subject, detail, address):
    """Note one action by the account `user` (None: no known account)."""
    audit.record_audit(db, action, now, user=user, subject=subject, detail=detail,
                       address=address)


def log_page(db, filters, page_size, page):
    """One page of the log, newest first, with the total that match."""
    return {"total": audit.count_audit(db, filters),
            "entries": audit.fetch_audit(db, filters, page_size, (page - 1) * page_size)}
