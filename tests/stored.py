"""What a test's database holds, read the same way on SQLite and PostgreSQL."""

from pathlib import Path


def table_names(db):
    if db.dialect == "sqlite":
        sql = ("SELECT name FROM sqlite_master WHERE type = 'table'"
               " AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        sql = ("SELECT table_name FROM information_schema.tables"
               " WHERE table_schema = current_schema() ORDER BY table_name")
    return [row[0] for row in db.execute(sql)]


def column_names(db, table):
    """In the table's order."""
    if db.dialect == "sqlite":
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    return [row[0] for row in db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = ? ORDER BY ordinal_position", [table])]


def every_row(db):
    """Every row of every table, as text."""
    return "\n".join(f"{table}: {row}" for table in table_names(db)
                     for row in db.execute(f'SELECT * FROM "{table}"'))  # noqa: S608


def stored_bytes(app, db):
    """What a look at the stored data would find. SQLite: the file and its WAL as
    they are on disk, so deleted content that lingers counts too. PostgreSQL:
    every row of the test's schema (its files hold every test's schema)."""
    if db.dialect != "sqlite":
        return every_row(db).encode()
    path = Path(app.config["DATABASE_PATH"])
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
