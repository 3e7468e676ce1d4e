"""An attacker with everything a trainer can see or download tries to work out how
a small group answered, and fails.

The planted group: "Team Z" in Camden gave 4 responses in the last month of the
last quarter that has ended, all "very dissatisfied". An officer of Team Z knows
whom they gave links to.
"""

import itertools

import pytest

from feedback.periods import months_of_quarter
from feedback.usecases import reporting
from tests.dates import FUNNEL_MONTH, LAST_QUARTER, TODAY, a_week_in_each_month, quarter_days
from tests.trainer_data import add_response, add_sample

MONTHS = months_of_quarter(LAST_QUARTER)
LAST_MONTH = MONTHS[-1]  # the planted group's
RANGES = [MONTHS[i:j] for i in range(3) for j in range(i + 1, 4)]
TRUE_VERY_DISSATISFIED = 4


@pytest.fixture
def planted(app, db):
    add_sample(app, db, 1500, *quarter_days(LAST_QUARTER))
    week = a_week_in_each_month(LAST_QUARTER)[-1]
    for _ in range(TRUE_VERY_DISSATISFIED):
        add_response(db, week=week, team="Team Z", borough="Camden",
                     answers={"overall": "very_dissatisfied"})
    return app


def view(app, db, months, **filters):
    return reporting.dashboard(db, app.config["SURVEYS"], months, filters,
                               {"threshold": 10, "response_days": 730, "link_days": 180}, TODAY)


def very_dissatisfied(model, stage="at_report"):
    """The published count of 'very dissatisfied' overall answers in one survey (the
    planted answers are at report), as the interval of true values it allows
    (rounded to 5 means +-2)."""
    low = high = 0
    for survey in model["distributions"]:
        if survey["stage"] != stage:
            continue
        for question in survey["questions"]:
            if question["id"] != "overall":
                continue
            [answer] = [a for a in question["answers"] if a["value"] == "very_dissatisfied"]
            if answer["count"] is None:
                return None  # hidden: nothing to subtract
            low, high = low + answer["count"] - 2, high + answer["count"] + 2
    return low, high


def test_no_view_that_contains_only_team_z_is_shown(planted, db):
    for months in RANGES:
        if LAST_MONTH in months:
            assert view(planted, db, months, team="Team Z")["safe"] is False, months


def test_a_month_cannot_be_taken_away_from_a_longer_period(planted, db):
    # The quarter minus its first two months for Team Z: the longer view is refused.
    assert view(planted, db, MONTHS, team="Team Z")["safe"] is False
    # The first two months hold nobody from Team Z: shown, but as "fewer than 10",
    # never 0.
    assert view(planted, db, MONTHS[:2], team="Team Z")["responses"] is None
    # The team's 4 never show up as a difference of two shown views of any filter.
    for months in RANGES:
        for first, second in itertools.combinations(
                [{}, {"borough": "Camden"}, {"team": "Team Z"}, {"channel": "qr"}], 2):
            a, b = view(planted, db, months, **first), view(planted, db, months, **second)
            if a["safe"] and b["safe"] and a["responses"] and b["responses"]:
                assert abs(a["responses"] - b["responses"]) % 5 == 0  # rounded, not exact


def test_the_borough_minus_its_other_teams_leaves_a_range_not_an_answer(planted, db):
    camden = view(planted, db, [LAST_MONTH], borough="Camden")
    assert camden["safe"]
    teams = [t for t in {r["team"] for r in db.query(
        "SELECT DISTINCT team FROM response_counts WHERE borough = 'Camden'")}
        if t != "Team Z"]
    interval = very_dissatisfied(camden)
    assert interval is not None  # the attacker has a figure to start from
    for team in teams:
        part = view(planted, db, [LAST_MONTH], team=team)
        counted = very_dissatisfied(part) if part["safe"] else None
        if interval is None or counted is None:
            interval = None  # a hidden or refused figure: the sum cannot be closed
            break
        interval = (interval[0] - counted[1], interval[1] - counted[0])
    # Either the attacker is stopped, or the answer could be any of many values.
    assert interval is None or interval[1] - interval[0] >= 8
    if interval is not None:
        assert interval[0] <= TRUE_VERY_DISSATISFIED <= interval[1]


def test_totals_minus_the_shown_rows_of_a_table_never_give_a_hidden_row(planted, db,
                                                                      make_link):
    # Links of a month whose links have all expired: only those are counted.
    for team, count in (("Team A", 30), ("Team B", 25), ("Team C", 12), ("Team Z", 4)):
        for number in range(count):
            make_link(team=team,
                      created_at=f"{FUNNEL_MONTH}-{1 + number % 28:02d}T10:00:00+00:00")
    model = view(planted, db, [FUNNEL_MONTH])
    checked = 0
    for table in model["funnel"] or []:
        hidden = [row for row in table["rows"] if row["created"] is None]
        shown = sum(row["created"] for row in table["rows"] if row["created"] is not None)
        if table["totals"]["created"] is not None and hidden:
            checked += 1
            # Hidden rows always come at least in pairs or add up to 10 or more.
            assert len(hidden) >= 2 or table["totals"]["created"] - shown >= 10
    assert checked  # the team table hides Team Z's 4 links
