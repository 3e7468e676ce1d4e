"""Reading redacted comments, and an admin removing a detail that slipped through."""

import json
import logging
import re

import pytest

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.domain.periods import day_label, month_label, months_of_quarter, publication_date
from feedback.usecases import reporting
from tests.dates import LAST_QUARTER, OPEN_MONTH, TODAY, a_week_in_each_month
from tests.stored import stored_bytes
from tests.trainer_data import SECRET, add_response, publish

FIRST, _, THIRD = months_of_quarter(LAST_QUARTER)
QUARTER = f"from_month={FIRST}&to_month={THIRD}"


def signed_in(browser, make_user, role):
    user = make_user(f"{role}@example.com", role=role)
    browser.sign_in(user["email"])
    return browser


def texts(page):
    return re.findall(r'<blockquote class="comment__text">(.*?)</blockquote>', page, re.S)


def test_comments_are_shown_newest_week_first_with_paging(browser, make_user, comments):
    signed_in(browser, make_user, "trainer")
    first = browser.get(f"/trainer/comments?{QUARTER}").get_data(as_text=True)
    assert "61 comments, page 1 of 4." in first
    shown = texts(first)
    assert len(shown) == 20
    weeks = [re.search(r"W\d\d", text).group(0) for text in shown if "Comment" in text]
    assert weeks == sorted(weeks, reverse=True)
    last = browser.get(f"/trainer/comments?{QUARTER}&page=4").get_data(as_text=True)
    assert len(texts(last)) == 1
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert "Remove a personal detail" not in first  # trainers read; admins remove


def test_comments_can_be_filtered_by_overall_satisfaction(browser, make_user, comments):
    signed_in(browser, make_user, "trainer")
    page = browser.get(f"/trainer/comments?{QUARTER}&rating=dissatisfied").get_data(as_text=True)
    numbers = [int(n) for n in re.findall(r"Comment (\d\d\d)", page)]
    assert numbers and all(n // 3 % 3 == 2 for n in numbers)


def test_comments_of_a_small_group_are_not_shown(browser, make_user, db):
    signed_in(browser, make_user, "trainer")
    week = a_week_in_each_month(LAST_QUARTER)[2]
    for _ in range(4):
        add_response(db, week=week, borough="Tiny", free_text={"comments": "Hello"})
    for number in range(30):
        add_response(db, week=week, answers={"overall": ("very_satisfied", "neither")[number % 2]},
                     free_text={"comments": f"Fine {number}"})
    # Tiny's 4 can't be a group of the month's release, so it keeps no place at all:
    # Tiny is no choice, and their comments are only among the whole force's.
    page = browser.get(f"/trainer/comments?from_month={THIRD}&to_month={THIRD}&borough=Tiny",
                       status=400).get_data(as_text=True)
    assert texts(page) == []
    month = browser.get(f"/trainer/comments?from_month={THIRD}&to_month={THIRD}").get_data(
        as_text=True)
    assert "34 comments, page 1 of 2" in month
    assert len(texts(month)) == 20
    assert "Tiny" not in month


@pytest.mark.parametrize("params, field, message", [
    (f"from_month={THIRD}&to_month={FIRST}", "to_month",
     "The last month must be the same as or after the first month"),
    (f"{QUARTER}&page=none", "page", "Enter the page as a number"),
    (f"{QUARTER}&rating=furious", "rating", "Select how satisfied people were overall"),
    # The month to be published next: its comments could still change.
    (f"from_month={OPEN_MONTH}&to_month={OPEN_MONTH}", "from_month",
     f"Comments for {month_label(OPEN_MONTH)} are published on"
     f" {day_label(publication_date(OPEN_MONTH))}"),
])
def test_bad_choices_are_explained_with_a_400(browser, make_user, params, field, message):
    signed_in(browser, make_user, "trainer")
    page = browser.get(f"/trainer/comments?{params}", status=400).get_data(as_text=True)
    assert f'<a href="#{field}">{message}</a>' in page


def remove(browser, target, scope, detail="", status=None):
    return browser.post_form(f"/trainer/comments?{QUARTER}", {
        "response": target["id"], "question": "comments", "scope": scope, "detail": detail},
        action=f"/trainer/comments/remove?{QUARTER}", status=status)


def test_an_admin_removes_a_detail_and_it_is_gone_from_the_file(browser, make_user, comments,
                                                                 db, app):
    _, target = comments
    assert SECRET.encode() in stored_bytes(app, db)  # the scan can find it
    signed_in(browser, make_user, "admin")
    response = remove(browser, target, "detail", SECRET, status=303)
    assert response.headers["Location"].endswith(f"/trainer/comments?{QUARTER}")
    assert store.fetch_response_text(db, target["id"]) == {
        "comments": "The officer [removed] was kind"}
    assert SECRET.encode() not in stored_bytes(app, db)
    [entry] = audit.fetch_audit(db, {"action": "comment_removed"}, 10, 0)
    assert (entry["actor"], entry["subject"]) == ("admin@example.com", target["id"])
    assert SECRET not in json.dumps(entry)
    page = browser.get(f"/trainer/comments?{QUARTER}").get_data(as_text=True)
    # Only SQLite can promise the old text is gone from its files at once.
    promised = {"sqlite": "The text was removed from the comment and deleted from the database.",
                "postgresql": "The database deletes its old copy in routine maintenance."}
    assert promised[db.dialect] in page


def test_an_admin_removes_a_whole_comment(browser, make_user, comments, db):
    _, target = comments
    signed_in(browser, make_user, "admin")
    remove(browser, target, "all", status=303)
    assert store.fetch_response_text(db, target["id"]) == {"comments": "[comment removed]"}


@pytest.mark.parametrize("scope, detail, message", [
    ("detail", "not in there", "That text is not in the comment: copy it exactly as it appears"),
    ("detail", "  ", "Enter the text to remove, or remove the whole comment"),
])
def test_a_removal_that_cannot_be_done_is_explained_and_changes_nothing(
        browser, make_user, comments, db, scope, detail, message):
    _, target = comments
    signed_in(browser, make_user, "admin")
    response = remove(browser, target, scope, detail, status=400)
    assert f'{message}</a>' in response.get_data(as_text=True)
    assert store.fetch_response_text(db, target["id"]) == target["free_text"]
    assert audit.fetch_audit(db, {"action": "comment_removed"}, 10, 0) == []


def test_a_trainer_cannot_remove_anything(browser, make_user, comments, db):
    _, target = comments
    signed_in(browser, make_user, "trainer")
    remove(browser, target, "all", status=403)
    assert store.fetch_response_text(db, target["id"]) == target["free_text"]


# Filters by team and crime group, words and themes ----------------------------------

WEEK = a_week_in_each_month(LAST_QUARTER)[2]
MONTH = f"from_month={THIRD}&to_month={THIRD}"
# Two teams of 30 in the month, each with both ratings, and four teams of 3, each
# under 5% of the month: its release keeps the two teams and both crime groups, and
# counts the four small ones together as "other" (feedback/domain/privacy/kanon.py).
TINY = [f"Tiny Team {letter}" for letter in "ABCD"]
TEAMS = [("Response Team 1", "burglary", 30, "The officer kept me updated every week, thank you"),
         ("Response Team 2", "assault", 30,
          "Nobody came for hours and the interpreter never arrived"),
         *[(team, "burglary", 3, "Kept me updated as promised") for team in TINY]]


def add_teams(db):
    for team, category, count, text in TEAMS:
        for number in range(count):
            add_response(db, week=WEEK, team=team, crime_category=category,
                         answers={"overall": ("very_satisfied", "neither")[number % 2]},
                         free_text={"comments": f"{text} ({team} {number})"})


def use_case(app, db, words="", theme="", **filters):
    publish(db, app.config["SURVEYS"])
    return reporting.comments(db, app.config["SURVEYS"], [THIRD], filters, "", 1,
                              {"threshold": 10, "response_days": 730}, TODAY,
                              per_page=100, words=words, theme=theme)


def listed(model):
    return {re.search(r"\((.*) \d+\)", c["text"]).group(1) for c in model["comments"]}


def test_team_and_crime_group_filters_select_by_released_values(app, db):
    add_teams(db)
    assert listed(use_case(app, db)) == {"Response Team 1", "Response Team 2", *TINY}
    assert listed(use_case(app, db, team="Response Team 2")) == {"Response Team 2"}
    assert listed(use_case(app, db, group="violence")) == {"Response Team 2"}
    # The small teams' burglaries are released as "other" team: a crime group filter
    # selects them, a filter on one of their teams never could.
    assert listed(use_case(app, db, group="acquisitive")) == {"Response Team 1", *TINY}
    assert use_case(app, db, team="Tiny Team A")["comments"] == []
    assert listed(use_case(app, db, team="Response Team 1", group="acquisitive")) == {
        "Response Team 1"}


def test_only_teams_and_groups_a_release_keeps_are_offered(browser, make_user, db):
    add_teams(db)
    signed_in(browser, make_user, "trainer")
    page = browser.get(f"/trainer/comments?{MONTH}").get_data(as_text=True)
    teams = re.search(r'<select[^>]*name="team".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', teams) == [
        "", "Response Team 1", "Response Team 2"]
    groups = re.search(r'<select[^>]*name="group".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', groups) == ["", "violence", "acquisitive"]
    filtered = browser.get(f"/trainer/comments?{MONTH}&team=Response+Team+2&group=violence")
    assert "30 comments" in filtered.get_data(as_text=True)
    refused = browser.get(f"/trainer/comments?{MONTH}&team=Tiny+Team+A", status=400)
    assert '<a href="#team">Select a team or unit</a>' in refused.get_data(as_text=True)


def test_theme_counts_are_rounded_and_a_small_one_is_hidden(app, db):
    add_teams(db)
    model = use_case(app, db)
    # 42 about being kept informed, 30 about attending and access, none about support.
    # The small teams' 12 "Kept me updated as promised" are contact too (round 8's themes
    # model; since round 10 a rule, as the model retrained with blind9 no longer finds it):
    # the labelling guide reads a promise of contact kept as contact ("rang every thursday
    # like she promised").
    assert model["themes"] == {
        "kept_informed": 40, "response_time": 30, "empathy": None, "believed": None,
        "professionalism": None, "outcome": None, "access": 30, "support": None,
        "contact": 10}
    # Within Response Team 1 alone, 30 of them.
    assert use_case(app, db, team="Response Team 1")["themes"]["kept_informed"] == 30
    # The theme chosen lists all 42; the counts stay those of every theme.
    chosen = use_case(app, db, theme="kept_informed")
    assert (chosen["total"], chosen["themes"]) == (42, model["themes"])


def test_a_theme_count_under_10_says_fewer_than_10_on_the_page(browser, make_user, db):
    add_teams(db)
    for number in range(4):
        add_response(db, week=WEEK, team="Response Team 1", answers={"overall": "neither"},
                     free_text={"comments": f"They referred me to Victim Support ({number})"})
    signed_in(browser, make_user, "trainer")
    page = browser.get(f"/trainer/comments?{MONTH}").get_data(as_text=True)
    counts = dict(re.findall(r'>([^<>]+)</a>: <span class="themes__count">([^<]+)</span>', page))
    assert counts["Support and referral"] == "fewer than 10"
    assert counts["Kept informed"] == "40"
    assert "4" not in counts.values()


def test_a_theme_filters_the_comments_and_each_shows_its_themes(browser, make_user, db):
    add_teams(db)
    signed_in(browser, make_user, "trainer")
    page = browser.get(f"/trainer/comments?{MONTH}&theme=access").get_data(as_text=True)
    assert "30 comments, page 1 of 2" in page
    assert all("interpreter" in text for text in texts(page))
    assert ('Themes: <span class="theme-tag">Time to attend</span>'
            ' <span class="theme-tag">Language and access</span>') in page


def test_words_are_searched_in_any_case_and_never_logged_or_audited(
        browser, make_user, db, caplog):
    add_teams(db)
    signed_in(browser, make_user, "trainer")
    caplog.set_level(logging.DEBUG)
    page = browser.get(f"/trainer/comments?{MONTH}&words=INTERPRETER+never").get_data(
        as_text=True)
    assert "30 comments" in page
    assert all("Response Team 2" in text for text in texts(page))
    none = browser.get(f"/trainer/comments?{MONTH}&words=interpreter+zebra").get_data(
        as_text=True)
    assert texts(none) == [] and 'id="no-comments"' in none
    assert "interpreter" not in caplog.text.lower() and "zebra" not in caplog.text.lower()
    views = [entry["detail"] for entry in audit.fetch_audit(db, {}, 100, 0)
             if entry["detail"].get("view") == "comments"]
    assert len(views) == 2 and all(view["search"] is True for view in views)
    assert "zebra" not in json.dumps(views) and "interpreter" not in json.dumps(views).lower()


@pytest.mark.parametrize("params, field, message", [
    (f"{MONTH}&words={'a' * 101}", "words", "Enter 100 characters or fewer to search for"),
    (f"{MONTH}&theme=rudeness", "theme", "Select a theme"),
    (f"{MONTH}&group=vehicles", "group", "Select a crime category group"),
    (f"{MONTH}&team=Nobody", "team", "Select a team or unit"),
])
def test_bad_filters_and_words_are_explained_with_a_400(browser, make_user, db, params, field,
                                                        message):
    add_teams(db)
    signed_in(browser, make_user, "trainer")
    page = browser.get(f"/trainer/comments?{params}", status=400).get_data(as_text=True)
    assert f'<a href="#{field}">{message}</a>' in page
    assert texts(page) == []
