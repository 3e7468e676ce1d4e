"""A trainer who knows when one victim answers (the officer who gave the link sees
it turn "Completed") records everything the trainer pages show just before and
just after, and looks for the difference. Only published months are shown, and no
response can join a published month, so there is none.

The victims answer through real links: 10 of them, so that the test holds when the
holding area releases responses in batches of 10, all with the details an officer
knows about the one they helped, the most a difference could show.
"""

import itertools
import re
from urllib.parse import urlencode

import pytest

from feedback.adapters import store
from feedback.domain.periods import day_label, month_label, publication_date
from feedback.web.db import database_target
from tests.conftest import AT_REPORT_ANSWERS, Browser, submit_survey
from tests.dates import DEFAULT_MONTHS, OPEN_MONTH, TODAY, month_key, month_start
from tests.pages import csrf_token
from tests.trainer_data import add_sample, without_tokens

# What the officer knows about the victim, as a link holds it and as the trainer's
# filters name it.
LINK = {"stage": "at_report", "borough": "Camden", "team": "Camden Response Team 1",
        "crime_category": "burglary", "channel": "qr", "language": "en"}
KNOWN = {"stage": "at_report", "borough": "Camden", "team": "Camden Response Team 1",
         "group": "acquisitive", "channel": "qr", "language": "en"}
# The victims' answers: a rating few others give, and words to search for.
ANSWERS = {**AT_REPORT_ANSWERS, "overall": "very_dissatisfied",
           "comments": "Quillon Brackenbury answered this"}
TELLTALE = "Quillon"
TABLES = ("satisfaction", "trend", "distributions", "focus", "funnel")
RATINGS = ("", "satisfied", "neither", "dissatisfied")
# Every period the trainer can choose within the last three published months.
RANGES = [DEFAULT_MONTHS[i:j] for i in range(3) for j in range(i + 1, 4)]


@pytest.fixture
def force(make_app, make_user):
    """Six months of responses from a realistic force, up to today, and trainers
    whose daily budget of views is lifted: this test is about what views show.
    Yields the app, its database and trainer(n), the client of the nth trainer."""
    app = make_app(TRAINER_DAILY_VIEWS="100000")
    db = store.connect(database_target(app.config))
    add_sample(app, db, 2000, month_start(TODAY, 6), TODAY, seed=11)

    def trainer(number=0):
        email = f"trainer{number}@example.com"
        make_user(email, role="trainer")
        browser = Browser(app.test_client())
        browser.sign_in(email)
        return browser.client
    yield app, db, trainer
    db.close()


def read(client, url, data=None):
    response = client.post(url, data=data) if data else client.get(url)
    return response.status_code, without_tokens(response.get_data(as_text=True))


def record(trainers):
    """Everything the trainers can be shown about the victim's group, by what was
    asked: {request: (status, body)}. Each period is watched by a trainer of its own
    and the files by another: each view is counted against its account's budget by
    reading that account's views of the day, so one account's thousands of views
    made each request slower than the last (a third of this test's time)."""
    seen = {}
    for months, client in zip(RANGES, trainers[:-1], strict=True):
        seen.update(record_period(client, months))
    seen.update(record_files(trainers[-1]))
    return seen


def record_period(client, months):
    """The dashboard, its tables and the comments for one period."""
    token = csrf_token(client.get("/trainer/").get_data(as_text=True))
    seen = {}
    period = {"from_month": months[0], "to_month": months[-1]}
    # The dashboard and its tables, for every mix of the victim's details.
    for chosen in itertools.product((False, True), repeat=len(KNOWN)):
        filters = {name: value if on else ""
                   for (name, value), on in zip(KNOWN.items(), chosen, strict=True)}
        query = urlencode({**period, **filters})
        seen[f"/trainer/?{query}"] = page = read(client, f"/trainer/?{query}")
        if "These figures cannot be shown" in page[1]:
            continue  # its tables are refused with the same page
        for name in TABLES:
            seen[f"/trainer/tables/{name}.csv?{query}"] = read(
                client, f"/trainer/tables/{name}.csv",
                {**period, **filters, "csrf_token": token})
    # Every page of comments, for every rating.
    for stage, borough, rating in itertools.product(("", KNOWN["stage"]),
                                                    ("", KNOWN["borough"]), RATINGS):
        page, pages = 1, 1
        while page <= pages:
            query = urlencode({**period, "stage": stage, "borough": borough,
                               "rating": rating, "page": page})
            seen[f"/trainer/comments?{query}"] = found = read(
                client, f"/trainer/comments?{query}")
            shown = re.search(r"page \d+ of (\d+)\.", found[1])
            pages = int(shown.group(1)) if shown else 1
            page += 1
    return seen


def record_files(client):
    """Every file offered: each survey's responses and data dictionary per quarter."""
    token = csrf_token(client.get("/trainer/").get_data(as_text=True))
    seen = {"/trainer/export": read(client, "/trainer/export")}
    offered = seen["/trainer/export"]
    quarters = re.findall(r'<option value="(\d{4}-Q\d)"', offered[1])
    surveys = re.findall(r'<option value="([a-z_]+)"', offered[1])
    for survey, quarter in itertools.product(surveys, quarters):
        choice = {"survey": survey, "quarter": quarter}
        seen[f"/trainer/export?{urlencode(choice)}"] = read(
            client, f"/trainer/export?{urlencode(choice)}")
        for kind in ("responses", "dictionary"):
            seen[f"/trainer/export/{kind}?{urlencode(choice)}"] = read(
                client, f"/trainer/export/{kind}", {**choice, "csrf_token": token})
    return seen


# Slow: thousands of views over a simulated quarter (about 90 s). It runs on both
# engines; the date runs leave it out, as the period rules it relies on have date tests
# of their own (tests/domain/test_periods.py, tests/usecases/test_holding.py).
@pytest.mark.slow
def test_a_trainer_watching_as_victims_answer_learns_nothing(force, make_link):
    app, db, trainer = force
    trainers = [trainer(number) for number in range(len(RANGES) + 1)]
    before = record(trainers)
    # The recording is of real figures, comments and files, not of refusals.
    assert sum(1 for url in before if url.startswith("/trainer/tables/")) >= 6 * 5
    assert sum(1 for url in before if url.startswith("/trainer/export/responses")) >= 3
    assert sum('<blockquote class="comment__text">' in body for _, body in before.values())

    for _ in range(10):
        _, path = make_link(**LINK)
        answered = submit_survey(app.test_client(), path, ANSWERS)
        assert answered.status_code == 303  # on to the thank-you page
    assert next(db.query("SELECT count(*) AS n FROM links WHERE used = 1"))["n"] == 10

    after = record(trainers)
    changed = sorted(url for url in before.keys() | after.keys()
                     if before.get(url) != after.get(url))
    assert changed == []
    assert not [url for url, (_, body) in after.items() if TELLTALE in body]


@pytest.mark.parametrize("month", sorted({OPEN_MONTH, month_key(TODAY)}))
@pytest.mark.parametrize("page", ["/trainer/", "/trainer/comments"])
def test_the_current_month_cannot_be_asked_for(force, page, month):
    trainer = force[2]()
    refused = trainer.get(f"{page}?from_month={month}&to_month={month}")
    assert refused.status_code == 400
    assert (f"for {month_label(month)} are published on"
            f" {day_label(publication_date(month))}") in refused.get_data(as_text=True)
    table = trainer.post("/trainer/tables/satisfaction.csv", data={
        "from_month": month, "to_month": month, "csrf_token": csrf_token(
            trainer.get("/trainer/").get_data(as_text=True))})
    assert table.status_code == 400 and table.mimetype == "text/html"
