"""/healthz reads and writes the database as a request would, and says 503 when it
cannot (issue 8, defect 8: it said 200 with the disk full and the file damaged)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from feedback.adapters import store
from tests import database_files
from tests.conftest import BASE_ENV, sqlite_environment

ROOT = Path(__file__).resolve().parents[2]


def checked_at(db):
    return db.execute("SELECT checked_at FROM health").fetchone()[0]


def test_healthz_writes_to_the_database_and_says_ok(client, db):
    before = checked_at(db)
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    assert checked_at(db) > before


def test_healthz_is_503_when_the_file_is_no_longer_a_database(sqlite_app):
    app, client = sqlite_app, sqlite_app.test_client()
    db = store.connect(app.config["DATABASE_PATH"])
    database_files.settle(db)
    database_files.replace_with_text(app.config["DATABASE_PATH"])
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (503, {"status": "unavailable"})
    assert app.config["DATABASE_PATH"] not in response.get_data(as_text=True)


def test_healthz_is_503_when_the_file_is_gone_and_creates_no_empty_one(sqlite_app):
    app, client = sqlite_app, sqlite_app.test_client()
    path = Path(app.config["DATABASE_PATH"])
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.unlink(missing_ok=True)
    assert client.get("/healthz").status_code == 503
    assert not path.exists()


# Runs as root of a private mount namespace, so it can mount a 4 MiB tmpfs,
# and fill it, without touching the machine's own mounts.
DISK_SCENARIO = """
import json, os, subprocess, sys
from datetime import timedelta
disk = sys.argv[1]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk], check=True)
path = os.environ["DATABASE_PATH"] = os.path.join(disk, "feedback.sqlite3")
from feedback.domain import clock
from feedback import create_app
from feedback.adapters import store
app = create_app({"SESSION_COOKIE_SECURE": False})
client = app.test_client()
running = store.connect(path)  # as a worker's connection, open before the disk fills
seen = {"room to spare": client.get("/healthz").status_code}
filler = os.open(os.path.join(disk, "filler"), os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(filler, bytes(4096))
except OSError as error:
    seen["filling stopped by"] = error.strerror
seen["disk full"] = client.get("/healthz").status_code
# A minute later (the clock is pinned): a write of a new time, as in real use.
later = clock.now() + timedelta(minutes=1)
seen["disk full, SQLite says"] = store.probe_health(path, later, min_free_bytes=0)
copy = os.path.join(disk, "backup.sqlite3")
backup = app.test_cli_runner().invoke(args=["db", "backup", copy])
seen["db backup on a full disk"] = [backup.exit_code, backup.output.splitlines()[-1],
                                    os.path.exists(copy)]
os.close(filler)
os.unlink(os.path.join(disk, "filler"))
seen["space freed"] = client.get("/healthz").status_code
print(json.dumps(seen))
"""


@pytest.mark.slow  # a process in a mount namespace
def test_healthz_is_503_on_a_full_disk_and_a_backup_there_fails_cleanly(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {**sqlite_environment(), **BASE_ENV, "LOG_LEVEL": "CRITICAL",
           "PYTHONPATH": str(ROOT)}
    ran = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount",
         sys.executable, "-c", DISK_SCENARIO, str(disk)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout)
    # Without the free-space floor SQLite itself fails on the full disk (here while
    # growing the WAL or its index): the probe's write is real.
    assert seen.pop("disk full, SQLite says").startswith("OperationalError: ")
    assert seen == {"room to spare": 200, "filling stopped by": "No space left on device",
                    "disk full": 503, "db backup on a full disk": [1, (
                        "Error: The backup failed (OperationalError: database or disk is"
                        f" full); {disk}/backup.sqlite3 was removed"), False],
                    "space freed": 200}
