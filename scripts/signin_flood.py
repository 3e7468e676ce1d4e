"""Measure by hand (not in tests): `.venv/bin/python scripts/signin_flood.py [SECONDS]`.

The adversarial test's load: 16 parallel loops of wrong-password sign-ins from one
address against gunicorn as the Procfile runs it, while /healthz is timed every
0.2 s. Prints /healthz latency (median, 95th percentile, worst) at rest and under
the load, how the sign-ins were answered, and how many rate-limit counters and audit
entries the database then holds (read through the store). Sessions are not counted:
a sign-in page keeps its visitor's session in a signed cookie, never a row
(tests/web/test_sessions.py).
"""

import collections
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from feedback.adapters import store  # noqa: E402
from feedback.adapters.store import audit  # noqa: E402
from feedback.domain import accounts  # noqa: E402
from scripts.bench import GUNICORN, engine_environment, free_port  # noqa: E402


def health_times(base, seconds):
    times, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.perf_counter()
        requests.get(base + "/healthz", timeout=60)
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.2)
    return times


def describe(times):
    times = sorted(times)
    return (f"median {statistics.median(times):.0f} ms, p95 {times[int(len(times) * .95)]:.0f} ms,"
            f" worst {times[-1]:.0f} ms ({len(times)} requests)")


def flood(base, stop, answers):
    session = requests.Session()
    while not stop.is_set():
        page = session.get(base + "/sign-in", timeout=60).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = session.post(base + "/sign-in", allow_redirects=False, timeout=60, data={
            "email": "officer@example.com", "password": "a wrong password", "csrf_token": token})
        answers[response.status_code] += 1


def main(seconds):
    with tempfile.TemporaryDirectory() as tmp, engine_environment("sqlite", tmp) as env:
        db = store.connect(env["DATABASE_PATH"])
        store.upgrade(db)
        store.create_user(db, "officer@example.com", accounts.hash_password("x" * 20),
                          "officer", "T", "B", __import__("datetime").datetime.now())
        port = free_port()
        server = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", "app:app"],
                                  cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            time.sleep(3)
            print("at rest:     ", describe(health_times(base, 5)))
            stop, answers = threading.Event(), collections.Counter()
            loops = [threading.Thread(target=flood, args=(base, stop, answers))
                     for _ in range(16)]
            for loop in loops:
                loop.start()
            print("16 loops:    ", describe(health_times(base, seconds)))
            stop.set()
            for loop in loops:
                loop.join()
            print("sign-ins answered:", dict(answers))
            print(f"rate_limits rows: {store.count_rate_limits(db)}")
            print(f"audit_log rows: {audit.count_audit(db, {})}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
