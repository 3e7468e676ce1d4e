import random
from datetime import date

import pytest

from feedback.adapters import store
from feedback.adapters.store.links import insert_responses
from feedback.domain import sample_data
from feedback.domain.surveys import RESPONSE_FIELDS
from tests.stored import column_names


@pytest.fixture
def sqlite_db(sqlite_app):
    db = store.connect(sqlite_app.config["DATABASE_PATH"])
    yield db
    db.close()


def test_the_response_table_has_exactly_the_allowed_columns(db):
    # Adding a column here is a privacy decision: change docs/anonymity.md first.
    columns = column_names(db, "responses")
    assert columns == ["id", "survey_id", "survey_version", "stage", "team", "borough",
                       "crime_category", "channel", "language", "week", "answers",
                       "free_text"]
    assert tuple(columns) == RESPONSE_FIELDS


def test_responses_loaded_in_bulk_are_stored_as_one_at_a_time(app, db):
    records = list(sample_data.responses(random.Random(1), app.config["SURVEYS"], 25,
                                         date(2026, 7, 1), date(2026, 9, 24)))
    store.load_responses(db, records, batch=10)  # three batches on SQLite
    loaded = list(db.query("SELECT * FROM responses ORDER BY id"))
    db.execute("DELETE FROM responses")
    with db.atomic():
        insert_responses(db, records)
    assert len(loaded) == 25
    assert list(db.query("SELECT * FROM responses ORDER BY id")) == loaded


def test_responses_have_no_rowid_so_storage_order_reveals_nothing(sqlite_db):
    sql = next(sqlite_db.query("SELECT sql FROM sqlite_master WHERE name = 'responses'"))["sql"]
    assert sql.rstrip().endswith("WITHOUT ROWID")


def test_links_record_that_they_were_used_but_not_when(db):
    columns = set(column_names(db, "links"))
    assert "used" in columns
    assert not {c for c in columns if "used_at" in c or "completed" in c or "opened_at" in c}


def test_the_connection_is_durable_and_checks_foreign_keys(sqlite_db):
    db = sqlite_db
    assert next(db.query("PRAGMA journal_mode"))["journal_mode"] == "wal"
    assert next(db.query("PRAGMA synchronous"))["synchronous"] == 2  # FULL
    assert next(db.query("PRAGMA foreign_keys"))["foreign_keys"] == 1
    assert next(db.query("PRAGMA busy_timeout"))["timeout"] == 10000


def test_migrations_are_recorded_and_running_them_again_changes_nothing(app, runner, db):
    applied = store.applied_migrations(db)
    assert applied and applied == store.known_migrations(db)  # every one, in order
    runner.invoke(args=["db", "upgrade"])  # the first since start-up
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    # It says which database, and what state it is in.
    assert f"is up to date: {len(applied)} migrations, the newest {applied[-1]}" in result.output
    assert ("SQLite file" in result.output) or ("PostgreSQL 127.0.0.1" in result.output)
    assert "password" not in result.output
    assert store.applied_migrations(db) == applied


def test_db_upgrade_on_a_new_file_says_it_created_it(make_app, tmp_path):
    path = tmp_path / "new" / "feedback.sqlite3"
    app = make_app(DATABASE_PATH=str(path))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Created a new database (SQLite file {path}) with all")
    assert path.exists()
    # Said once, by the start-up that created it; then the file is up to date.
    again = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert again.exit_code == 0 and "is up to date" in again.output, again.output


def test_purge_deletes_only_what_is_past_retention(db, make_link, runner):
    old, _ = make_link(created_at="2020-01-01T00:00:00+00:00")
    new, _ = make_link()
    store.insert_response(db, {"id": "o" * 32, "survey_id": "at-report", "survey_version": 1,
                               "stage": "at_report", "team": "T", "borough": "B",
                               "crime_category": "theft", "channel": "qr", "language": "en",
                               "week": "2020-W01", "answers": {}, "free_text": {}})
    store.insert_response(db, {"id": "n" * 32, "survey_id": "at-report", "survey_version": 1,
                               "stage": "at_report", "team": "T", "borough": "B",
                               "crime_category": "theft", "channel": "qr", "language": "en",
                               "week": "2099-W01", "answers": {}, "free_text": {}})
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "1 links, 1 responses" in result.output
    assert [r["id"] for r in db.query("SELECT id FROM links")] == [new["id"]]
    assert [r["id"] for r in db.query("SELECT id FROM responses")] == ["n" * 32]


def test_a_link_token_typed_in_capitals_is_redacted_from_log_lines_too():
    from feedback.web import logsafety
    line = logsafety.redact('"GET /R/jmPcquuLoPxBuuRj.awstew.iZRxPqQGKwfuaXf HTTP/1.1" 404')
    assert line == '"GET /R/[token] HTTP/1.1" 404'


def test_purge_deletes_expired_rate_limit_counters(db, runner):
    db.execute("INSERT INTO rate_limits (name, key, window_start, hits, expires)"
               " VALUES ('link_open', 'old', 0, 1, 10), ('link_open', 'new', 0, 1, 9999999999)")
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert [row["key"] for row in db.query("SELECT key FROM rate_limits")] == ["new"]
    assert store.count_rate_limits(db) == 1


def test_a_session_that_changed_nothing_is_touched_not_rewritten(db):
    store.save_session(db, "h", '{"link_id": "x"}', "2026-01-01T00:00:00", "2026-01-01T00:00:00")
    store.save_session(db, "h", '{"answered": true}', "2026-01-01T00:00:00", "2026-01-01T00:01:00")
    store.touch_session(db, "h", "2026-01-01T00:05:00")  # a stale request's view of it
    [row] = db.query("SELECT data, last_seen FROM sessions")
    assert row == {"data": '{"answered": true}', "last_seen": "2026-01-01T00:05:00"}
