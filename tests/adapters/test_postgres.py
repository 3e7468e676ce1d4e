"""PostgreSQL as the engine: the same SQL, the same schema, migrations that several
instances can start on together, a bounded pool, and downloads that stream.
These run against the machine's PostgreSQL in both test runs."""

import re
import socket
import threading
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from feedback import create_app
from feedback.adapters import store
from feedback.adapters.store import postgres
from feedback.adapters.store.postgres import _translate
from feedback.domain import clock
from feedback.domain.links import issue_token, new_link_id
from tests.conftest import BASE_ENV
from tests.pages import csrf_token
from tests.stored import column_names, table_names


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT * FROM links WHERE id = ? AND used = ?",
     "SELECT * FROM links WHERE id = %s AND used = %s"),
    ("UPDATE sessions SET data = :data WHERE id_hash = :id_hash",
     "UPDATE sessions SET data = %(data)s WHERE id_hash = %(id_hash)s"),
    # Inside quotes nothing is a parameter; casts stay casts; % is escaped.
    ("SELECT '?', ':x', 'a%b', x::text FROM t WHERE y LIKE '%' || ?",
     "SELECT '?', ':x', 'a%%b', x::text FROM t WHERE y LIKE '%%' || %s"),
    ("SELECT 'it''s ?' WHERE a = ?", "SELECT 'it''s ?' WHERE a = %s"),
])
def test_parameters_are_rewritten_only_outside_quotes(sql, expected):
    assert _translate(sql) == expected


def test_both_engines_end_with_the_same_tables_columns_and_indexes(tmp_path, postgres_url):
    sqlite_path = str(tmp_path / "schema.sqlite3")
    store.prepare(sqlite_path)
    store.prepare(postgres_url)
    on_sqlite, on_postgres = store.connect(sqlite_path), store.connect(postgres_url)
    try:
        bookkeeping = {"_sqlite_migrations", "schema_migrations"}
        tables = [t for t in table_names(on_sqlite) if t not in bookkeeping]
        assert tables == [t for t in table_names(on_postgres) if t not in bookkeeping]
        assert len(tables) >= 12
        for table in tables:
            assert column_names(on_sqlite, table) == column_names(on_postgres, table), table
        sqlite_indexes = {row[0] for row in on_sqlite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        postgres_indexes = {row[0] for row in on_postgres.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'")}
        assert sqlite_indexes - {"idx__sqlite_migrations_migration_set_name"} == postgres_indexes
    finally:
        on_sqlite.close()
        on_postgres.close()


def test_both_engines_guard_the_audit_log_with_the_same_triggers(tmp_path, postgres_url):
    sqlite_path = str(tmp_path / "schema.sqlite3")
    store.prepare(sqlite_path)
    store.prepare(postgres_url)
    on_sqlite, on_postgres = store.connect(sqlite_path), store.connect(postgres_url)
    try:
        sqlite_triggers = {row[0] for row in on_sqlite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}
        postgres_triggers = {row[0] for row in on_postgres.execute(
            "SELECT DISTINCT trigger_name FROM information_schema.triggers"
            " WHERE event_object_schema = current_schema()"
            " AND event_object_table = 'audit_log'")}
        assert sqlite_triggers == {"audit_log_append_only", "audit_log_keeps_recent"}
        # information_schema leaves out TRUNCATE triggers: SQLite has no TRUNCATE.
        assert postgres_triggers == sqlite_triggers
        assert on_postgres.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_log_never_truncated'"
            " AND tgrelid = 'audit_log'::regclass").fetchone()[0] == 1
    finally:
        on_sqlite.close()
        on_postgres.close()


def test_instances_starting_together_migrate_once(postgres_url):
    errors = []

    def start():
        try:
            store.prepare(postgres_url)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = store.connect(postgres_url)
    try:
        applied = store.applied_migrations(db)
        assert applied == store.known_migrations(db)
        assert applied[:2] == ["m031_schema", "m032_audit_log_refuses_deletes"]
        assert db.execute("SELECT count(*) FROM health").fetchone()[0] == 1
    finally:
        db.close()


@pytest.fixture
def pg(postgres_url):
    """A migrated PostgreSQL schema of this test's own, and a connection to it."""
    store.prepare(postgres_url)
    db = store.connect(postgres_url)
    yield db
    db.close()


def test_a_rolled_back_block_leaves_nothing_and_a_nested_one_only_undoes_itself(pg):
    with pytest.raises(ZeroDivisionError), pg.atomic():
        store.save_session(pg, "a", "{}", "2026-01-01", "2026-01-01")
        1 / 0  # noqa: B018
    with pg.atomic():
        store.save_session(pg, "b", "{}", "2026-01-01", "2026-01-01")
        with pytest.raises(ZeroDivisionError), pg.atomic():
            store.save_session(pg, "c", "{}", "2026-01-01", "2026-01-01")
            1 / 0  # noqa: B018
    assert [row[0] for row in pg.execute("SELECT id_hash FROM sessions")] == ["b"]


def _fill_sessions(pg, count):
    pg.executemany("INSERT INTO sessions (id_hash, data, created_at, last_seen)"
                   " VALUES (?, '{}', '', '')", [(f"{n:05d}",) for n in range(count)])


def test_a_download_streams_through_a_server_side_cursor(pg, postgres_url):
    _fill_sessions(pg, 5000)
    rows = pg.stream("SELECT id_hash FROM sessions ORDER BY id_hash")
    assert next(rows) == ("00000",)
    # While the first batch is read, the rest waits on the server. (Seen from another
    # connection: this one is busy with the stream until it ends.)
    other = store.connect(postgres_url)
    try:
        [(query,)] = other.execute("SELECT query FROM pg_stat_activity WHERE pid = ?",
                                   [pg.conn.info.backend_pid]).fetchall()
    finally:
        other.close()
    assert query.startswith("FETCH 20000 FROM stream_")
    assert sum(1 for _ in rows) == 4999
    assert pg.execute("SELECT count(*) FROM pg_cursors").fetchone()[0] == 0


def _usable_and_clean(pg):
    """The connection answers, outside any transaction, with the pool's own timeout."""
    assert pg.execute("SELECT count(*) FROM sessions").fetchone()[0] > 0
    assert pg.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert pg.execute("SHOW statement_timeout").fetchone()[0] == "1min"


def test_a_download_has_a_bounded_timeout_of_its_own(pg):
    _fill_sessions(pg, 3)
    rows = pg.download_rows("SELECT id_hash, current_setting('statement_timeout'), length(?)"
                            " FROM sessions ORDER BY id_hash", ["abc"])
    assert list(rows) == [(f"{n:05d}", "10min", 3) for n in range(3)]
    _usable_and_clean(pg)


def test_a_download_gives_back_the_stored_text_exactly(pg):
    stored = ['{"c": "a\\tb\\\\ \\u00e9"}', "tab\there", "line\r\nnext \\N", "\\", "é ✓", ""]
    pg.executemany("INSERT INTO sessions (id_hash, data, created_at, last_seen)"
                   " VALUES (?, ?, '', '')", [(str(n), text) for n, text in enumerate(stored)])
    rows = pg.download_rows("SELECT data, NULL, 7 FROM sessions ORDER BY id_hash", ())
    assert list(rows) == [(text, None, 7) for text in stored]


def test_a_download_is_read_in_chunks_and_an_abandoned_one_leaves_the_connection_usable(pg):
    _fill_sessions(pg, 5000)
    rows = pg.download_rows("SELECT id_hash FROM sessions ORDER BY id_hash", ())
    assert next(rows) == ("00000",)
    # The server is still sending: the client holds one chunk, not all 5,000 rows.
    assert pg.conn.pgconn.transaction_status == psycopg.pq.TransactionStatus.ACTIVE
    rows.close()  # the client went away: the read is cancelled, its transaction ended
    _usable_and_clean(pg)


def test_a_download_past_its_timeout_stops_and_leaves_the_connection_usable(pg, monkeypatch):
    _fill_sessions(pg, 3)
    monkeypatch.setattr(postgres, "_DOWNLOAD_TIMEOUT", 0.001)
    with pytest.raises(psycopg.errors.QueryCanceled):
        list(pg.download_rows("SELECT id_hash, pg_sleep(0.1) FROM sessions", ()))
    _usable_and_clean(pg)


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_start_up_without_the_server_says_so_without_the_password(monkeypatch, tmp_path):
    url = f"postgresql://feedback:s3cret-password@127.0.0.1:{_closed_port()}/feedback"
    for name, value in {**BASE_ENV, "DATABASE_URL": url,
                        "DATABASE_TIMEOUT_SECONDS": "2"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(store.DatabaseFault) as refused:
        create_app()
    message = str(refused.value)
    assert "cannot be used" in message and "127.0.0.1" in message
    assert "s3cret-password" not in message


def test_healthz_is_503_when_the_database_cannot_be_used(make_app, postgres_url, postgres_run):
    app = make_app(DATABASE_URL=postgres_url)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    schema = re.search(r"search_path%3D(\w+)", postgres_url).group(1)
    postgres_run[0].execute(f"DROP SCHEMA {schema} CASCADE")
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (503, {"status": "unavailable"})


def test_a_request_that_waits_too_long_for_a_connection_gets_a_calm_503(make_app, postgres_url):
    app = make_app(DATABASE_URL=postgres_url, DATABASE_POOL_SIZE="1",
                   DATABASE_TIMEOUT_SECONDS="1")
    held = store.connect(postgres_url)  # the pool's only connection
    try:
        response = app.test_client().get("/r/not-a-real-link")
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "Traceback" not in page and "postgresql" not in page
        assert "Leave this site" in page  # still a victim page, with its quick exit
    finally:
        held.close()
    assert app.test_client().get("/r/not-a-real-link").status_code == 404


def test_health_checks_are_recorded_as_on_sqlite(make_app, postgres_url):
    app = make_app(DATABASE_URL=postgres_url)
    assert app.test_client().get("/healthz").status_code == 200
    db = store.connect(postgres_url)
    try:
        checked = db.execute("SELECT checked_at FROM health").fetchone()[0]
        assert datetime.fromisoformat(checked) > datetime(2026, 1, 1, tzinfo=UTC)
    finally:
        db.close()


def test_pools_are_per_process_and_close(pg, postgres_url):
    pg.close()
    assert [key[1] for key in postgres._pools] == [postgres_url]
    postgres.close_pools()
    assert postgres._pools == {}



def test_a_session_that_cannot_be_read_in_time_is_a_calm_503_not_a_500(make_app, postgres_url):
    app = make_app(DATABASE_URL=postgres_url, DATABASE_POOL_SIZE="1",
                   DATABASE_TIMEOUT_SECONDS="1")
    db = store.connect(postgres_url)
    officer = store.create_user(db, "officer@example.com", "x", "officer", "T", "B",
                                clock.now())
    now = clock.now().replace(microsecond=0)
    link = {"id": new_link_id(), "officer_id": officer, "stage": "at_report",
            "crime_category": "burglary", "team": "T", "borough": "B", "language": "en",
            "channel": "qr", "created_at": now.isoformat(),
            "expires_at": (now + timedelta(days=1)).isoformat()}
    store.create_link(db, link)
    db.close()
    token = issue_token(link["id"], int(now.timestamp()), [app.config["SECRET_KEY"]])
    victim = app.test_client()
    assert victim.get(f"/r/{token}").status_code == 303  # a survey session on the server
    held = store.connect(postgres_url)  # the pool's only connection
    try:
        response = victim.get("/feedback")
        assert response.status_code == 503
        assert "Leave this site" in response.get_data(as_text=True)
    finally:
        held.close()
    assert victim.get("/feedback").status_code == 200  # the session was kept


def test_a_nul_character_postgresql_cannot_store_is_a_400(make_app, postgres_url):
    client = make_app(DATABASE_URL=postgres_url).test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post("/sign-in", data={
        "email": "someone\x00@example.com", "password": "whatever it is",
        "csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
