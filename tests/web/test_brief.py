"""The training brief: one click from the dashboard gives a PDF for a team, a
borough or the force, with the dashboard's figures and nothing more."""

import io
import sys

from pypdf import PdfReader

from feedback.domain.periods import month_label, months_of_quarter
from tests.dates import LAST_QUARTER, a_week_in_each_month, month_range
from tests.trainer_data import add_response, downloads

QUARTER = month_range(LAST_QUARTER)
FIRST, SECOND, THIRD = months_of_quarter(LAST_QUARTER)
WEEKS = a_week_in_each_month(LAST_QUARTER)
FORM = {**QUARTER, "stage": "", "borough": "", "team": "", "group": "", "channel": "",
        "language": ""}


def add_team(db, team, ratings, per_month=12, comment=None, **details):
    for number in range(3 * per_month):
        free_text = {"comments": f"{comment} {number}"} if comment and number < 6 else {}
        add_response(db, week=WEEKS[number % 3], team=team, free_text=free_text,
                     answers={"overall": ratings[number % len(ratings)],
                              "treated_fairly": ratings[number % len(ratings)]}, **details)


def brief(browser, status=200, **fields):
    response = browser.post_form("/trainer/", {**FORM, **fields},
                                 action="/trainer/brief.pdf", status=status)
    return response


def text_of(response):
    reader = PdfReader(io.BytesIO(response.get_data()))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split())
                                       for page in reader.pages)


def test_a_team_brief_has_its_figures_beside_the_force_its_trend_and_comments(
        trainer_browser, db):
    add_team(db, "Team Low", ("very_dissatisfied", "neither"), comment="Nobody rang back")
    add_team(db, "Team High", ("very_satisfied", "fairly_satisfied"), comment="Kind and quick")
    response = brief(trainer_browser, team="Team Low")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="brief-Team_Low-{FIRST}-{THIRD}.pdf"')
    pages, text = text_of(response)
    assert pages <= 2
    assert "Training brief: Team Low" in text
    assert f"{month_label(FIRST)} to {month_label(THIRD)}. 35 responses." in text
    # Overall and treatment: 0 of 35 against the force's 35 of 70 (50%, 38-62%).
    assert "Overall 0% (0–10%) 35 50% (38–62%) Below" in text
    assert "Treatment 0% (0–10%) 35 50% (38–62%) Below" in text
    assert "Gaps: Overall, Treatment: satisfaction clearly below the force's." in text
    assert "Strengths: no area is clearly above the force's figure." in text
    # The trend: each month with its n (12 a month, published as 10).
    assert f"{month_label(THIRD)} (10)" in text
    # Its own comments only, never another team's.
    assert "Nobody rang back" in text and "Kind and quick" not in text
    # A file like any other: in the audit log, with what it covered.
    assert downloads(db)[-1]["detail"] == {"file": "brief", "months": [FIRST, THIRD],
                                           "team": "Team Low"}


def test_the_force_brief_names_the_force_and_finds_no_gap_against_itself(trainer_browser, db):
    add_team(db, "Team Low", ("very_dissatisfied", "neither"))
    add_team(db, "Team High", ("very_satisfied", "fairly_satisfied"))
    _, text = text_of(brief(trainer_browser))
    assert "Training brief: The force" in text
    assert "Overall 50% (38–62%) 70 50% (38–62%) No clear difference" in text


def test_a_team_its_months_did_not_release_gets_no_brief(trainer_browser, db):
    add_team(db, "Team Big", ("very_satisfied", "neither"), per_month=20)
    add_team(db, "Team Tiny", ("very_dissatisfied",), per_month=1)
    response = brief(trainer_browser, status=400, team="Team Tiny")
    assert "Select a team or unit" in response.get_data(as_text=True)
    assert downloads(db) == []


def test_without_the_pdf_library_the_brief_says_so_calmly(trainer_browser, db, monkeypatch):
    add_team(db, "Team Big", ("very_satisfied", "neither"), per_month=20)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    response = brief(trainer_browser, status=503)
    assert "The training brief cannot be made on this server" in response.get_data(as_text=True)
