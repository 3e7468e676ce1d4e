"""My links: newest first with the time each was made, 20 to a page, filtered by
status, survey and when made; choices only, never a free-text label."""

import re
from datetime import datetime, timedelta

import pytest

from feedback.adapters.store import links as link_store
from feedback.domain import clock
from tests.conftest import AT_REPORT_ANSWERS, submit_survey
from tests.dates import NOW
from tests.pages import check_page


def created(days_ago=0, minutes_ago=0):
    moment = NOW - timedelta(days=days_ago, minutes=minutes_ago)
    return {"created_at": moment.isoformat(),
            "expires_at": (moment + timedelta(days=60)).isoformat()}


def listed(browser, query=""):
    page = browser.get(f"/officer/links{query}").get_data(as_text=True)
    return re.findall(r'<h2[^>]*><a href="/officer/links/([\w-]+)"', page), page


def test_links_are_listed_newest_first_with_the_time_each_was_made(signed_in_officer,
                                                                    make_link):
    older, _ = make_link(**created(minutes_ago=90))
    newer, _ = make_link(**created(minutes_ago=5))
    ids, page = listed(signed_in_officer)
    assert ids == [newer["id"], older["id"]]
    made = datetime.fromisoformat(newer["created_at"])
    assert made.strftime("%-d %b %Y, %H:%M") in page
    assert "1 to 2 of 2 links" in page


def test_links_come_20_to_a_page_with_links_between_pages(signed_in_officer, make_link):
    made = [make_link(**created(minutes_ago=n))[0]["id"] for n in range(45)]
    first, page = listed(signed_in_officer)
    assert first == made[:20]
    assert "Page 1 of 3" in page and 'href="/officer/links?page=2"' in page
    assert "Previous page" not in page
    second, page = listed(signed_in_officer, "?page=2")
    assert second == made[20:40] and "21 to 40 of 45 links" in page
    third, page = listed(signed_in_officer, "?page=3")
    assert third == made[40:] and "Next page" not in page


@pytest.mark.parametrize("query, status", [
    ("?page=0", 400), ("?page=two", 400), ("?page=-1", 400), ("?page=9999999", 400),
    ("?page=2", 404),
])
def test_a_page_number_that_makes_no_sense_gets_a_calm_page(signed_in_officer, make_link,
                                                            query, status):
    make_link()
    response = signed_in_officer.get(f"/officer/links{query}", status=status)
    assert "Traceback" not in response.get_data(as_text=True)


def test_links_can_be_filtered_by_status_survey_and_when_they_were_made(
        signed_in_officer, make_link, app, db):
    old, _ = make_link(**created(days_ago=10))
    week, _ = make_link(**created(days_ago=3), stage="at_outcome")
    today, _ = make_link(**created(minutes_ago=1))
    opened, path = make_link(**created(minutes_ago=2))
    app.test_client().get(path)
    done, done_path = make_link(**created(minutes_ago=3))
    submit_survey(app.test_client(), done_path, AT_REPORT_ANSWERS)
    cancelled, _ = make_link(**created(minutes_ago=4))
    db.execute("UPDATE links SET revoked = 1 WHERE id = ?", [cancelled["id"]])
    expired, _ = make_link(created_at=(NOW - timedelta(days=2)).isoformat(),
                           expires_at=(NOW - timedelta(days=1)).isoformat())
    cases = {
        "?status=not_opened": [today, week, old],
        "?status=opened": [opened], "?status=completed": [done],
        "?status=revoked": [cancelled], "?status=expired": [expired],
        "?stage=at_outcome": [week],
        "?period=week": [today, opened, done, cancelled, expired, week],
        "?period=month&status=not_opened&stage=at_report": [today, old],
    }
    for query, expected in cases.items():
        ids, page = listed(signed_in_officer, query)
        assert ids == [link["id"] for link in expected], query
    ids, page = listed(signed_in_officer, "?status=completed&stage=at_outcome")
    assert ids == [] and "No links match these filters" in page


def test_the_filters_keep_their_choices_and_paging_keeps_the_filters(signed_in_officer,
                                                                      make_link):
    for n in range(25):
        make_link(**created(minutes_ago=n))
    _, page = listed(signed_in_officer, "?status=not_opened&period=week")
    assert '<option value="not_opened" selected>' in page
    assert '<option value="week" selected>' in page
    assert 'href="/officer/links?page=2&amp;status=not_opened&amp;period=week"' in page


@pytest.mark.parametrize("query, message", [
    ("?status=lost", "Select a status from the list"),
    ("?stage=<script>", "Select a survey from the list"),
    ("?period=yesterday", "Select when the links were created"),
])
def test_a_filter_value_not_offered_is_explained(signed_in_officer, make_link, query, message):
    make_link()
    response = signed_in_officer.get(f"/officer/links{query}", status=400)
    page = response.get_data(as_text=True)
    assert check_page(page).startswith("Error: ")
    assert message in page and "<script>" not in page


def test_there_is_nowhere_to_type_a_label_or_search(signed_in_officer):
    _, page = listed(signed_in_officer)
    filters = page.split('class="filters"')[1].split("</form>")[0]
    assert re.findall(r"<(input|textarea)\b", filters) == []
    assert sorted(re.findall(r'<select[^>]* name="(\w+)"', filters)) == [
        "period", "stage", "status"]


def test_an_officer_sees_only_their_own_links(officer, make_user, make_link, db):
    mine, _ = make_link()
    other = make_user("other@example.com")
    assert link_store.fetch_link_page(db, other["id"], NOW, {}, 20, 0) == {
        "links": [], "total": 0}
    page = link_store.fetch_link_page(db, officer["id"], NOW, {}, 20, 0)
    assert [link["id"] for link in page["links"]] == [mine["id"]] and page["total"] == 1


def test_today_means_since_midnight_utc(signed_in_officer, make_link):
    moment = clock.now().replace(microsecond=0)
    midnight = moment.replace(hour=0, minute=0, second=0)
    just_now, _ = make_link(created_at=moment.isoformat(),
                            expires_at=(moment + timedelta(days=9)).isoformat())
    before, _ = make_link(created_at=(midnight - timedelta(seconds=1)).isoformat(),
                          expires_at=(moment + timedelta(days=9)).isoformat())
    assert listed(signed_in_officer, "?period=today")[0] == [just_now["id"]]
    assert listed(signed_in_officer, "?period=week")[0] == [just_now["id"], before["id"]]
