import csv
import io
import json

import pytest

from feedback import store
from tests.conftest import AT_REPORT_ANSWERS, submit_survey


@pytest.fixture
def app(make_app):
    return make_app(EXPORT_MIN_ROWS="1")  # small exports here; suppression tested below


@pytest.fixture
def trainer_browser(browser, make_user):
    trainer = make_user("trainer@example.com", role="trainer")
    browser.sign_in(trainer["email"])
    browser.user = trainer
    return browser


def add_response(db, **overrides):
    record = {"id": overrides.pop("id", "r" * 32), "survey_id": "at-report",
              "survey_version": 1, "stage": "at_report", "team": "Response Team 1",
              "borough": "Camden", "crime_category": "burglary", "channel": "qr",
              "language": "en", "week": "2026-W40", "answers": {"overall": "very_satisfied"},
              "free_text": {}, **overrides}
    store.insert_response(db, record)


def download(browser, **filters):
    data = {"from_week": "", "to_week": "", "stage": "", "crime_category": "", "team": "",
            **filters}
    return browser.post_form("/trainer/export", data)


def read_csv(response):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_export_has_one_row_per_response_and_one_column_per_question(
        trainer_browser, app, make_link):
    _, path = make_link(team="CID Camden", crime_category="assault")
    submit_survey(app.test_client(), path, {**AT_REPORT_ANSWERS, "comments": "Kind officer"})
    response = download(trainer_browser)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="feedback-')
    header, *rows = read_csv(response)
    assert header[:10] == ["response_id", "survey_id", "survey_version", "stage", "week",
                           "team", "borough", "crime_category", "channel", "language"]
    assert header[10:16] == ["ease_of_contact", "understood", "treated_fairly",
                             "told_about_support", "overall", "comments"]
    assert "kept_informed" in header and "how_told" in header  # other stages' questions
    assert len(header) == len(set(header))
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["team"] == "CID Camden" and values["crime_category"] == "assault"
    assert values["overall"] == "fairly_dissatisfied" and values["comments"] == "Kind officer"
    assert values["kept_informed"] == ""


def test_every_cell_is_quoted_and_the_file_uses_crlf(trainer_browser, db):
    add_response(db)
    text = download(trainer_browser).get_data(as_text=True)
    first_line = text.split("\r\n")[0]
    assert first_line.startswith('\ufeff"response_id","survey_id"')


@pytest.mark.parametrize("filters, expected_ids", [
    ({}, {"a", "b", "c", "d"}),
    ({"from_week": "2026-W41"}, {"b", "c", "d"}),
    ({"to_week": "2026-W41"}, {"a", "b"}),
    ({"from_week": "2026-W41", "to_week": "2026-W41"}, {"b"}),
    ({"stage": "at_outcome"}, {"c"}),
    ({"crime_category": "fraud"}, {"d"}),
    ({"team": "Team B"}, {"b", "d"}),
    ({"team": "Team B", "crime_category": "fraud"}, {"d"}),
])
def test_the_export_filters(trainer_browser, db, filters, expected_ids):
    add_response(db, id="a" * 32, week="2026-W40", team="Team A")
    add_response(db, id="b" * 32, week="2026-W41", team="Team B")
    add_response(db, id="c" * 32, week="2026-W45", stage="at_outcome", survey_id="at-outcome")
    add_response(db, id="d" * 32, week="2026-W50", team="Team B", crime_category="fraud")
    header, *rows = read_csv(download(trainer_browser, **filters))
    assert {row[0][0] for row in rows} == expected_ids


def test_each_export_is_recorded_with_who_and_which_filters(trainer_browser, db):
    add_response(db, crime_category="fraud")
    download(trainer_browser, crime_category="fraud", from_week="2026-W01")
    [audit] = store.fetch_exports(db)
    assert audit["email"] == "trainer@example.com"
    assert json.loads(audit["filters"]) == {"crime_category": "fraud", "from_week": "2026-W01",
                                            "stage": "", "team": "", "to_week": ""}
    assert audit["created_at"]


@pytest.mark.parametrize("filters, field, message", [
    ({"from_week": "last week"}, "from_week", "Enter the from week like 2026-W01"),
    ({"to_week": "2026-W60"}, "to_week", "Enter the to week like 2026-W52"),
    ({"from_week": "2026-W10", "to_week": "2026-W09"}, "to_week",
     "The to week must be the same as or after the from week"),
    ({"stage": "nonsense"}, "stage", "Select a journey stage"),
])
def test_bad_filters_are_explained_and_nothing_is_exported_or_recorded(
        trainer_browser, db, filters, field, message):
    response = download(trainer_browser, **filters)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<a href="#{field}">{message}</a>' in page
    assert store.fetch_exports(db) == []


def test_hostile_free_text_cannot_become_a_formula(trainer_browser, db):
    add_response(db, free_text={"comments": "=HYPERLINK(\"http://x\",\"click\")"},
                 team="+Team")
    header, row = read_csv(download(trainer_browser))
    values = dict(zip(header, row, strict=True))
    assert values["comments"] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert values["team"] == "'+Team"


def test_an_export_matching_too_few_responses_is_refused(trainer_browser, db, app):
    app.config["EXPORT_MIN_ROWS"] = 3
    add_response(db, id="a" * 32, team="Team A")
    add_response(db, id="b" * 32, team="Team A")
    add_response(db, id="c" * 32, team="Team B")
    refused = download(trainer_browser, team="Team A")
    assert refused.status_code == 400
    assert ("These filters match fewer than 3 responses. To keep people anonymous"
            in refused.get_data(as_text=True))
    assert store.fetch_exports(db) == []
    header, *rows = read_csv(download(trainer_browser))
    assert len(rows) == 3


def test_an_officer_cannot_reach_trainer_pages(signed_in_officer):
    assert signed_in_officer.client.get("/trainer/").status_code == 403
    assert signed_in_officer.client.get("/trainer/export").status_code == 403


def test_the_overview_counts_responses_by_stage(trainer_browser, db):
    add_response(db, id="a" * 32)
    add_response(db, id="b" * 32)
    page = trainer_browser.get("/trainer/").get_data(as_text=True)
    assert '<td>When you told us what happened</td><td class="numeric">2</td>' in page
