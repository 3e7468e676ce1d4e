"""Keeping the database: the daily purge of whatever is past its retention
period, schema upgrades, the integrity check, online backups and the health probe."""

from datetime import timedelta

from feedback.adapters import ratelimit, store
from feedback.adapters.store import audit
from feedback.domain import periods

IDEMPOTENCY_KEPT = timedelta(hours=24)


def purge(db, retention, now):
    """Delete what is past retention; retention: link_days, response_days,
    audit_days and session_hours (the longest a session may last). Returns
    {what: how many were deleted}."""
    counts = store.purge(
        db,
        links_created_before=(now - timedelta(days=retention["link_days"])).isoformat(),
        # Whole quarters only: one goes once every week of it is past retention.
        responses_before_month=periods.months_of_quarter(
            periods.oldest_kept_quarter(now.date(), retention["response_days"]))[0],
        sessions_seen_before=(now - timedelta(hours=retention["session_hours"])).isoformat())
    counts["rate-limit counters"] = store.prune_rate_limits(db, now.timestamp())
    # A retry comes within minutes; a day covers a case system's longest outage.
    counts["idempotency keys"] = store.purge_idempotency_keys(
        db, (now - IDEMPOTENCY_KEPT).isoformat())
    counts["audit entries"] = audit.purge_audit(
        db, (now - timedelta(days=retention["audit_days"])).isoformat(), now)
    return counts


class FileOnly(Exception):
    """A job for SQLite's file; a PostgreSQL server has tools of its own for it."""


def upgrade(db):
    """Apply any pending schema migrations: (names applied before, names after)."""
    before = store.applied_migrations(db)
    store.upgrade(db)
    return before, store.applied_migrations(db)


def check_integrity(db):
    """Every problem SQLite finds in the file's pages and indexes; [] if none."""
    if db.dialect != "sqlite":
        raise FileOnly("PostgreSQL checks its own pages; check its indexes with pg_amcheck")
    return store.check_integrity(db)


def backup(db, target):
    """Copy the database into a new file, checked; the problems found, [] if none."""
    if db.dialect != "sqlite":
        raise FileOnly("Back up PostgreSQL with pg_dump or your provider's backups")
    return store.backup(db, target)


def redis_problem(client):
    """Why Redis cannot serve, safe to log, or None (also when there is no Redis:
    counters and sessions are then in the database)."""
    return None if client is None else ratelimit.ping_problem(client)


def health_problem(target, now):
    """Why the database cannot serve (damaged, read-only, full), or None: a real
    read and write, not just a connection."""
    return store.probe_health(target, now)
