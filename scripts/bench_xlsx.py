"""Measure by hand (not in tests): the response-level file as an Excel workbook,
next to the same file as CSV, at 100,000 and 1,000,000 responses of one survey in
one quarter: time per 100,000 rows, the file's size, and the process's peak
resident memory (RSS) before and after writing it.

    .venv/bin/python scripts/bench_xlsx.py [--counts 100000 1000000]
                                           [--engines sqlite postgresql]

Each step runs in a process of its own, so one step's memory is not another's
peak: filling the database, then each file written once into a temporary file
(as the download does) in a fresh process. Peak RSS is the kernel's high-water
mark (getrusage ru_maxrss); "before" is after start-up and reading the release,
so the difference is what writing the file added. PostgreSQL is the server
scripts/bench.py uses (BENCH_POSTGRES_URL), a fresh database dropped at the end.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUARTER = "2026-Q3"


def environment(tmp, name, url):
    """The settings every step of one measurement runs with."""
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": "b" * 48,
           "LOG_LEVEL": "WARNING", "BASE_URL": "https://feedback.example.test",
           "DATABASE_PATH": str(Path(tmp) / f"{name}.sqlite3")}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    return env


def fill_step(count):
    from bench_insights import fill  # scripts/bench_insights.py

    from feedback import create_app
    fill(create_app(), count, date(2026, 7, 1), date(2026, 9, 24), stages=["at_report"])


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_step(kind):
    """Write the file once into a temporary file; print what it took, as JSON."""
    from feedback import create_app
    from feedback.usecases import reporting
    from feedback.web import i18n
    from feedback.web.db import open_db
    from feedback.web.views.trainer import CHANNELS
    app = create_app()
    config = app.config
    survey = config["SURVEYS"]["at_report"]
    settings = {"k": config["MIN_GROUP_SIZE"], "l": config["MIN_DISTINCT_RATINGS"]}
    labels = {"channel": CHANNELS, "language": i18n.LANGUAGES}
    with open_db(config) as db, tempfile.TemporaryFile() as file:
        release = reporting.export_release(db, survey, QUARTER)
        before = peak_rss_mib()
        started = time.perf_counter()
        if kind == "xlsx":
            reporting.export_workbook(db, survey, QUARTER, release, settings, labels, file)
        else:
            for chunk in reporting.export_chunks(db, survey, QUARTER, release):
                file.write(chunk.encode("utf-8"))
        seconds = time.perf_counter() - started
        size = file.seek(0, os.SEEK_END)
    print(json.dumps({"rows": release.kept, "seconds": seconds, "bytes": size,
                      "rss_before": before, "rss_peak": peak_rss_mib()}))


def step(env, *arguments):
    done = subprocess.run([sys.executable, __file__, *arguments], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def measure(tmp, engine, count):
    from bench import postgres_database  # scripts/bench.py
    database = postgres_database() if engine == "postgresql" else nullcontext()
    with database as url:
        env = environment(tmp, f"xlsx-{count}", url)
        started = time.perf_counter()
        step(env, "--step", "fill", str(count))
        print(f"  {engine}, {count:,} responses stored in {time.perf_counter() - started:.0f} s")
        for kind in ("csv", "xlsx"):
            found = json.loads(step(env, "--step", kind))
            per = found["seconds"] / found["rows"] * 100_000
            print(f"    {kind}: {found['rows']:,} rows in {found['seconds']:.1f} s"
                  f" ({per:.1f} s per 100,000 rows), {found['bytes'] / 2**20:.0f} MiB;"
                  f" peak RSS {found['rss_before']:.0f} MiB before, {found['rss_peak']:.0f}"
                  f" MiB after (+{found['rss_peak'] - found['rss_before']:.0f} MiB)",
                  flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", nargs="+", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", choices=("sqlite", "postgresql"),
                        default=["sqlite"])
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        kind, *rest = options.step
        fill_step(int(rest[0])) if kind == "fill" else write_step(kind)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for engine in options.engines:
            for count in options.counts:
                measure(tmp, engine, count)


if __name__ == "__main__":
    main()
