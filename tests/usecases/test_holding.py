"""A response cannot be tied to its link by a reader of the tables (issue 16, leak 4).

Measured before: on PostgreSQL each response row's xmin was its link row's xmin + 1,
so a join found the right link (and so the officer and the time) for 12 of 12
responses. Now a submission holds its response sealed, with its link's update, and
a later transaction releases the held responses into the responses table together,
shuffled, at least k (10) at a time."""

import json

import pytest

from feedback.adapters import store
from feedback.domain import clock, sealing
from feedback.usecases import responding
from feedback.web.db import database_target
from tests.conftest import AT_REPORT_ANSWERS, store_link, submit_survey
from tests.dates import TODAY
from tests.stored import stored_bytes

SECRET_COMMENT = "the lilac umbrella by the counter"
KEYS = ["old-key-0123456789abcdef0123456789abcdef", "new-key-0123456789abcdef0123456789abcdef"]


def answer(app, make_link, count, first=0, **link):
    for number in range(first, first + count):
        _, path = make_link(**link)
        comment = f"{SECRET_COMMENT} {number}"
        response = submit_survey(app.test_client(), path,
                                 {**AT_REPORT_ANSWERS, "comments": comment})
        assert response.status_code == 303


def count(db, table):
    return next(db.query(f"SELECT count(*) AS n FROM {table}"))["n"]  # noqa: S608


def test_a_submission_is_held_sealed_and_nothing_in_the_tables_reads_it(app, db, make_link):
    answer(app, make_link, 1, team="Quietwater Response Team", crime_category="stalking")
    assert (count(db, "held_responses"), count(db, "responses")) == (1, 0)
    [held] = db.query("SELECT * FROM held_responses")
    for trace in ("lilac", "umbrella", "Quietwater", "stalking", "very_satisfied",
                  "fairly_dissatisfied", "at_report", "Camden"):
        assert trace not in held["sealed"]
    # The answers and the comment are nowhere in the database (the link's own details,
    # which the officer gave, are in the links table, as they always were).
    for trace in ("lilac", "umbrella", "very_satisfied", "fairly_dissatisfied"):
        assert trace.encode() not in stored_bytes(app, db)
    # The dashboard's running totals are not touched either: nothing to join on.
    assert count(db, "response_counts") == count(db, "answer_counts") == 0


def test_nine_wait_and_the_tenth_releases_all_ten_in_one_transaction(app, db, make_link):
    answer(app, make_link, 9)
    assert (count(db, "held_responses"), count(db, "responses")) == (9, 0)
    answer(app, make_link, 1, first=9)
    assert (count(db, "held_responses"), count(db, "responses")) == (0, 10)
    comments = sorted(json.loads(row["free_text"])["comments"]
                      for row in db.query("SELECT free_text FROM responses"))
    assert len(set(comments)) == 10
    # The totals are summed once, when the month is released, not as responses come.
    assert count(db, "response_counts") == 0


def test_a_release_shuffles_the_batch(app, db, make_link, monkeypatch):
    """The rows go in in a random order, not the order their links were used."""
    orders = []

    def recording(db, records):
        orders.append([record["free_text"]["comments"] for record in records])
        return real_insert(db, records)

    from feedback.adapters.store import pending
    real_insert = pending.insert_responses
    monkeypatch.setattr(pending, "insert_responses", recording)
    for _ in range(3):
        answer(app, make_link, 10)
    # Comments end with their submission number 0..9: three identical orders by chance
    # (or the submission order) would mean no shuffle.
    numbers = [[int(text.rsplit(" ", 1)[1]) for text in order] for order in orders]
    assert all(sorted(n) == list(range(10)) for n in numbers)
    assert not all(n == list(range(10)) for n in numbers)
    assert len({tuple(n) for n in numbers}) > 1


def test_few_held_responses_are_released_when_their_month_is_due(app, db, make_link,
                                                                 pinned_clock):
    answer(app, make_link, 3)
    keys = [*app.config["SECRET_KEY_FALLBACKS"], app.config["SECRET_KEY"]]
    assert responding.release_held(db, keys, 10, TODAY) == 0
    pinned_clock.advance(days=45)  # the month has closed and is due to be published
    assert responding.release_held(db, keys, 10, pinned_clock.today()) == 3
    assert (count(db, "held_responses"), count(db, "responses")) == (0, 3)


def test_a_rotated_key_still_opens_what_it_sealed():
    sealed = sealing.seal({"answers": {"overall": "neither"}}, KEYS[:1])
    assert sealing.unseal(sealed, KEYS) == {"answers": {"overall": "neither"}}
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(sealed, KEYS[1:])
    assert sealing.seal({"a": 1}, KEYS) != sealing.seal({"a": 1}, KEYS)  # fresh nonces


def test_an_altered_sealed_row_is_refused_not_misread():
    sealed = sealing.seal({"answers": {"overall": "neither"}}, KEYS)
    altered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(altered, KEYS)


@pytest.fixture
def postgres_app(make_app, postgres_url):
    """The service on PostgreSQL, in both test runs: the attack reads xmin."""
    return make_app(DATABASE_URL=postgres_url)


def test_xmin_and_ctid_no_longer_join_a_response_to_its_link(postgres_app):
    """The measured attack: join each used link to the response whose xmin is its
    own or the next, or whose physical position follows its own."""
    app = postgres_app
    db = store.connect(database_target(app.config))
    officer_id = store.create_user(db, "officer@example.com", "", "officer", "Team 1",
                                   "Camden", clock.now())
    orders = []
    for number in range(30):
        _, path = store_link(app, db, officer_id, team=f"Team {number % 3}")
        submit_survey(app.test_client(), path, {**AT_REPORT_ANSWERS,
                                                "comments": f"{SECRET_COMMENT} {number}"})
    links = list(db.query("SELECT id, xmin::text::bigint AS x FROM links WHERE used = 1"))
    responses = list(db.query(
        "SELECT xmin::text::bigint AS x, ctid AS c, free_text FROM responses ORDER BY ctid"))
    assert len(links) == len(responses) == 30
    # The join that found 12 of 12 before: a response's xmin is its link's, or the next.
    # Now it ties a response to no link, or to a link with nine other responses.
    tied = {link["id"]: [r for r in responses if r["x"] in (link["x"], link["x"] + 1)]
            for link in links}
    assert all(len(found) in (0, 10) for found in tied.values())
    # A reader who knows when each batch was released still faces 10 links for each
    # response: every link used since the batch before.
    releases = sorted({row["x"] for row in responses})
    assert len(releases) == 3
    for previous, release in zip([0, *releases], releases, strict=False):
        used_between = [link for link in links if previous < link["x"] < release]
        assert len(used_between) == 10
    # And the physical order of a batch is not the order its links were used.
    for release in releases:
        numbers = [int(json.loads(row["free_text"])["comments"].rsplit(" ", 1)[1])
                   for row in responses if row["x"] == release]
        assert len(numbers) == 10
        orders.append(numbers)
    assert not all(order == sorted(order) for order in orders)
    db.close()
