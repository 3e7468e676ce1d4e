"""The rate limits' counters when they live in the database (feedback.adapters.ratelimit
decides what a count means; Redis keeps its own). One row per rule, keyed client and
window; a row expires two windows after its own starts."""


def count_rate_limit_hit(db, name, key, window, expires):
    """Count one hit in this window; the hits it held before this one. The write holds
    the counter (SQLite: the file) until the caller's transaction ends."""
    return db.execute(
        "INSERT INTO rate_limits (name, key, window_start, hits, expires)"
        " VALUES (?, ?, ?, 1, ?) ON CONFLICT (name, key, window_start)"
        " DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
        [name, key, window, expires]).fetchone()[0] - 1


def rate_limit_hits(db, name, key, window):
    return db.execute(
        "SELECT coalesce(sum(hits), 0) FROM rate_limits WHERE name = ?"
        " AND key = ? AND window_start = ?", [name, key, window]).fetchone()[0]


def refund_rate_limit_hit(db, name, key, window):
    db.execute("UPDATE rate_limits SET hits = hits - 1 WHERE name = ? AND key = ?"
               " AND window_start = ? AND hits > 0", [name, key, window])


def prune_rate_limits(db, now):
    """Delete the counters expired by now (seconds); how many. Also done as counters
    are added; the daily purge makes sure a quiet service keeps no keyed client
    addresses past their windows."""
    return db.execute("DELETE FROM rate_limits WHERE expires <= ?", [int(now)]).rowcount


def count_rate_limits(db):
    """How many counters are stored (for tests and the bench)."""
    return db.execute("SELECT count(*) FROM rate_limits").fetchone()[0]
