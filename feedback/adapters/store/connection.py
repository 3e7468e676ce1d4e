"""Which engine a database target means, and the row helpers every store module uses.

A target is a path (SQLite, the embedded default) or a postgresql:// address
(PostgreSQL, for several instances on one managed database). Both engines give
a Database with the same methods (execute, executemany, query, atomic, stream,
lock_row, close, rollback) and take the same SQL: `?` and `:name` parameters,
and only what both engines mean the same way. Where they differ, the code asks
`db.dialect`.
"""

from feedback.adapters.store import postgres, sqlite

_ENGINES = {"sqlite": sqlite, "postgresql": postgres}


def is_postgres(target):
    return str(target).startswith(("postgresql://", "postgres://"))


def _engine(target):
    return postgres if is_postgres(target) else sqlite


def connect(target, must_exist=False):
    return _engine(target).connect(target, must_exist=must_exist)


def prepare(target):
    """Start-up: create or check the database, then migrate it."""
    _engine(target).prepare(target)


def _engine_of(db):
    return _ENGINES[db.dialect]


def upgrade(db):
    """Apply the migrations the database lacks (flask db upgrade)."""
    _engine_of(db).upgrade(db)


def probe_health(target, now, **options):
    """None when the database answers a read and a write, else the problem in a few words."""
    return _engine(target).probe_health(target, now, **options)


def applied_migrations(db):
    """Names of the migrations applied, in order."""
    return _engine_of(db).applied_migrations(db)


def known_migrations(db):
    """Names of every migration this version of the service has for the engine."""
    return _engine_of(db).known_migrations()


def _rows(db, sql, params=()):
    # db.execute rather than db.query: sqlite-utils' query() wraps each read in a
    # savepoint, which costs a third of a survey page view.
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


def _one(db, sql, params=()):
    return next(_rows(db, sql, params), None)
