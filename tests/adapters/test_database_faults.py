"""Start-up refuses a damaged database file in one plain sentence, and never
starts an empty service over it (issue 8, defect 8)."""

import subprocess
import sys
from pathlib import Path

import pytest

from feedback.adapters import store
from tests import database_files
from tests.conftest import BASE_ENV, sqlite_environment

pytestmark = pytest.mark.slow  # workers started as processes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(sqlite_app):
    """These tests are about SQLite's file: it is used in both test runs."""
    return sqlite_app


def damaged_sentence(path):
    return (f"My Met Service cannot start: the database file {path} is damaged;"
            " restore it from a backup, see README")


def start_app(path):
    """Import app.py in a new process, as gunicorn and flask do."""
    env = {**sqlite_environment(), **BASE_ENV, "DATABASE_PATH": str(path), "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-c", "import app"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def filled(app, db):
    database_files.fill(db)
    return app.config["DATABASE_PATH"]


@pytest.mark.parametrize("damage", database_files.DAMAGE, ids=lambda d: d.__name__)
def test_start_up_refuses_a_damaged_file_and_leaves_it_as_it_was(make_app, filled, damage):
    damage(filled)
    before = Path(filled).read_bytes()
    with pytest.raises(store.DatabaseDamaged) as refused:
        make_app(DATABASE_PATH=str(filled))
    assert str(refused.value) == (f"the database file {filled} is damaged;"
                                  " restore it from a backup, see README")
    assert Path(filled).read_bytes() == before  # nothing migrated or "repaired" over it


@pytest.mark.parametrize("damage", [database_files.make_empty,
                                    database_files.overwrite_middle_pages],
                         ids=lambda d: d.__name__)
def test_the_service_says_so_in_one_sentence_without_a_traceback(filled, damage):
    damage(filled)
    started = start_app(filled)
    assert started.returncode == 1
    assert started.stderr == damaged_sentence(filled) + "\n"
    assert started.stdout == ""


def test_a_folder_where_the_file_should_be_is_named_plainly(filled):
    database_files.replace_with_folder(filled)
    started = start_app(filled)
    assert started.returncode == 1
    assert started.stderr == (
        f"My Met Service cannot start: the database file {filled} cannot be opened or"
        " written; check that it exists, the service may read and write it, and the disk"
        " has space\n")


def test_a_sound_file_starts_with_every_row_in_place(make_app, filled, db):
    make_app(DATABASE_PATH=str(filled))
    assert database_files.contents(db) == {"users": ["officer@example.com"],
                                           "responses": database_files.RESPONSES}
    assert start_app(filled).returncode == 0


def test_workers_starting_together_on_no_file_create_one_database(tmp_path):
    path = tmp_path / "new.sqlite3"
    env = {**sqlite_environment(), "PYTHONPATH": str(ROOT)}
    script = "import sys; from feedback.adapters import store; store.prepare(sys.argv[1])"
    workers = [subprocess.Popen([sys.executable, "-c", script, str(path)], env=env,
                                stderr=subprocess.PIPE, text=True) for _ in range(6)]
    assert [(w.wait(timeout=60), w.stderr.read()) for w in workers] == [(0, "")] * 6
    db = store.connect(path)
    applied = [m.name for m in store.migrations.applied(db)]
    assert applied == [m.name for m in store.migrations._migrations]  # each once, in order
    assert store.check_integrity(db) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".new") == []
