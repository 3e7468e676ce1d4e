"""The trainer's dashboard: figures that are useful and never small."""

import re

import pytest

from feedback import store
from feedback.periods import month_label
from tests.dates import TODAY, month_key
from tests.trainer_data import Q3_2026, add_response, add_sample, downloads

Q3 = {"from_month": "2026-07", "to_month": "2026-09"}


def dashboard(browser, status=200, **params):
    query = "&".join(f"{key}={value}" for key, value in {**Q3, **params}.items())
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
            add_response(db, week="2026-W30", answers={"overall": answer})
    page = dashboard(trainer_browser)
    assert "50 responses from July 2026 to September 2026" in page
    overall = re.search(r'<th scope="row">Overall</th><td class="numeric">(.*?)</td>'
                        r'<td class="numeric">(.*?)</td>', page)
    assert overall.groups() == ("60%", "50")
    # Areas nobody answered show words, not a number.
    assert re.search(r'<th scope="row">Kept informed</th><td class="numeric">fewer than 10',
                     page)


def test_no_figure_under_10_appears_anywhere_on_the_dashboard(trainer_browser, db, app):
    add_sample(app, db, 1500, *Q3_2026)
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
        add_response(db, week="2026-W28", team="Team A")
    for _ in range(4):  # September: only 4 for Team A, so Jul-Sep minus Jul-Aug = 4 people
        add_response(db, week="2026-W37", team="Team A",
                     answers={"overall": "very_dissatisfied"})
    for _ in range(40):
        add_response(db, week="2026-W37", team="Team B")
    page = dashboard(trainer_browser, team="Team+A")
    assert "These figures cannot be shown" in page
    assert "satisfaction-chart" not in page
    # Without the filter every month holds 10 or more, so the view is shown.
    assert "These figures cannot be shown" not in dashboard(trainer_browser)


@pytest.mark.parametrize("params, field, message", [
    ({"from_month": "2026-09", "to_month": "2026-07"}, "to_month",
     "The last month must be the same as or after the first month"),
    ({"from_month": "last week"}, "from_month", "Select the first month"),
    ({"team": "Nobody"}, "team", "Select a team or unit"),
    ({"stage": "nonsense"}, "stage", "Select a journey stage"),
])
def test_bad_filters_are_explained_with_a_400(trainer_browser, db, params, field, message):
    add_response(db, week="2026-W30")
    page = dashboard(trainer_browser, status=400, **params)
    assert f'<a href="#{field}">{message}</a>' in page
    assert "<title>Error: Feedback dashboard" in page


def test_the_funnel_counts_links_created_opened_and_completed(trainer_browser, make_link, db):
    for number in range(30):
        link, _ = make_link(created_at=f"2026-08-{1 + number % 28:02d}T10:00:00+00:00")
        if number < 20:
            store.mark_link_opened(db, link["id"])
        if number < 15:
            store.mark_link_used(db, link["id"])
    for _ in range(10):
        add_response(db, week="2026-W33")
    page = dashboard(trainer_browser)
    row = re.search(r'<th scope="row">When you told us what happened</th>'
                    r'((?:<td class="numeric">[^<]*</td>){4})', page)
    assert re.findall(r">([^<]*)</td>", row.group(1)) == ["30", "20", "15", "50%"]


def test_where_to_focus_lists_the_least_satisfied_groups_first(trainer_browser, db):
    for team, answer in (("Team Low", "very_dissatisfied"), ("Team High", "very_satisfied")):
        for number in range(36):  # 12 a month, so no month of a team is small
            add_response(db, week=("2026-W28", "2026-W32", "2026-W37")[number % 3], team=team,
                         answers={"overall": answer if number % 4 else "neither"})
    page = dashboard(trainer_browser)
    focus = page.split('id="focus"', 1)[1].split('id="funnel"', 1)[0]
    assert focus.index("Team Low") < focus.index("Team High")


def test_an_officer_cannot_reach_trainer_pages(signed_in_officer):
    assert signed_in_officer.client.get("/trainer/").status_code == 403
    assert signed_in_officer.client.get("/trainer/export").status_code == 403


# The dashboard's tables as files ----------------------------------------------------

def table(browser, name, status=200, **params):
    data = {"from_month": "2026-07", "to_month": "2026-09", "stage": "", "borough": "",
            "team": "", "group": "", "channel": "", "language": "", **params}
    response = browser.post_form("/trainer/", data, action=f"/trainer/tables/{name}.csv",
                                 status=status)
    return response


def test_each_table_downloads_with_the_figures_the_page_shows(trainer_browser, db):
    for answer, count in (("very_satisfied", 20), ("fairly_satisfied", 10),
                          ("very_dissatisfied", 20)):
        for _ in range(count):
            add_response(db, week="2026-W30", answers={"overall": answer})
    response = table(trainer_browser, "satisfaction")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="satisfaction-2026-07-to-2026-09.csv"')
    text = response.get_data(as_text=True)
    assert text.startswith('\ufeff"area","satisfied_percent","responses"\r\n')
    assert '"Overall","60","50"' in text
    assert '"Kept informed","fewer than 10","fewer than 10"' in text
    for name in ("trend", "distributions", "focus", "funnel"):
        assert table(trainer_browser, name).mimetype == "text/csv"
    audits = [entry["detail"] for entry in downloads(db)]
    assert audits[0] == {"file": "table:satisfaction", "months": ["2026-07", "2026-09"]}
    assert len(audits) == 5


def test_a_table_of_a_view_that_would_single_people_out_is_refused(trainer_browser, db):
    for _ in range(4):
        add_response(db, week="2026-W37", team="Team A")
    for _ in range(40):
        add_response(db, week="2026-W37", team="Team B")
    response = table(trainer_browser, "satisfaction", status=400, team="Team A")
    assert "These figures cannot be shown" in response.get_data(as_text=True)
    assert downloads(db) == []


def test_an_unknown_table_is_not_found(trainer_browser):
    assert table(trainer_browser, "everything", status=404)
