"""Rate limits that hold across every worker and instance.

    limiter.hit("sign_in_address", address)   # raises RateLimited(retry_after)
    limiter.refund("sign_in_address", address) # the attempt turned out fine

Counts live in shared storage behind a two-method interface (`Counters`):
SQLite by default; a Redis backend (issue 9) implements the same two methods.

Windows are fixed (aligned to multiples of the rule's length) and a hit is
allowed only while the current and the previous window together hold fewer
than the limit. Any stretch of one window's length lies inside two adjacent
windows, so no client ever gets more than the limit into it: what the sign-in
throttle needs to keep one client below the lockout threshold.

Keys (client addresses, emails) are stored as keyed hashes, never as they are:
a victim's address is personal data, and the secret stops a dictionary of
every IPv4 address from reversing them.
"""

import hashlib
import hmac
import ipaddress
import threading
import time
from typing import NamedTuple, Protocol


class Rule(NamedTuple):
    limit: int
    seconds: int


class RateLimited(Exception):
    """Refused: try again in retry_after seconds."""

    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after))


class Counters(Protocol):
    def hit(self, name, key, rule, now):
        """Count one hit and return 0, or count nothing and return the seconds to wait."""

    def refund(self, name, key, rule, now):
        """Take back one hit of the current window."""


class Limiter:
    def __init__(self, counters, rules, secret, clock=time.time):
        self.counters, self.rules, self.clock = counters, dict(rules), clock
        self._secret = secret.encode()

    def hit(self, name, key):
        wait = self.counters.hit(name, self._key(name, key), self.rules[name],
                                 int(self.clock()))
        if wait:
            raise RateLimited(wait)

    def refund(self, name, key):
        self.counters.refund(name, self._key(name, key), self.rules[name], int(self.clock()))

    def _key(self, name, key):
        message = f"{name}\0{key}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]


def client_key(address):
    """One key per client: an IPv6 client usually holds a whole /64."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


class _Refused(Exception):
    def __init__(self, wait):
        super().__init__(wait)
        self.wait = wait


class SqliteCounters:
    """Counters in the service's SQLite database, through a connection getter."""

    def __init__(self, connection):
        self.connection = connection

    def hit(self, name, key, rule, now):
        db = self.connection()
        window = now - now % rule.seconds
        try:
            with db.atomic():
                # Count first: the write holds the counter (SQLite: the file) until
                # the transaction ends, so parallel hits from any process are
                # counted one after another and cannot all pass on the same count.
                current = db.execute(
                    "INSERT INTO rate_limits (name, key, window_start, hits, expires)"
                    " VALUES (?, ?, ?, 1, ?) ON CONFLICT (name, key, window_start)"
                    " DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
                    [name, key, window, window + 2 * rule.seconds]).fetchone()[0] - 1
                previous = db.execute(
                    "SELECT coalesce(sum(hits), 0) FROM rate_limits WHERE name = ?"
                    " AND key = ? AND window_start = ?",
                    [name, key, window - rule.seconds]).fetchone()[0]
                if current + previous >= rule.limit:
                    # Take the hit back; wait until the windows holding the hits pass.
                    raise _Refused(window + rule.seconds * (2 if current >= rule.limit else 1)
                                   - now)
                if not current:
                    # A new row: delete the expired ones, so the table holds only the
                    # keys seen in the last two windows of each rule.
                    db.execute("DELETE FROM rate_limits WHERE expires <= ?", [now])
        except _Refused as refused:
            return refused.wait
        return 0

    def refund(self, name, key, rule, now):
        self.connection().execute(
            "UPDATE rate_limits SET hits = hits - 1 WHERE name = ? AND key = ?"
            " AND window_start = ? AND hits > 0", [name, key, now - now % rule.seconds])


def prune(db, now):
    """Delete expired counters. Also done as counters are added; the daily purge
    makes sure a quiet service keeps no keyed client addresses past their windows."""
    return db.execute("DELETE FROM rate_limits WHERE expires <= ?", [int(now)]).rowcount


def count_rows(db):
    """How many counters are stored (for tests and the bench)."""
    return db.execute("SELECT count(*) FROM rate_limits").fetchone()[0]


class HashGate:
    """At most `slots` password hashes at once in this process.

    Each argon2 hash takes 64 MiB and a core for about 0.3 s: with no cap, a
    burst of sign-ins starves every other request of the worker. Per process is
    enough, because the cost is per process: gunicorn's workers each get their
    own gate. A request waits briefly for a slot, then is refused like any limit.
    """

    def __init__(self, slots, wait_seconds=3):
        self._slots, self.wait_seconds = threading.BoundedSemaphore(slots), wait_seconds

    def __enter__(self):
        if not self._slots.acquire(timeout=self.wait_seconds):
            raise RateLimited(1)
        return self

    def __exit__(self, *_exc):
        self._slots.release()
