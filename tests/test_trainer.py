"""The trainer's dashboard: figures that are useful and never small."""

import re

import pytest

from feedback import store
from feedback.periods import month_label, months_of_quarter
from tests.dates import (
    LAST_QUARTER,
    TODAY,
    a_week_in_each_month,
    month_key,
    month_range,
    quarter_days,
)
from tests.trainer_data import add_response, add_sample, downloads

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


def test_the_dashboard_opens_on_the_last_three_months(trainer_browser):
    page = trainer_browser.get("/trainer/").get_data(as_text=True)
    for month in (month_key(TODAY, 2), month_key(TODAY)):
        assert f'<option value="{month}" selected>{month_label(month)}</option>' in page


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
    # at outcome): with 1500, one month of some quarters holds fewer than 10 of them.
    add_sample(app, db, 2000, *quarter_days(LAST_QUARTER))
    for filters in ({}, {"team": "Camden+CID"}, {"language": "pl"}, {"group": "vawg"},
                    {"stage": "at_outcome", "borough": "Westminster"}):
        page = dashboard(trainer_browser, **filters)
        assert "These figures cannot be shown" not in page, filters
        # Percentages may be small; counts never are, and every count is rounded.
        counts = re.findall(r'<td class="numeric">(\d+)</td>', page)
        counts.append(re.search(r'id="summary">(\d+) responses', page).group(1))
        assert len(counts) > 1, filters
        assert all(int(n) >= 10 and int(n) % 5 == 0 for n in counts), (filters, counts)


def test_a_view_that_would_single_people_out_shows_no_figures(trainer_browser, db):
    for _ in range(30):
        add_response(db, week=IN_FIRST, team="Team A")
    # The third month: only 4 for Team A, so the quarter minus its first two months
    # = 4 people.
    for _ in range(4):
        add_response(db, week=IN_THIRD, team="Team A",
                     answers={"overall": "very_dissatisfied"})
    for _ in range(40):
        add_response(db, week=IN_THIRD, team="Team B")
    page = dashboard(trainer_browser, team="Team+A")
    assert "These figures cannot be shown" in page
    assert "satisfaction-chart" not in page
    # Without the filter every month holds 10 or more, so the view is shown.
    assert "These figures cannot be shown" not in dashboard(trainer_browser)


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


def test_the_funnel_counts_links_created_opened_and_completed(trainer_browser, make_link, db):
    for number in range(30):
        link, _ = make_link(created_at=f"{SECOND}-{1 + number % 28:02d}T10:00:00+00:00")
        if number < 20:
            store.mark_link_opened(db, link["id"])
        if number < 15:
            store.mark_link_used(db, link["id"])
    for _ in range(10):
        add_response(db, week=IN_SECOND)
    page = dashboard(trainer_browser)
    row = re.search(r'<th scope="row">When you told us what happened</th>'
                    r'((?:<td class="numeric">[^<]*</td>){4})', page)
    assert re.findall(r">([^<]*)</td>", row.group(1)) == ["30", "20", "15", "50%"]


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


def test_a_table_of_a_view_that_would_single_people_out_is_refused(trainer_browser, db):
    for _ in range(4):
        add_response(db, week=IN_THIRD, team="Team A")
    for _ in range(40):
        add_response(db, week=IN_THIRD, team="Team B")
    response = table(trainer_browser, "satisfaction", status=400, team="Team A")
    assert "These figures cannot be shown" in response.get_data(as_text=True)
    assert downloads(db) == []


def test_an_unknown_table_is_not_found(trainer_browser):
    assert table(trainer_browser, "everything", status=404)
