"""Idempotent API calls: a call retried with the same Idempotency-Key gets the first
call's answer instead of making a second link or sending a second message.

The first answer is kept as the few plain values the caller's response is rebuilt
from (a link id, a channel, a time): never a recipient, nor anything derived from
one, so the fingerprint of a send leaves the recipient out too.
"""

import hashlib
import json

from feedback.adapters import store


class KeyReused(Exception):
    """The key came before with a different request."""


class StillRunning(Exception):
    """The first call with this key has not finished yet."""


def fingerprint(values):
    """A digest of the request's values (without any recipient)."""
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def once(db, call, act, now):
    """(status, kept values) of the first call with this key, running act() only
    for that first one. call: client_id, operation, key (empty: no key, act runs)
    and fingerprint. act() -> (status, kept values, JSON-able). A call that fails
    with an exception leaves the key free for a retry."""
    if not call["key"]:
        return act()
    names = (call["client_id"], call["operation"], call["key"])
    if store.claim_idempotency_key(db, *names, call["fingerprint"], now):
        try:
            status, kept = act()
        except BaseException:
            store.release_idempotency_key(db, *names)
            raise
        store.finish_idempotency_key(db, *names, status, json.dumps(kept, sort_keys=True))
        return status, kept
    first = store.fetch_idempotency_key(db, *names)
    if first is not None and first["fingerprint"] != call["fingerprint"]:
        raise KeyReused()
    if first is None or first["status"] is None:
        raise StillRunning()  # or it failed just now and was released: retry
    return first["status"], json.loads(first["response"])
