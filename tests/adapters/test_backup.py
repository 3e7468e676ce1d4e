"""flask db check, flask db backup, and the restore the README describes
(issue 8, defect 8)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feedback.adapters import store
from tests import database_files
from tests.conftest import BASE_ENV, sqlite_environment

pytestmark = pytest.mark.slow  # the flask command run as processes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(sqlite_app):
    """These tests are about SQLite's file: it is used in both test runs."""
    return sqlite_app


@pytest.fixture
def filled(app, db):
    database_files.fill(db)
    return Path(app.config["DATABASE_PATH"])


def contents_of(path):
    db = store.connect(path)
    try:
        return database_files.contents(db)
    finally:
        db.close()


def test_db_check_passes_a_sound_database(runner, filled):
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    assert result.output == f"The database file {filled} passed the integrity check\n"


def test_db_check_finds_damage_that_start_up_lets_through(make_app, runner, filled, db):
    database_files.change_an_index_entry(filled)
    # quick_check at start-up does not compare indexes with tables
    make_app(DATABASE_PATH=str(filled))
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 1
    assert "missing from index responses_week" in result.output
    assert result.output.endswith(f"Error: The database file {filled} is damaged;"
                                  " restore it from a backup, see README\n")


def test_db_backup_copies_every_row_into_a_sound_new_file(runner, filled, db, make_user,
                                                          tmp_path):
    make_user("trainer@example.com", role="trainer")  # still in the WAL, not the file
    target = tmp_path / "backups" / "feedback-2026-11-28.sqlite3"
    target.parent.mkdir()
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Backed up to {target}; the copy passed the integrity check\n"
    assert contents_of(target) == contents_of(filled) == {
        "users": ["officer@example.com", "trainer@example.com"],
        "responses": database_files.RESPONSES}
    copy = store.connect(target)
    assert store.check_integrity(copy) == []
    copy.close()


def test_db_backup_never_overwrites_a_file(runner, filled, tmp_path):
    target = tmp_path / "precious.sqlite3"
    target.write_bytes(b"an older backup")
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 1
    assert f"{target} already exists; choose a new file name" in result.output
    assert target.read_bytes() == b"an older backup"


def test_db_backup_into_a_missing_folder_says_so(runner, filled, tmp_path):
    result = runner.invoke(args=["db", "backup", str(tmp_path / "nowhere" / "copy.sqlite3")])
    assert result.exit_code == 1
    assert "Cannot write" in result.output and "No such file or directory" in result.output


def start_service(path):
    env = {**sqlite_environment(), **BASE_ENV, "DATABASE_PATH": str(path), "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-c", "import app"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_the_readme_restore_brings_every_row_back(runner, filled, db, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["db", "backup", str(backup)]).exit_code == 0
    before = contents_of(filled)
    db.close()
    database_files.overwrite_middle_pages(filled)
    refused = start_service(filled)
    assert (refused.returncode, "is damaged" in refused.stderr) == (1, True)

    # README "Restoring from a backup", with the service stopped:
    shutil.copyfile(backup, filled)
    for leftover in (Path(f"{filled}-wal"), Path(f"{filled}-shm")):
        leftover.unlink(missing_ok=True)
    started = start_service(filled)

    assert (started.returncode, started.stderr) == (0, "")
    assert contents_of(filled) == before == {
        "users": ["officer@example.com"], "responses": database_files.RESPONSES}
