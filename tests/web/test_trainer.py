"""The trainer's dashboard: figures that are useful and never small."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.domain.periods import day_label, month_label, months_of_quarter, publication_date
from tests.conftest import Browser
from tests.dates import (
    DEFAULT_MONTHS,
    FUNNEL_MONTH,
    LAST_QUARTER,
    NEWEST_PUBLISHED,
    NOW,
    OPEN_MONTH,
    TODAY,
    a_week_in_each_month,
    a_week_of,
    month_range,
    quarter_days,
)
from tests.pages import check_page
from tests.trainer_data import add_response, add_sample, downloads, without_tokens

# The dashboard's view of the last quarter that has ended, its months, and a week
# wholly inside each of them.
QUARTER = month_range(LAST_QUARTER)
FIRST, SECOND, THIRD = months_of_quarter(LAST_QUARTER)
IN_FIRST, IN_SECOND, IN_THIRD = a_week_in_each_month(LAST_QUARTER)


def dashboard(browser, status=200, **params):
    query = "&".join(f"{key}={value}" for key, value in {**QUARTER, **params}.items())
    return browser.get(f"/trainer/?{query}", status=status).get_data(as_text=True)


def numbers(html):
    """Every number a person reads on the page (outside tags, scripts and choices)."""
    main = html.split('<h1', 1)[1].split('<form method="get"', 1)[0] + html.split("</form>", 1)[1]
    text = re.sub(r"<[^>]+>", " ", main)
    text = re.sub(r"\b\d{4}\b", " ", text)  # years in month names
    return [int(n) for n in re.findall(r"(?<![\w-])\d+(?![\w-])", text)]


def test_the_dashboard_opens_on_the_last_three_published_months(trainer_browser):
    page = trainer_browser.get("/trainer/").get_data(as_text=True)
    for month in (DEFAULT_MONTHS[0], DEFAULT_MONTHS[-1]):
        assert f'<option value="{month}" selected>{month_label(month)}</option>' in page
    # Only published months are offered, the newest last; the page says when the
    # next one is published.
    offered = re.findall(r'<option value="(\d{4}-\d\d)"', page.split('id="to_month"')[1]
                         .split("</select>")[0])
    assert offered == sorted(offered) and offered[-1] == NEWEST_PUBLISHED
    assert OPEN_MONTH not in offered
    assert (f"{month_label(OPEN_MONTH)}: published on {day_label(publication_date(OPEN_MONTH))}"
            in page)


@pytest.mark.parametrize("params", [{"from_month": OPEN_MONTH, "to_month": OPEN_MONTH},
                                    {"to_month": OPEN_MONTH}])
def test_a_month_not_yet_published_is_refused_saying_when_it_will_be(trainer_browser, db,
                                                                    params):
    add_response(db, week=a_week_of(OPEN_MONTH))
    page = dashboard(trainer_browser, status=400, **params)
    field = next(iter(params))
    message = (f"Figures for {month_label(OPEN_MONTH)} are published on"
               f" {day_label(publication_date(OPEN_MONTH))}")
    assert f'<a href="#{field}">{message}</a>' in page
    assert 'id="summary"' not in page
    # A table of it is refused the same way, and nothing is recorded.
    table(trainer_browser, "satisfaction", status=400, **params)
    assert downloads(db) == []


def test_a_month_past_retention_is_refused(trainer_browser, app):
    oldest = re.findall(r'<option value="(\d{4}-\d\d)"',
                        trainer_browser.get("/trainer/").get_data(as_text=True))[0]
    before = f"{int(oldest[:4]) - 1}{oldest[4:]}"
    page = dashboard(trainer_browser, status=400, from_month=before)
    assert (f'<a href="#from_month">Figures for {month_label(before)} are no longer kept:'
            f" choose {month_label(oldest)} or later</a>") in page


def test_satisfaction_is_the_share_very_or_fairly_satisfied(trainer_browser, db):
    for answer, count in (("very_satisfied", 20), ("fairly_satisfied", 10),
                          ("very_dissatisfied", 20)):
        for _ in range(count):
            add_response(db, week=IN_FIRST, answers={"overall": answer})
    page = dashboard(trainer_browser)
    assert f"50 responses from {month_label(FIRST)} to {month_label(THIRD)}" in page
    overall = re.search(r'<th scope="row">Overall</th><td class="numeric">(.*?)</td>'
                        r'<td class="numeric">(.*?)</td>', page)
    assert overall.groups() == ("60%", "50")
    # Areas nobody answered show words, not a number.
    assert re.search(r'<th scope="row">Kept informed</th><td class="numeric">fewer than 10',
                     page)


def test_no_figure_under_10_appears_anywhere_on_the_dashboard(trainer_browser, db, app):
    # 2000 (about 20 a month even in the smallest view below, Westminster's responses
    # at report).
    add_sample(app, db, 2000, *quarter_days(LAST_QUARTER))
    for filters in ({}, {"borough": "Camden"}, {"stage": "at_report", "borough": "Westminster"},
                    {"language": "pl"}, {"group": "vawg"}, {"channel": "sms"}):
        page = dashboard(trainer_browser, **filters)
        assert "These figures cannot be shown" not in page, filters
        # Percentages may be small; counts never are, and every count is rounded.
        counts = re.findall(r'<td class="numeric">(\d+)</td>', page)
        summary = re.search(r'id="summary">(\d+|fewer than 10) responses', page).group(1)
        assert all(int(n) >= 10 and int(n) % 5 == 0 for n in counts), (filters, counts)
        if filters.keys() & {"language", "group", "channel"}:
            # At this size no month keeps that detail: the page says so, and the
            # filter selects nobody rather than a guess.
            assert 'id="not-kept"' in page and summary == "fewer than 10", filters
        else:
            assert int(summary) >= 10 and len(counts) > 1, filters


def test_a_month_that_would_single_people_out_is_shown_without_them(trainer_browser, db):
    for number in range(30):
        add_response(db, week=IN_FIRST, team="Team A",
                     answers={"overall": ("very_satisfied", "neither")[number % 2]})
    # The third month: only 4 for Team A, so the quarter minus its first two months
    # would be 4 people. That month's release keeps boroughs, not teams.
    for _ in range(4):
        add_response(db, week=IN_THIRD, team="Team A",
                     answers={"overall": "very_dissatisfied"})
    for number in range(40):
        add_response(db, week=IN_THIRD, team="Team B",
                     answers={"overall": ("very_satisfied", "neither")[number % 2]})
    quarter = dashboard(trainer_browser, team="Team+A")
    first_two = dashboard(trainer_browser, team="Team+A", to_month=SECOND)
    assert "These figures cannot be shown" not in quarter
    # The quarter's figures for Team A are the first two months', to the byte: the
    # difference is nobody, so the 4 can't be got by taking one from the other.
    # (Only the force's own figure, the yardstick of the comparisons, covers the
    # whole force and so differs.)
    for section in (r'id="summary">(\d+) responses', r'(id="satisfaction".*?)id="force-figure"',
                    r'(<table class="table table--compare.*?)id="trend"',
                    r'(id="answers".*?)</main>'):
        assert (re.search(section, without_tokens(quarter), re.S).group(1).replace(THIRD, SECOND)
                == re.search(section, without_tokens(first_two), re.S).group(1)), section
    assert (f"Figures for {month_label(THIRD)} are not broken down by team"
            in quarter)
    # The borough's figures hold all of them, as one group of 44: that month keeps the
    # borough, so the page does not say it can't be broken down by it.
    camden = dashboard(trainer_browser, borough="Camden", from_month=THIRD)
    assert "45 responses from" in camden
    assert 'id="not-kept"' not in camden


@pytest.mark.parametrize("params, field, message", [
    ({"from_month": THIRD, "to_month": FIRST}, "to_month",
     "The last month must be the same as or after the first month"),
    ({"from_month": "last week"}, "from_month", "Select the first month"),
    ({"team": "Nobody"}, "team", "Select a team or unit"),
    ({"stage": "nonsense"}, "stage", "Select a journey stage"),
])
def test_bad_filters_are_explained_with_a_400(trainer_browser, db, params, field, message):
    add_response(db, week=IN_FIRST)
    page = dashboard(trainer_browser, status=400, **params)
    assert f'<a href="#{field}">{message}</a>' in page
    assert "<title>Error: Feedback dashboard" in page


def funnel_row(page, label="When you told us what happened"):
    row = re.search(rf'<th scope="row">{label}</th>((?:<td class="numeric">[^<]*</td>){{4}})',
                    page)
    return row and re.findall(r">([^<]*)</td>", row.group(1))


def links_in(make_link, db, month, count, opened=0, completed=0, **details):
    """count links made in month (expiring 28 days later), the first opened and
    completed ones so."""
    made = []
    for number in range(count):
        created = f"{month}-{1 + number % 28:02d}T10:00:00+00:00"
        link, path = make_link(created_at=created, expires_at=(
            datetime.fromisoformat(created) + timedelta(days=28)).isoformat(), **details)
        if number < opened:
            store.mark_link_opened(db, link["id"])
        if number < completed:
            store.mark_link_used(db, link["id"])
        made.append((link, path))
    return made


def test_the_funnel_counts_links_created_opened_and_completed(trainer_browser, make_link, db):
    links_in(make_link, db, FUNNEL_MONTH, 30, opened=20, completed=15)
    for _ in range(10):
        add_response(db, week=a_week_of(FUNNEL_MONTH))
    page = dashboard(trainer_browser, from_month=FUNNEL_MONTH, to_month=FUNNEL_MONTH)
    assert funnel_row(page) == ["30", "20", "15", "50%"]


def test_a_completion_share_is_hidden_when_what_it_comes_from_is(trainer_browser, make_link,
                                                                 db):
    # 35 made, 5 opened and completed: "fewer than 10" completed is not "14%".
    links_in(make_link, db, FUNNEL_MONTH, 35, opened=5, completed=5)
    page = dashboard(trainer_browser, from_month=FUNNEL_MONTH, to_month=FUNNEL_MONTH)
    assert funnel_row(page) == ["35", "fewer than 10", "fewer than 10", "fewer than 10"]
    assert "%" not in table(trainer_browser, "funnel", from_month=FUNNEL_MONTH,
                            to_month=FUNNEL_MONTH).get_data(as_text=True)


def test_links_that_can_still_be_used_are_not_counted(trainer_browser, make_link, db):
    # The newest published month: links made in it may be completed for 90 days.
    month = NEWEST_PUBLISHED
    made = links_in(make_link, db, month, 30, opened=20, completed=15)
    view = {"from_month": FUNNEL_MONTH, "to_month": month}
    before = dashboard(trainer_browser, **view)
    assert funnel_row(before) is None
    assert f"Links made in {month_label(FUNNEL_MONTH)}: links made later" in before
    alone = dashboard(trainer_browser, from_month=month, to_month=month)
    assert 'id="funnel-none"' in alone and "can still be used" in alone
    # A person completes one of those links now: nothing on the page changes.
    store.mark_link_used(db, made[-1][0]["id"])
    assert without_tokens(dashboard(trainer_browser, **view)) == without_tokens(before)


def test_where_to_focus_lists_the_least_satisfied_groups_first(trainer_browser, db):
    for team, answer in (("Team Low", "very_dissatisfied"), ("Team High", "very_satisfied")):
        for number in range(36):  # 12 a month, so no month of a team is small
            add_response(db, week=(IN_FIRST, IN_SECOND, IN_THIRD)[number % 3], team=team,
                         answers={"overall": answer if number % 4 else "neither"})
    page = dashboard(trainer_browser)
    focus = page.split('id="focus"', 1)[1].split('id="funnel"', 1)[0]
    assert focus.index("Team Low") < focus.index("Team High")


def test_an_officer_cannot_reach_trainer_pages(signed_in_officer):
    assert signed_in_officer.client.get("/trainer/").status_code == 403
    assert signed_in_officer.client.get("/trainer/export").status_code == 403


# The dashboard's tables as files ----------------------------------------------------

def table(browser, name, status=200, **params):
    data = {**QUARTER, "stage": "", "borough": "",
            "team": "", "group": "", "channel": "", "language": "", **params}
    response = browser.post_form("/trainer/", data, action=f"/trainer/tables/{name}.csv",
                                 status=status)
    return response


def test_each_table_downloads_with_the_figures_the_page_shows(trainer_browser, db):
    for answer, count in (("very_satisfied", 20), ("fairly_satisfied", 10),
                          ("very_dissatisfied", 20)):
        for _ in range(count):
            add_response(db, week=IN_FIRST, answers={"overall": answer})
    response = table(trainer_browser, "satisfaction")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="satisfaction-{FIRST}-to-{THIRD}.csv"')
    text = response.get_data(as_text=True)
    assert text.startswith('\ufeff"area","satisfied_percent","responses"\r\n')
    assert '"Overall","60","50"' in text
    assert '"Kept informed","fewer than 10","fewer than 10"' in text
    for name in ("trend", "distributions", "focus", "funnel"):
        assert table(trainer_browser, name).mimetype == "text/csv"
    audits = [entry["detail"] for entry in downloads(db)]
    assert audits[0] == {"file": "table:satisfaction", "months": [FIRST, THIRD]}
    assert len(audits) == 5


def test_a_table_never_holds_a_group_its_month_did_not_release(trainer_browser, db):
    for _ in range(4):
        add_response(db, week=IN_THIRD, team="Team A", answers={"overall": "very_dissatisfied"})
    for number in range(40):
        add_response(db, week=IN_THIRD, team="Team B",
                     answers={"overall": ("very_satisfied", "neither")[number % 2]})
    # Team A's 4 are not a group of the month's release: no choice offers them, and a
    # table asked for by hand is refused, recording nothing.
    assert "Team A" not in dashboard(trainer_browser)
    response = table(trainer_browser, "satisfaction", status=400, team="Team A")
    assert "Select a team or unit" in response.get_data(as_text=True)
    assert downloads(db) == []


def test_an_unknown_table_is_not_found(trainer_browser):
    assert table(trainer_browser, "everything", status=404)


# Watching the watchers ---------------------------------------------------------------

def views(db):
    """Every page of figures or comments recorded in the audit log, oldest first."""
    return [{"actor": entry["actor"], "detail": entry["detail"]} for entry in
            reversed(audit.fetch_audit(db, {"action": "trainer_view"}, 1000, 0))]


def test_every_view_is_recorded_with_who_and_what(trainer_browser, db):
    for number in range(10):
        add_response(db, week=IN_FIRST,
                     answers={"overall": ("very_satisfied", "neither")[number % 2]})
    dashboard(trainer_browser, stage="at_report", channel="qr")
    trainer_browser.get(f"/trainer/comments?from_month={SECOND}&to_month={THIRD}"
                        "&rating=satisfied&borough=Camden")
    table(trainer_browser, "trend", stage="at_report")
    quarter = [FIRST, THIRD]
    assert views(db) == [
        {"actor": "trainer@example.com", "detail": {
            "view": "dashboard", "months": quarter, "stage": "at_report", "channel": "qr"}},
        {"actor": "trainer@example.com", "detail": {
            "view": "comments", "months": [SECOND, THIRD], "borough": "Camden",
            "rating": "satisfied", "page": 1}},
        # The table's page (the default view), then the view the table is of.
        {"actor": "trainer@example.com", "detail": {
            "view": "dashboard", "months": [DEFAULT_MONTHS[0], DEFAULT_MONTHS[-1]]}},
        {"actor": "trainer@example.com", "detail": {
            "view": "dashboard", "months": quarter, "stage": "at_report"}}]
    assert downloads(db) == [{"actor": "trainer@example.com", "detail": {
        "file": "table:trend", "months": quarter, "stage": "at_report"}}]


def test_each_account_has_a_daily_budget_of_different_views(make_app, make_user, pinned_clock):
    assert make_app().config["TRAINER_DAILY_VIEWS"] == 200
    app = make_app(TRAINER_DAILY_VIEWS="3")
    make_user("trainer@example.com", role="trainer")
    browser = Browser(app.test_client())
    browser.sign_in("trainer@example.com")
    one, two, three = ({"from_month": month, "to_month": month} for month in DEFAULT_MONTHS)
    for view in (one, two, three):
        dashboard(browser, **view)
    # A fourth different view, page or file is refused, calmly, until tomorrow.
    for refused in (browser.client.get(f"/trainer/?from_month={DEFAULT_MONTHS[0]}"
                                       f"&to_month={DEFAULT_MONTHS[1]}"),
                    browser.client.get("/trainer/comments"),
                    table(browser, "satisfaction", status=429, **one)):
        assert refused.status_code == 429
        page = refused.get_data(as_text=True)
        check_page(page)
        assert "The limit resets tomorrow" in page and "00:00 UTC" in page
        assert 'class="header__nav"' in page  # the staff layout
        resets = datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), UTC)
        assert int(refused.headers["Retry-After"]) >= (resets - NOW).total_seconds()
    # Opening a view seen today again costs nothing.
    dashboard(browser, **two)
    # The next day the budget starts again.
    pinned_clock.set(datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), UTC))
    browser = Browser(app.test_client())  # the session may have ended overnight
    browser.sign_in("trainer@example.com")
    dashboard(browser, from_month=DEFAULT_MONTHS[0], to_month=DEFAULT_MONTHS[1])
