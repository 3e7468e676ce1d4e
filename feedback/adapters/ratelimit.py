"""Rate limits that hold across every worker and instance.

    limiter.hit("sign_in_address", address)   # raises RateLimited(retry_after)
    limiter.refund("sign_in_address", address) # the attempt turned out fine

Counts live in shared storage behind a two-method interface (`Counters`):
the database by default, Redis (`RedisCounters`) when REDIS_URL is set.
Should that storage not answer, a rule that guards a victim's page counts the hit
in this process's memory instead (`LocalCounters`): a victim is never turned away
for our outage, and the typed-code limit still holds, per process (so at most
workers x instances times the limit), where guessing would otherwise be free. A
sign-in rule refuses the hit (`CountersUnavailable`): an attacker must not get
unlimited guesses by waiting for Redis to fall over.

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
import logging
import threading
from typing import NamedTuple, Protocol

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from feedback.adapters import store
from feedback.domain import clock as service_clock

log = logging.getLogger(__name__)

# Redis did not answer or refused (down, too slow, out of memory): the one name for
# it, so the staff sessions (feedback/web/sessions.py) need not import the driver.
REDIS_FAULTS = (redis.RedisError,)


class Rule(NamedTuple):
    limit: int
    seconds: int
    fail_open: bool = False  # count in this process when the counters cannot be reached


class CountersUnavailable(Exception):
    """The shared counters did not answer (Redis down or too slow)."""


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


def _seconds():
    return service_clock.now().timestamp()


class Limiter:
    def __init__(self, counters, rules, secret, clock=_seconds):
        self.counters, self.rules, self.clock = counters, dict(rules), clock
        self._secret = secret.encode()
        self._local = LocalCounters()

    def hit(self, name, key):
        rule, hashed, now = self.rules[name], self._key(name, key), int(self.clock())
        try:
            wait = self.counters.hit(name, hashed, rule, now)
        except CountersUnavailable as error:
            # The rule's name and the error's type only: never the key or an address.
            log.warning("rate limit %s not shared (%s): %s", name, error,
                        "counted in this process" if rule.fail_open else "refused")
            if not rule.fail_open:
                raise
            wait = self._local.hit(name, hashed, rule, now)
        if wait:
            raise RateLimited(wait)

    def refund(self, name, key):
        try:
            self.counters.refund(name, self._key(name, key), self.rules[name],
                                 int(self.clock()))
        except CountersUnavailable as error:
            # A hit kept costs one attempt; failing the request for it would cost more.
            log.warning("rate limit %s not refunded (%s)", name, error)

    def _key(self, name, key):
        message = f"{name}\0{key}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]


class LocalCounters:
    """This process's own counts, with the same two-window rule: the fallback for a
    victim's page while the shared counters do not answer."""

    def __init__(self):
        self._hits, self._lock = {}, threading.Lock()

    def hit(self, name, key, rule, now):
        window = now - now % rule.seconds
        with self._lock:
            # Keep only the last two windows of each rule: memory stays small.
            for stale in [k for k, (_, expires) in self._hits.items() if expires <= now]:
                del self._hits[stale]
            current = self._hits.get((name, key, window), (0, 0))[0]
            previous = self._hits.get((name, key, window - rule.seconds), (0, 0))[0]
            if current + previous >= rule.limit:
                return window + rule.seconds * (2 if current >= rule.limit else 1) - now
            self._hits[(name, key, window)] = (current + 1, window + 2 * rule.seconds)
        return 0


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


class DatabaseCounters:
    """Counters in the service's database (SQLite or PostgreSQL), through a connection getter."""

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
                current = store.count_rate_limit_hit(db, name, key, window,
                                                     window + 2 * rule.seconds)
                previous = store.rate_limit_hits(db, name, key, window - rule.seconds)
                if current + previous >= rule.limit:
                    # Take the hit back; wait until the windows holding the hits pass.
                    raise _Refused(window + rule.seconds * (2 if current >= rule.limit else 1)
                                   - now)
                if not current:
                    # A new row: delete the expired ones, so the table holds only the
                    # keys seen in the last two windows of each rule.
                    store.prune_rate_limits(db, now)
        except _Refused as refused:
            return refused.wait
        return 0

    def refund(self, name, key, rule, now):
        store.refund_rate_limit_hit(self.connection(), name, key, now - now % rule.seconds)


def open_redis(url):
    """A client that gives up quickly: a request waits at most about a second for
    a Redis that is down, then the rules above decide."""
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5,
                                retry=Retry(NoBackoff(), 1), decode_responses=True)


def ping_problem(client):
    try:
        client.ping()
    except REDIS_FAULTS as error:
        return redis_problem(error)
    return None


def redis_problem(error):
    """What went wrong, safe to log: the type only. Redis's messages name the host,
    and a URL in one could hold the password."""
    return type(error).__name__


# Both windows read and the hit counted in one script, which Redis runs alone:
# parallel hits from any number of processes cannot both see room for one more.
_HIT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if current + previous >= tonumber(ARGV[1]) then
    return current
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return -1
"""
_REFUND = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
    redis.call('DECR', KEYS[1])
end
"""


class RedisCounters:
    """Counters in Redis, one key per rule, key and window, gone after two windows."""

    def __init__(self, client, prefix):
        self.prefix = prefix
        self._hit = client.register_script(_HIT)
        self._refund = client.register_script(_REFUND)

    def hit(self, name, key, rule, now):
        window = now - now % rule.seconds
        current = self._run(self._hit, [self._name(name, key, window),
                                         self._name(name, key, window - rule.seconds)],
                            [rule.limit, window + 2 * rule.seconds - now])
        if current < 0:
            return 0
        return window + rule.seconds * (2 if current >= rule.limit else 1) - now

    def refund(self, name, key, rule, now):
        self._run(self._refund, [self._name(name, key, now - now % rule.seconds)], [])

    def _name(self, name, key, window):
        return f"{self.prefix}rate:{name}:{key}:{window}"

    def _run(self, script, keys, args):
        try:
            return script(keys=keys, args=args)
        except REDIS_FAULTS as error:
            raise CountersUnavailable(redis_problem(error)) from None


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
