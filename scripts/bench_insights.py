"""Measure by hand (not in tests): `make bench` runs this after scripts/bench.py.

On SQLite, then on PostgreSQL (a fresh database per measurement on the server
scripts/bench.py uses, dropped at the end):
1. Dashboard render time (the whole page, in-process through the test client) at
   100,000 and 1,000,000 stored responses spread over two years.
2. The response-level export against the engine's own CSV dump (`sqlite3 -csv`,
   `psql` COPY ... TO STDOUT) over the same rows, and peak Python memory
   (tracemalloc, a run of its own) at 200,000 and 1,000,000 rows.
3. The comments page at 100,000 responses, their comments all different: its first view,
   when every comment of the period is tagged with its themes (the encoder reading two
   at a time), and the views after it, when the tags are remembered.
Before them, how much of the data the export keeps at several force sizes.
`--engines` and `--sections` choose what runs, e.g. `--engines postgresql --sections export`.

The data is written and read through the service's own functions
(store.load_responses, the use cases). The one SQL statement here is the yardstick:
csv_dump_command's query, run by `sqlite3` or `psql` outside the service, is what
the export is compared against, so it stays plain SQL on purpose.
"""

import argparse
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path

from bench import postgres_database  # scripts/bench.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = date.today()
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@contextmanager
def make_app(tmp, name, engine):
    """An app on a database of its own: a file in tmp, or a fresh PostgreSQL database."""
    os.environ.update({"APP_ENV": "development", "SECRET_KEY": "b" * 48, "LOG_LEVEL": "WARNING",
                       "BASE_URL": "https://feedback.example.test",
                       "DATABASE_PATH": str(Path(tmp) / f"{name}.sqlite3")})
    for variable in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(variable, None)
    database = postgres_database() if engine == "postgresql" else nullcontext()
    with database as url:
        if url:
            os.environ["DATABASE_URL"] = url
        from feedback import create_app
        yield create_app()


def fill(app, count, first_day, last_day, stages=None, texts=None):
    """count generated responses, written in bulk, then the totals rebuilt once; with
    texts, each comment is the next of them instead of one of sample_data's few."""
    from feedback.adapters import store
    from feedback.domain import sample_data
    from feedback.web.db import open_db
    surveys = app.config["SURVEYS"]
    if stages:
        surveys = {stage: surveys[stage] for stage in stages}
    records = sample_data.responses(random.Random(2026), surveys, count, first_day, last_day)
    if texts:
        records = list(records)
        written = itertools.cycle(texts)
        for record in records:
            record["free_text"] = {question: next(written) for question in record["free_text"]}
    with open_db(app.config) as db:
        store.load_responses(db, records)
        release_months(app, db)


def release_months(app, db):
    """Each published month's release, decided once, as the trainer pages do."""
    from feedback.usecases import reporting
    config = app.config
    reporting.publish(db, config["SURVEYS"], TODAY, {
        "k": config["MIN_GROUP_SIZE"], "l": config["MIN_DISTINCT_RATINGS"],
        "max_withheld": config["EXPORT_MAX_WITHHELD_PERCENT"] / 100,
        "response_days": config["RETENTION_RESPONSE_DAYS"]})


def signed_in_client(app):
    from feedback.adapters import store
    from feedback.domain import accounts
    from feedback.domain.clock import now
    from feedback.web.db import open_db
    with open_db(app.config) as db:
        store.create_user(db, "bench-trainer@example.com",
                          accounts.hash_password("bench password 1"), "trainer", "", "", now())
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"email": "bench-trainer@example.com",
                                  "password": "bench password 1", "csrf_token": token})
    return client


def bench_dashboard(tmp, engine, count):
    with make_app(tmp, f"dashboard-{count}", engine) as app:
        fill(app, count, date(TODAY.year - 2, TODAY.month, 1), TODAY)
        time_dashboard(app, count)


def time_dashboard(app, count):
    from feedback.domain.periods import months_up_to, newest_published_month
    client = signed_in_client(app)
    # The trainer pages offer published months only: the newest twelve.
    months = months_up_to(newest_published_month(TODAY), 12)
    views = {"default (last 3 months)": "/trainer/",
             "12 months": f"/trainer/?from_month={months[0]}&to_month={months[-1]}",
             "12 months, one borough": f"/trainer/?from_month={months[0]}&to_month="
                                       f"{months[-1]}&borough=Camden"}
    for name, url in views.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url)
            response.get_data()
            times.append(time.perf_counter() - started)
        print(f"  dashboard, {count:,} responses, {name}: median {statistics.median(times):.3f} s"
              f" (min {min(times):.3f}, max {max(times):.3f})")


def bench_comments(tmp, engine, count):
    """The comments are the labelled corpus's (tests/themes_corpus_*.jsonl, about 13,000
    different comments, each used again once they run out): sample_data has only a few,
    which would be tagged once and then remembered."""
    import json
    texts = [json.loads(line)["text"] for path in sorted(ROOT.glob("tests/themes_corpus_*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    with make_app(tmp, f"comments-{count}", engine) as app:
        fill(app, count, date(TODAY.year - 2, TODAY.month, 1), TODAY, texts=texts)
        time_comments(app, count)


def time_comments(app, count):
    from feedback.domain.reporting import themes
    client = signed_in_client(app)
    themes._REMEMBERED.clear()
    started = time.perf_counter()
    response = client.get("/trainer/comments")
    response.get_data()
    first = time.perf_counter() - started
    assert response.status_code == 200
    tagged = len(themes._REMEMBERED)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        client.get("/trainer/comments").get_data()
        times.append(time.perf_counter() - started)
    print(f"  comments page, {count:,} responses, default view: first view {first:.3f} s "
          f"({tagged:,} comments tagged), then median {statistics.median(times):.3f} s")


def csv_dump_command(config):
    """The engine's own CSV dump of the rows the export reads: the yardstick."""
    sql = ("SELECT * FROM responses WHERE survey_id = 'at-report'"
           " AND week BETWEEN '2026-W27' AND '2026-W39'")
    if config["DATABASE_URL"]:
        return "psql COPY", ["psql", "-q", config["DATABASE_URL"], "-c",
                             f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"]
    return "sqlite3 -csv", ["sqlite3", "-csv", config["DATABASE_PATH"], sql]


def bench_export(tmp, engine, count):
    from feedback.usecases import reporting
    from feedback.web.db import open_db
    with make_app(tmp, f"export-{count}", engine) as app:
        fill(app, count, date(2026, 7, 1), date(2026, 9, 24), stages=["at_report"])
        survey = app.config["SURVEYS"]["at_report"]
        dump, command = csv_dump_command(app.config)
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        dump_seconds = time.perf_counter() - started
        results = []
        # Speed without tracemalloc (it slows Python several times over), then memory.
        # The months were released in fill(): every download reads the stored releases.
        for run in ("first download", "repeat download", "memory"):
            with open_db(app.config) as db:
                if run == "memory":
                    tracemalloc.start()
                started = time.perf_counter()
                plan = reporting.export_release(db, survey, "2026-Q3")
                size = sum(len(chunk)
                           for chunk in reporting.export_chunks(db, survey, "2026-Q3", plan))
                seconds = time.perf_counter() - started
                if run == "memory":
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
            results.append((run, seconds, plan, size))
    print(f"  export, {count:,} rows: {dump} {count / dump_seconds:,.0f} rows/s")
    for run, seconds, plan, size in results[:2]:
        print(f"    {run}: {count / seconds:,.0f} rows/s ({dump_seconds / seconds:.2f}x "
              f"{dump}); kept {plan.kept:,} of {plan.total:,} "
              f"({100 * plan.kept / plan.total:.1f}%), levels {plan.describe()};"
              f" {size / 1e6:.0f} MB of CSV")
    print(f"    peak Python memory of a repeat download (tracemalloc): {peak / 2**20:.1f} MiB")


def report_generalisation():
    """Share of responses kept, and how far each column was coarsened, for the
    realistic mix at several force sizes (responses in one quarter, all surveys):
    each month's release, with the officer-known answers, as the service decides it."""
    from collections import Counter

    from feedback.domain import periods, sample_data
    from feedback.domain.privacy import kanon
    from feedback.domain.surveys import load_surveys
    surveys = load_surveys(ROOT / "feedback" / "survey_definitions", 500)
    for count in (1_000, 10_000, 100_000):
        records = list(sample_data.responses(random.Random(count), surveys, count,
                                             date(2026, 6, 29), date(2026, 9, 27)))
        for survey in surveys.values():
            known = [q.id for q in survey.questions if q.officer_knows]
            kept = total = 0
            levels, started = Counter(), time.perf_counter()
            for month in ("2026-07", "2026-08", "2026-09"):
                classes = Counter(
                    (r["week"], r["team"], r["borough"], r["crime_category"], r["channel"],
                     r["language"], r["survey_version"],
                     *(r["answers"].get(q, "") for q in known), r["answers"].get("overall", ""))
                    for r in records if r["survey_id"] == survey.id
                    and periods.month_of_week(r["week"]) == month)
                plan = kanon.choose([(*key, n) for key, n in classes.items()], 10, 2, 0.05,
                                    times=(1,))
                kept, total = kept + plan.kept, total + plan.total
                levels[plan.describe()["place"]] += 1
            print(f"  {count:>7,} a quarter, {survey.stage:<20} {total:>6,} responses,"
                  f" kept {100 * kept / total:5.1f}%; place by month: {dict(levels)};"
                  f" decided in {time.perf_counter() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    sections = ("generalisation", "dashboard", "export", "comments")
    parser.add_argument("--sections", nargs="+", choices=sections, default=list(sections))
    options = parser.parse_args()
    if "generalisation" in options.sections:
        report_generalisation()
    with tempfile.TemporaryDirectory() as tmp:
        for engine in options.engines:
            print(ENGINES[engine])
            if "dashboard" in options.sections:
                for count in (100_000, 1_000_000):
                    bench_dashboard(tmp, engine, count)
            if "export" in options.sections:
                for count in (200_000, 1_000_000):
                    bench_export(tmp, engine, count)
            if "comments" in options.sections:
                bench_comments(tmp, engine, 100_000)


if __name__ == "__main__":
    main()
