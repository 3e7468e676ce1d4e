"""What start-up and /healthz say when the database cannot be used, and which of
the drivers' errors mean the database cannot serve a request now."""

import sqlite3

import psycopg


class DatabaseFault(Exception):
    """The database cannot be used as it is; the service will not start."""


class DatabaseDamaged(DatabaseFault):
    def __init__(self, path):
        super().__init__(f"the database file {path} is damaged;"
                         " restore it from a backup, see README")


class DatabaseUnavailable(DatabaseFault):
    def __init__(self, path):
        super().__init__(f"the database file {path} cannot be opened or written; check that"
                         " it exists, the service may read and write it, and the disk has space")


class ServerUnavailable(DatabaseFault):
    def __init__(self, address, error):
        super().__init__(f"the database server at {address} cannot be used ({error});"
                         " check DATABASE_URL and that the server is running")


# The database cannot serve this request: unreachable, timed out, locked, its schema
# or rights changed under the service. A calm 503 on every page (feedback/web/errors.py),
# the victim's with its quick exit; never a stack trace. Constraint violations are
# not here: those are the service's own mistakes.
STORAGE_FAULTS = (DatabaseFault, sqlite3.OperationalError, psycopg.OperationalError,
                  psycopg.ProgrammingError, psycopg.InternalError)
# Text one engine refuses that the other takes (PostgreSQL and a NUL): bad input.
REFUSED_INPUT = (psycopg.DataError,)
