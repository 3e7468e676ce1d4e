"""Measure by hand (not in tests): `make bench` or `.venv/bin/python scripts/bench.py`.

On each engine, SQLite (no Redis) and PostgreSQL with Redis:
1. Survey page requests/s under gunicorn (Procfile settings) next to a one-line
   Flask app on the same settings, loaded with wrk on 127.0.0.1, and the CPU time
   each server's processes spent a request (from /proc): wrk runs on the same
   machine, so this says how much of the gap is the server's own work.
2. Submitted surveys/s: links opened beforehand, one client session each, then
   every survey sent at once from 16 threads.
Then QR code render time, uncached and cached.
The dashboard and the CSV export are measured by scripts/bench_insights.py.
`--engines sqlite` or `--engines postgresql` runs one engine only; `--sections pages`
or `--sections submits` one of the two measures.
PostgreSQL and Redis are the ones on 127.0.0.1 the tests use (BENCH_POSTGRES_URL,
BENCH_REDIS_URL to change them); each run has a database and key prefix of its own,
removed at the end.

The service's tables are written and read through its store (links created, answers
counted). postgres_database and redis_prefix use the drivers directly: they make
and remove the scratch database and keys the bench runs in, which the service
itself never does.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--threads", "4"]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL + Redis"}
AT_REPORT_ANSWERS = {
    "ease_of_contact": "very_satisfied", "understood": "yes", "treated_fairly": "fairly_satisfied",
    "told_about_support": "no", "overall": "fairly_dissatisfied",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_database():
    """A fresh database on the bench's PostgreSQL server, dropped at the end: its URL."""
    import psycopg
    name = f"bench_{secrets.token_hex(4)}"
    try:
        conn = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        sys.exit(f"PostgreSQL does not answer at {POSTGRES_URL} (set BENCH_POSTGRES_URL,"
                 " run make deps, or bench SQLite alone with --engines sqlite)")
    with conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
                     " LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        from feedback.adapters.store import postgres
        postgres.close_pools()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@contextmanager
def redis_prefix():
    """A key prefix of the bench's own on the Redis server; its keys deleted at the end."""
    import redis
    prefix = f"bench-{secrets.token_hex(4)}:"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=prefix + "*", count=1000):
            client.delete(key)
        client.close()


@contextmanager
def engine_environment(engine, tmp):
    """The server's environment for one engine. The per-address limits are raised:
    every client here comes from 127.0.0.1."""
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": "b" * 48,
           "BASE_URL": "https://feedback.example.test", "LOG_LEVEL": "WARNING",
           "DATABASE_PATH": str(Path(tmp) / f"bench-{engine}.sqlite3"),
           "RATE_LIMIT_LINK_OPEN": "100000/10", "RATE_LIMIT_SURVEY_POST": "100000/10"}
    for name in ("DATABASE_URL", "REDIS_URL", "REDIS_KEY_PREFIX"):
        env.pop(name, None)
    if engine == "sqlite":
        yield env
        return
    with postgres_database() as url, redis_prefix() as prefix:
        yield {**env, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix}


def serve(target, env, cwd):
    port = free_port()
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", target], env=env,
                               cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            # Gunicorn listens before its workers have loaded the app: wait for one.
            requests.get(base + "/", timeout=30)
            return process, base
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


@contextmanager
def servers(env):
    """The one-line app and the service, both up for the whole engine's run: for each,
    (its base URL, its gunicorn process)."""
    hello, hello_base = serve("hello_app:app", env, ROOT / "scripts")
    try:
        survey, survey_base = serve("app:app", env, ROOT)
        try:
            yield (hello_base, hello), (survey_base, survey)
        finally:
            survey.terminate()
            survey.wait()
    finally:
        hello.terminate()
        hello.wait()


def cpu_seconds(process):
    """The CPU time (user and system) a gunicorn arbiter and its workers have used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                              text=True).stdout.split()
    total = 0
    for pid in [str(process.pid), *children]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def load(server, path, cookie=None, seconds=5):
    """(requests/s, the server's CPU µs a request) of one wrk run against server."""
    base, process = server
    before = cpu_seconds(process)
    rate = wrk(base + path, cookie, seconds)
    return rate, (cpu_seconds(process) - before) / (rate * seconds) * 1e6


def wrk(url, cookie=None, seconds=5):
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} failed requests:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def create_links(config, count):
    """count fresh at-report links of a bench officer, as tokens."""
    from feedback.adapters import store
    from feedback.domain.links import issue_token, new_link_id
    from feedback.web.db import open_db
    created = datetime.now(UTC).replace(microsecond=0)
    issued = int(created.timestamp())
    link = {"stage": "at_report", "crime_category": "theft", "team": "T", "borough": "B",
            "language": "en", "channel": "qr", "created_at": created.isoformat(),
            "expires_at": (created + timedelta(days=28)).isoformat()}
    tokens = []
    with open_db(config) as db, db.atomic():
        officer = store.create_user(db, f"bench-{secrets.token_hex(4)}@example.com", "x",
                                    "officer", "T", "B", datetime.now(UTC))
        for _ in range(count):
            link_id = new_link_id()
            store.create_link(db, {**link, "id": link_id, "officer_id": officer})
            tokens.append(issue_token(link_id, issued, [config["SECRET_KEY"]]))
    return tokens


def open_survey(base, token):
    """A victim's session with the survey open: (session, the form's CSRF token)."""
    session = requests.Session()
    opened = session.get(f"{base}/r/{token}", allow_redirects=False)
    if opened.status_code != 303:
        raise RuntimeError(f"opening a link gave {opened.status_code}")
    page = session.get(base + "/feedback")
    if page.status_code != 200:
        raise RuntimeError(f"the survey page gave {page.status_code}")
    return session, re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def submit(base, opened):
    session, csrf_token = opened
    response = session.post(base + "/feedback", data={**AT_REPORT_ANSWERS,
                                                      "csrf_token": csrf_token},
                            allow_redirects=False)
    session.close()
    return response.status_code


def count_responses(config):
    """Stored answers: released ones and those still held for a batch
    (feedback/usecases/responding.py), which a round's last few usually are. Two
    reads are enough: they are taken while no survey is being submitted."""
    from feedback.adapters import store
    from feedback.web.db import open_db
    with open_db(config) as db:
        return store.count_responses(db) + store.count_held(db)


def bench_submits(config, base, links=1000, rounds=3, threads=16):
    """Submitted surveys/s, one sample a round: links opened first (not timed),
    then all sent from `threads` threads. Every post must be a 303, and the
    database must hold one more response for each."""
    samples = []
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(rounds):
            tokens = create_links(config, links)
            opened = list(pool.map(lambda token: open_survey(base, token), tokens))
            before = count_responses(config)
            started = time.perf_counter()
            statuses = list(pool.map(lambda survey: submit(base, survey), opened))
            seconds = time.perf_counter() - started
            failed = len([status for status in statuses if status != 303])
            stored = count_responses(config) - before
            if failed or stored != links:
                raise RuntimeError(f"{failed} of {links} submits failed; {stored} stored")
            samples.append(links / seconds)
    return samples


def bench_engine(config, hello, survey, sections, rounds=5, seconds=5):
    """wrk alternates between the two servers so that a noisy neighbour on a
    shared machine hits both alike. Medians of the rounds."""
    samples = {}
    if "pages" in sections:
        samples.update(bench_pages(config, hello, survey, rounds, seconds))
    if "submits" in sections:
        samples["submit"] = bench_submits(config, survey[0])
    return samples


def bench_pages(config, hello, survey, rounds, seconds):
    """Requests/s of each server, and the CPU time its processes spent a request: wrk
    shares the machine, so the second says where a server's time goes."""
    [token] = create_links(config, 1)
    session, _ = open_survey(survey[0], token)
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    load(hello, "/", seconds=2)
    load(survey, "/feedback", cookie, seconds=2)
    samples = {"hello": [], "survey": [], "hello_cpu_us": [], "survey_cpu_us": []}
    for _ in range(rounds):
        for name, server, path, sent in (("hello", hello, "/", None),
                                         ("survey", survey, "/feedback", cookie)):
            rate, cpu = load(server, path, sent, seconds)
            samples[name].append(rate)
            samples[f"{name}_cpu_us"].append(cpu)
    return samples


def bench_qr():
    from feedback.adapters import qr
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


def report(name, samples):
    parts = []
    if "survey" in samples:
        hello, survey = statistics.median(samples["hello"]), statistics.median(samples["survey"])
        # Each round runs the two back to back, so a round's own ratio is free of
        # the machine's slower and faster spells, which move the medians apart.
        paired = sorted(s / h for s, h in zip(samples["survey"], samples["hello"], strict=True))
        parts.append(f"survey page {survey:.0f} req/s; one-line hello app {hello:.0f} req/s;"
                     f" ratio {survey / hello:.2f} (round by round: median"
                     f" {statistics.median(paired):.2f}, {paired[0]:.2f} to {paired[-1]:.2f});"
                     " server CPU a request: survey page"
                     f" {statistics.median(samples['survey_cpu_us']):.0f} µs, hello app"
                     f" {statistics.median(samples['hello_cpu_us']):.0f} µs")
    if "submit" in samples:
        parts.append(f"submitted surveys {statistics.median(samples['submit']):.0f}/s")
    print(f"{name}: " + "; ".join(parts))
    for key, values in samples.items():
        print(f"  samples {key}:", " ".join(f"{x:.0f}" for x in values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--sections", nargs="+", choices=("pages", "submits"),
                        default=["pages", "submits"])
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it)")
    from feedback.config import from_environment
    print("Pages: medians of 5 alternating 5 s wrk -t2 -c16 runs; submits: medians of 3"
          " rounds of 1,000 links posted from 16 threads; gunicorn 2 workers x 4 threads,"
          " as in the Procfile")
    with tempfile.TemporaryDirectory() as tmp:
        for engine in options.engines:
            with engine_environment(engine, tmp) as env, servers(env) as (hello, survey):
                report(ENGINES[engine], bench_engine(from_environment(tmp, env), hello, survey,
                                                     options.sections))
    uncached, cached = bench_qr()
    print(f"QR PNG: {uncached * 1000:.1f} ms uncached, {cached * 1e6:.2f} µs cached")


if __name__ == "__main__":
    main()
