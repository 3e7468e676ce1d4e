"""A database file with data in it, and the ways such a file gets damaged."""

import os
import random
from pathlib import Path

from feedback.adapters import store
from feedback.domain import clock
from tests.conftest import _HASH

RESPONSES = 1500
PAGE = 4096


def fill(db):
    """Accounts and responses spread over a few hundred pages; then everything is
    folded from the WAL into the main file, so damage there is damage to data."""
    store.create_user(db, "officer@example.com", _HASH, "officer", "Response Team 1",
                      "Camden", clock.now())
    with db.atomic():
        for n in range(RESPONSES):
            store.insert_response(db, {
                "id": f"{n:032x}", "survey_id": "at-report", "survey_version": 1,
                "stage": "at_report", "team": "Response Team 1", "borough": "Camden",
                "crime_category": "burglary", "channel": "qr", "language": "en",
                "week": f"2026-W{n % 50 + 1:02d}", "answers": {"overall": "very_satisfied"},
                "free_text": {"anything_else": f"answer number {n} " * 8}})
    settle(db)


def settle(db):
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def contents(db):
    return {"users": [u["email"] for u in store.fetch_users(db)],
            "responses": store.count_responses(db)}


def make_empty(path):
    os.truncate(path, 0)


def cut_in_half(path):
    os.truncate(path, os.path.getsize(path) // 2 // PAGE * PAGE)


def cut_mid_page(path):
    os.truncate(path, os.path.getsize(path) - 1000)


def overwrite_middle_pages(path):
    middle = os.path.getsize(path) // PAGE // 2
    with open(path, "r+b") as file:
        file.seek(middle * PAGE)
        file.write(random.Random(8).randbytes(4 * PAGE))


def overwrite_header(path):
    with open(path, "r+b") as file:
        file.write(b"\0" * 100)


def replace_with_text(path):
    Path(path).write_text("id,week,answer\n1,2026-W01,yes\n" * 200)


def replace_with_folder(path):
    os.unlink(path)
    os.mkdir(path)


DAMAGE = [make_empty, cut_in_half, cut_mid_page, overwrite_middle_pages, overwrite_header,
          replace_with_text]


def change_an_index_entry(path):
    """Change one response id inside the week index: every page stays well formed
    (quick_check passes) but the index no longer matches the table."""
    db = store.connect(path)
    pages = [row[0] for row in db.execute(
        "SELECT pageno FROM dbstat WHERE name = 'responses_week' AND pagetype = 'leaf'"
        " ORDER BY pageno")]
    db.close()
    with open(path, "r+b") as file:
        file.seek((pages[len(pages) // 2] - 1) * PAGE)
        page = bytearray(file.read(PAGE))
        last_of_id = page.index(b"2026-W") + len("2026-W01") + 31
        page[last_of_id] = ord("z")
        file.seek((pages[len(pages) // 2] - 1) * PAGE)
        file.write(page)
