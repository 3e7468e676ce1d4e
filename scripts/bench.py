"""Measure by hand (not in tests): `make bench` or `.venv/bin/python scripts/bench.py`.

1. Survey page requests/s under gunicorn (Procfile settings) next to a one-line
   Flask app on the same settings, loaded with wrk on 127.0.0.1.
2. QR code render time, uncached and cached.
The dashboard and the CSV export are measured by scripts/bench_insights.py.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--threads", "4"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(tmp):
    return {**os.environ, "APP_ENV": "development", "SECRET_KEY": "b" * 48,
            "BASE_URL": "https://feedback.example.test", "LOG_LEVEL": "WARNING",
            "DATABASE_PATH": str(Path(tmp) / "bench.sqlite3")}


def serve(target, env, cwd):
    port = free_port()
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", target], env=env,
                               cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(base + "/", timeout=1)
            return process, base
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


def wrk(url, cookie=None, seconds=5):
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: session={cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} failed requests:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def survey_session(app, base):
    from feedback import store
    from feedback.links import issue_token, new_link_id
    db = store.connect(app.config["DATABASE_PATH"])
    officer = store.create_user(db, "bench@example.com", "x", "officer", "T", "B",
                                datetime.now(UTC))
    created = datetime.now(UTC).replace(microsecond=0)
    link_id = new_link_id()
    store.create_link(db, {"id": link_id, "officer_id": officer, "stage": "at_report",
                           "crime_category": "theft", "team": "T", "borough": "B",
                           "language": "en", "channel": "qr", "created_at": created.isoformat(),
                           "expires_at": (created + timedelta(days=28)).isoformat()})
    token = issue_token(link_id, int(created.timestamp()), [app.config["SECRET_KEY"]])
    session = requests.Session()
    session.get(f"{base}/r/{token}", allow_redirects=False)
    assert session.get(base + "/feedback").status_code == 200
    return session.cookies["session"]


def bench_pages(app, env, rounds=5, seconds=5):
    """Both servers up at once; wrk alternates between them so that a noisy
    neighbour on a shared machine hits both alike. Medians of the rounds."""
    hello, hello_base = serve("hello_app:app", env, ROOT / "scripts")
    survey, survey_base = serve("app:app", env, ROOT)
    try:
        cookie = survey_session(app, survey_base)
        wrk(hello_base + "/", seconds=2)
        wrk(survey_base + "/feedback", cookie, seconds=2)
        samples = {"hello": [], "survey": []}
        for _ in range(rounds):
            samples["hello"].append(wrk(hello_base + "/", seconds=seconds))
            samples["survey"].append(wrk(survey_base + "/feedback", cookie, seconds=seconds))
    finally:
        for process in (hello, survey):
            process.terminate()
            process.wait()
    return samples


def bench_qr():
    from feedback import qr
    url = "https://feedback.example.test/r/" + "A" * 16 + ".aBcDeF." + "x" * 43
    runs = 50
    started = time.perf_counter()
    for _ in range(runs):
        qr.png.cache_clear()
        qr.png(url)
    uncached = (time.perf_counter() - started) / runs
    qr.png(url)
    started = time.perf_counter()
    for _ in range(10_000):
        qr.png(url)
    cached = (time.perf_counter() - started) / 10_000
    return uncached, cached


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    tmp = tempfile.mkdtemp()
    env = environment(tmp)
    os.environ.update(env)
    from feedback import create_app
    app = create_app()
    samples = bench_pages(app, env)
    hello, survey = statistics.median(samples["hello"]), statistics.median(samples["survey"])
    print(f"survey page: {survey:.0f} req/s; one-line hello app: {hello:.0f} req/s; "
          f"ratio {survey / hello:.2f} (medians of {len(samples['hello'])} alternating "
          "5 s wrk -t2 -c16 runs; gunicorn 2 workers x 4 threads, as in the Procfile)")
    print("  samples hello:", " ".join(f"{x:.0f}" for x in samples["hello"]),
          "| survey:", " ".join(f"{x:.0f}" for x in samples["survey"]))
    uncached, cached = bench_qr()
    print(f"QR PNG: {uncached * 1000:.1f} ms uncached, {cached * 1e6:.2f} µs cached")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
