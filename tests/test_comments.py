"""Reading redacted comments, and an admin removing a detail that slipped through."""

import json
import re

import pytest

from feedback import audit, store
from feedback.periods import day_label, month_label, months_of_quarter, publication_date
from tests.dates import LAST_QUARTER, OPEN_MONTH, a_week_in_each_month
from tests.stored import stored_bytes
from tests.trainer_data import SECRET, add_response

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
