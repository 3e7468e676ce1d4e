"""Figures a trainer can teach from: groups beside the force with their certainty,
twelve months of trend with n, "where to focus" that falls back to coarser groups,
and the setting that says which detail a month's release keeps first."""

import csv
import io
import re

import pytest

from feedback.config import ConfigError
from feedback.domain.categories import CATEGORIES, GROUP_OF
from feedback.domain.periods import month_label, months_of_quarter
from feedback.domain.privacy import disclosure
from feedback.domain.reporting import export, insights
from feedback.usecases import reporting
from tests.dates import (
    LAST_QUARTER,
    NEWEST_PUBLISHED,
    TODAY,
    a_week_in_each_month,
    a_week_of,
    month_key,
    month_range,
)
from tests.trainer_data import add_response, publish

QUARTER = month_range(LAST_QUARTER)
FIRST, SECOND, THIRD = months_of_quarter(LAST_QUARTER)
WEEKS = a_week_in_each_month(LAST_QUARTER)


def dashboard(browser, status=200, **params):
    query = "&".join(f"{key}={value}" for key, value in {**QUARTER, **params}.items())
    return browser.get(f"/trainer/?{query}", status=status).get_data(as_text=True)


def add_team(db, team, ratings, per_month=12, **details):
    """per_month responses a month for team in each month of LAST_QUARTER, the overall
    ratings taken in turn from ratings."""
    for number in range(3 * per_month):
        add_response(db, week=WEEKS[number % 3], team=team,
                     answers={"overall": ratings[number % len(ratings)]}, **details)


LOW = ("very_dissatisfied", "neither")
HIGH = ("very_satisfied", "fairly_satisfied")
MIXED = ("very_satisfied", "very_dissatisfied")


# The interval ------------------------------------------------------------------------

@pytest.mark.parametrize("satisfied, answered, interval", [
    (50, 100, (40, 60)),   # 40.4% to 59.6%, widened to whole per cent
    (0, 10, (0, 28)),      # 0 to 27.8%: never below 0, never a zero-width range
    (10, 10, (72, 100)),
    (45, 50, (78, 96)),    # 78.6% to 95.7%
])
def test_the_wilson_interval_of_a_share(satisfied, answered, interval):
    assert insights.wilson(satisfied, answered) == interval


def test_an_estimate_comes_from_the_rounded_counts_only():
    # 12 answers, 7 satisfied: published as 10 and 5, so the share and its interval
    # are those of 5 in 10; two groups with the same rounded counts look the same.
    assert insights.estimate(7, 12, 10) == {"share": 50, "n": 10,
                                            **dict(zip(("low", "high"),
                                                       insights.wilson(5, 10), strict=True))}
    assert insights.estimate(7, 12, 10) == insights.estimate(6, 11, 10)
    assert insights.estimate(7, 9, 10) is None


# Groups beside the force ---------------------------------------------------------------

def compared(page, name):
    """{group: (share, interval, responses, mark)} of one comparison table."""
    table = re.search(rf'id="compare-{name}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = re.findall(r'<th scope="row">(.*?)</th><td [^>]*>(\d+)%</td>'
                      r'<td [^>]*>(\d+–\d+)%</td><td [^>]*>(\d+)</td>'
                      r"<td [^>]*>(.*?)</td>", table)
    return {group: (int(share), interval, int(n), re.sub(r"<[^>]+>", "", mark))
            for group, share, interval, n, mark in rows}


def test_teams_are_shown_beside_the_force_and_marked_only_where_intervals_part(
        trainer_browser, db):
    add_team(db, "Team Low", LOW)
    add_team(db, "Team High", HIGH)
    add_team(db, "Team Mixed", MIXED)
    add_team(db, "Team Mostly", ("very_satisfied",) * 2 + ("neither", "very_satisfied"))
    page = dashboard(trainer_browser)
    force = re.search(r'id="force-figure">Across the force in these months, (\d+)% were'
                      r" satisfied overall \((\d+) responses; 95% interval (\d+)% to (\d+)%\)",
                      page)
    # 81 of 144 satisfied, published as 80 of 145: 55%, 47.1% to 63.0%.
    assert force.groups() == ("55", "145", "47", "64")
    teams = compared(page, "team")
    # Each team's 36 answers are published as 35; 0, 18, 27 and 36 satisfied as 0,
    # 20, 25 and 35. Only the two whose intervals clear the force's are marked.
    assert teams == {"Team Low": (0, "0–10", 35, "Below"),
                     "Team Mixed": (57, "40–73", 35, "No clear difference"),
                     "Team Mostly": (71, "54–84", 35, "No clear difference"),
                     "Team High": (100, "90–100", 35, "Above")}
    # Least satisfied first, and every figure published: rounded, none under 10.
    assert list(teams) == ["Team Low", "Team Mixed", "Team Mostly", "Team High"]
    assert all(n % 5 == 0 and n >= 10 for *_, n, _ in teams.values())
    # Every other attribute has its table too; one value each here, the force's.
    assert compared(page, "borough") == {"Camden": (55, "47–64", 145, "No clear difference")}
    assert set(compared(page, "stage")) == {"When you told us what happened"}


def test_a_filter_compares_the_groups_inside_it_with_the_whole_force(trainer_browser, db):
    add_team(db, "Team Low", LOW)
    add_team(db, "Team High", HIGH, borough="Hackney")
    page = dashboard(trainer_browser, borough="Camden")
    # The force figure is the whole force's; the tables are Camden's, and there is no
    # table by borough, which the filter fixes.
    assert "50% were satisfied overall (70 responses" in page
    assert compared(page, "team") == {"Team Low": (0, "0–10", 35, "Below")}
    assert 'id="compare-borough"' not in page


def test_a_group_its_months_did_not_release_is_in_no_comparison(trainer_browser, db):
    add_team(db, "Team Big", MIXED, per_month=20)
    for number in range(4):  # 3 a month each: together they are the month's "other"
        add_team(db, f"Team Small {number}", MIXED, per_month=3)
    page = dashboard(trainer_browser)
    assert "Team Small" not in page
    assert set(compared(page, "team")) == {"Team Big"}
    # Their 36 responses are in the force's figure, which says so under the table.
    assert "95 responses from" in page
    assert ("Not in this table: 35 responses from months with too few to show this detail"
            in page.split('id="compare-team"')[1].split('id="compare-')[0])


def test_the_comparisons_download_with_the_figures_the_page_shows(trainer_browser, db):
    add_team(db, "Team Low", LOW)
    add_team(db, "Team High", HIGH)
    data = {**QUARTER, "stage": "", "borough": "", "team": "", "group": "", "channel": "",
            "language": ""}
    response = trainer_browser.post_form("/trainer/", data,
                                         action="/trainer/tables/comparisons.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["breakdown", "group", "satisfied_percent", "interval_low_percent",
                       "interval_high_percent", "responses", "against_the_force"]
    assert rows[1] == ["force", "Whole force", "50", "38", "62", "70", ""]
    assert ["team", "Team Low", "0", "0", "10", "35", "below"] in rows
    assert ["team", "Team High", "100", "90", "100", "35", "above"] in rows


# Twelve months of trend -----------------------------------------------------------------

def test_the_trend_covers_twelve_published_months_with_n_whatever_the_period(
        trainer_browser, db, app):
    newest = NEWEST_PUBLISHED
    year = sorted(m for m in (month_key(TODAY, back) for back in range(14)) if m <= newest)[-12:]
    for number, month in enumerate(year):
        for index in range(10 + number):  # a different n each month
            add_response(db, week=a_week_of(month),
                         answers={"overall": MIXED[index % 2]})
    # A view of one month still shows the twelve to it, oldest first, each with its n.
    page = dashboard(trainer_browser, from_month=newest, to_month=newest)
    assert "Satisfaction over the last 12 months" in page
    table = page.split('id="trend-table"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">(.*?)</th><td class="numeric">(.*?)</td>', table)
    assert [label for label, _ in rows] == [month_label(m) for m in year]
    assert [n for _, n in rows] == [str(disclosure.rounded(10 + i)) for i in range(12)]
    # Never a month that is not published yet: no partial month.
    assert all(month <= newest for month in year)


def test_the_trend_table_downloads_its_twelve_months(trainer_browser, db):
    add_team(db, "Team Mixed", MIXED)
    data = {**QUARTER, "stage": "", "borough": "", "team": "", "group": "", "channel": "",
            "language": ""}
    response = trainer_browser.post_form("/trainer/", data, action="/trainer/tables/trend.csv")
    name = response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    months = sorted({row[1] for row in rows[1:]})
    assert len(months) == 12 and months[-1] == THIRD
    assert name == f'attachment; filename="trend-{months[0]}-to-{THIRD}.csv"'
    assert ["Overall", THIRD, "50", "10"] in rows  # 12 a month, published as 10


# Where to focus, never empty --------------------------------------------------------------

def test_where_to_focus_falls_back_to_coarser_groups_and_says_so(trainer_browser, db, app):
    # 15 teams and 12 categories, a few responses each: no month keeps team or
    # crime group, so no pair of the first level has a group. Boroughs by survey do.
    categories = [c.code for c in CATEGORIES]
    for number in range(90):
        add_response(db, week=WEEKS[number % 3], team=f"Team {number % 15}",
                     crime_category=categories[number % len(categories)],
                     answers={"overall": MIXED[number // 3 % 2]})
    model = _model(db, app)
    assert model["focus_level"] == 1
    assert [group["pair"] for group in model["focus"]] == [("borough", "stage")]
    page = dashboard(trainer_browser)
    focus = page.split('id="focus"')[1].split('id="funnel"')[0]
    assert "No team or borough paired with a survey or crime group has enough" in focus
    assert "Camden, When you told us what happened" in focus


def test_where_to_focus_uses_pairs_when_they_have_groups(trainer_browser, db, app):
    add_team(db, "Team Low", LOW)
    add_team(db, "Team High", HIGH)
    model = _model(db, app)
    assert model["focus_level"] == 0
    assert 'id="focus-level"' not in dashboard(trainer_browser)


def _model(db, app, **only):
    publish(db, app.config["SURVEYS"])
    months = [FIRST, SECOND, THIRD]
    return reporting.dashboard(db, app.config["SURVEYS"], months, {},
                               {"threshold": 10, "response_days": 730, "link_days": 180}, TODAY,
                               **only)


@pytest.mark.parametrize("name", reporting.TABLES)
def test_a_tables_file_is_worked_out_alone_and_is_the_table_the_page_shows(db, app, name):
    """A table's file works out that table alone (the page works out all six), with
    the same rows."""
    add_team(db, "Team Low", LOW)
    add_team(db, "Team High", HIGH)
    page, alone = _model(db, app), _model(db, app, tables=(name,))
    rows = export.table_rows(name, alone, {})
    # No links here, so the funnel's file is its header alone (tests/web/test_trainer.py
    # downloads one with links).
    assert rows == export.table_rows(name, page, {}) and (len(rows) > 1 or name == "funnel")
    together = {"satisfaction", "distributions"}  # one query gives both
    assert {table for table in reporting.TABLES if table in alone} == (
        together if name in together else {name})


# What the release keeps first ---------------------------------------------------------

def _crime_heavy(db):
    """Each month: 4 teams of 12, across 2 crime groups of 24: there are not enough
    responses to keep both team and crime group in every combination."""
    groups = sorted(set(GROUP_OF.values()))[:2]
    codes = [next(code for code, group in GROUP_OF.items() if group == wanted)
             for wanted in groups]
    for number in range(144):
        add_response(db, week=WEEKS[number % 3], team=f"Team {number // 3 % 4}",
                     crime_category=codes[number // 12 % 2],
                     answers={"overall": MIXED[number // 24 % 2]})  # both in every cell
    return groups


@pytest.mark.parametrize("keeps_first, kept_column, week", [("place", "place", False),
                                                            ("crime", "category", False),
                                                            ("time", "place", True)])
def test_the_setting_says_which_detail_a_release_keeps_first(db, app, keeps_first,
                                                              kept_column, week):
    _crime_heavy(db)
    reporting.publish(db, app.config["SURVEYS"], TODAY,
                      {"k": 10, "l": 2, "max_withheld": 0.05, "response_days": 730,
                       "keeps_first": keeps_first})
    release = reporting.releases(db, app.config["SURVEYS"], [THIRD])[("at_report", THIRD)]
    other = {"place": "category", "category": "place"}[kept_column]
    assert release.levels[kept_column] < release.levels[other]
    # Only a force that keeps time first gets weeks in its files.
    assert release.describe()["time"] == ("week" if week else "month")


def test_the_setting_is_read_from_the_environment_and_checked(make_app):
    assert make_app(RELEASE_KEEPS_FIRST="crime").config["RELEASE_KEEPS_FIRST"] == "crime"
    with pytest.raises(ConfigError, match="RELEASE_KEEPS_FIRST must be place, crime or time"):
        make_app(RELEASE_KEEPS_FIRST="everything")
