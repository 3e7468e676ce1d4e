"""What a victim's phone downloads on a first visit to the survey (run by hand).

Serves the app under gunicorn as the Procfile does, opens a fresh link in Debian's
Chromium (Playwright, a phone-sized window, empty cache) and adds up, for every
request the visit makes, the bytes on the wire as the browser counts them: response
headers plus the encoded (compressed) body. The goal is 10 KB (10,240 bytes).

Usage: .venv/bin/python scripts/page_transfer.py
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.adapters import store  # noqa: E402
from feedback.domain.links import issue_token, new_link_id  # noqa: E402
from scripts.bench import GUNICORN, engine_environment, free_port  # noqa: E402

GOAL = 10 * 1024
PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


def serve(env):
    port = free_port()
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", "app:app"], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a busy machine can take a while to start workers
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/healthz", timeout=5)
            return process, base
        except requests.RequestException:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the app did not start within 2 minutes")


def make_link(env, stage, language):
    db = store.connect(env["DATABASE_PATH"])
    try:
        store.upgrade(db)
        officer = store.create_user(db, f"{new_link_id()}@example.test", "x", "officer",
                                    "Response Team 1", "Camden", datetime.now(UTC))
        created = datetime.now(UTC).replace(microsecond=0)
        link = {"id": new_link_id(), "officer_id": officer, "stage": stage,
                "crime_category": "burglary", "team": "Response Team 1", "borough": "Camden",
                "language": language, "channel": "qr", "created_at": created.isoformat(),
                "expires_at": (created + timedelta(days=28)).isoformat()}
        store.create_link(db, link)
    finally:
        db.close()
    return "/r/" + issue_token(link["id"], int(created.timestamp()), [env["SECRET_KEY"]])


def first_visit(browser, url, encoding=None):
    """[(path, status, headers bytes, encoded body bytes, encoding)] for one visit.
    encoding: an Accept-Encoding to send instead of the browser's own."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    context = browser.new_context(**PHONE, extra_http_headers=headers)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    rows = []
    for request in finished:
        sizes, response = request.sizes(), request.response()
        path = request.url.split("/", 3)[3].split("?")[0]
        rows.append(("/" + path, response.status, sizes["responseHeadersSize"],
                     sizes["responseBodySize"], response.headers.get("content-encoding", "-")))
    context.close()
    return rows


def main():
    with tempfile.TemporaryDirectory() as tmp, engine_environment("sqlite", tmp) as env:
        server, base = serve(env)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=["--no-sandbox"])
                for stage in ("at_report", "during_investigation", "at_outcome"):
                    for language in ("en", "pl", "ro", "ar"):
                        report(f"{stage} ({language})", first_visit(
                            browser, base + make_link(env, stage, language)))
                # A browser that does not offer brotli (plain http, older ones).
                report("during_investigation (ar), gzip only", first_visit(
                    browser, base + make_link(env, "during_investigation", "ar"), "gzip"))
                browser.close()
        finally:
            server.terminate()
            server.wait()


def report(name, rows):
    total = sum(headers + body for _, _, headers, body, _ in rows)
    print(f"\n{name}: {total:,} bytes, "
          f"{'within' if total <= GOAL else 'OVER'} the {GOAL:,}-byte goal")
    for path, status, headers, body, encoding in rows:
        print(f"  {status} {path[:40]:40} headers {headers:5,}  body {body:6,}  {encoding}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
