from pathlib import Path

import pytest

from feedback import create_app
from feedback.domain.surveys import (
    AREAS,
    SurveyDefinitionError,
    load_surveys,
    response_record,
    validate_answers,
)

DEFINITIONS = Path(__file__).resolve().parents[2] / "feedback" / "survey_definitions"
VALID = '''
id = "xx"
version = 1
stage = "xx"
title = "X"
{questions}
'''
QUESTION = '''
[[questions]]
id = "q{n}"
type = "scale"
area = "treatment"
text = "How?"
error = "Select one for q{n}"
'''


def write(tmp_path, questions):
    (tmp_path / "x.toml").write_text(VALID.format(questions=questions))
    return tmp_path


def four_plus(extra):
    return "".join(QUESTION.format(n=n) for n in range(3)) + extra


def test_the_shipped_definitions_cover_three_stages_and_the_satisfaction_areas():
    surveys = load_surveys(DEFINITIONS, 500)
    assert list(surveys) == ["at_report", "during_investigation", "at_outcome"]
    covered = set()
    for survey in surveys.values():
        assert 4 <= len(survey.questions) <= 8
        assert survey.version >= 1
        covered |= {q.area for q in survey.questions if q.area}
        assert any(q.type == "text" and not q.required for q in survey.questions)
    assert covered == AREAS
    rights = {r for s in surveys.values() for q in s.questions for r in q.rights}
    assert {1, 3, 4, 6, 7, 12} <= rights


@pytest.mark.parametrize("extra, message", [
    (QUESTION.format(n=0), "x.toml: question 'q0' appears twice"),
    (QUESTION.format(n=9).replace("scale", "slider"),
     "x.toml: question 'q9': unknown type 'slider'"),
    (QUESTION.format(n=9).replace('area = "treatment"', 'area = "vibes"'),
     "x.toml: question 'q9': area must be one of"),
    (QUESTION.format(n=9).replace('error = "Select one for q9"', ""),
     "x.toml: question 'q9': a choice question needs an 'error' message"),
    (QUESTION.format(n=9).replace('"Select one for q9"', '"Select one for q1"'),
     "x.toml: question 'q9': its 'error' repeats another question's"),
    (QUESTION.format(n=9).replace('id = "q9"', 'id = "Bad Id"'),
     "x.toml: question id 'Bad Id' must be a lower-case word"),
    (QUESTION.format(n=9).replace('type = "scale"', 'type = "choice"'),
     "x.toml: question 'q9': a choice question needs at least 2 choices"),
    (QUESTION.format(n=9) + "rights = [13]", "x.toml: question 'q9': Victims' Code rights"),
    ("", "x.toml: has 3 questions, needs 4 to 8"),
])
def test_a_broken_definition_names_the_file_and_question(tmp_path, extra, message):
    with pytest.raises(SurveyDefinitionError, match="^" + message.replace("(", r"\(")):
        load_surveys(write(tmp_path, four_plus(extra)), 500)


def test_invalid_toml_names_the_file(tmp_path):
    (tmp_path / "broken.toml").write_text("id = ")
    with pytest.raises(SurveyDefinitionError, match="^broken.toml: not valid TOML"):
        load_surveys(tmp_path, 500)


def test_a_broken_definition_stops_the_app_starting(app, tmp_path):
    write(tmp_path, four_plus(QUESTION.format(n=0)))
    with pytest.raises(SurveyDefinitionError, match="x.toml: question 'q0' appears twice"):
        create_app({"SURVEY_DEFINITIONS": str(tmp_path)})


def test_answers_are_split_into_choices_and_free_text():
    survey = load_surveys(DEFINITIONS, 500)["at_report"]
    answers, free_text, errors = validate_answers(survey, {
        "ease_of_contact": "very_satisfied", "understood": "not_sure",
        "treated_fairly": "neither", "told_about_support": "yes", "overall": "very_satisfied",
        "comments": "  Thanks  ", "unknown_field": "ignored"})
    assert errors == {}
    assert free_text == {"comments": "Thanks"}
    assert answers["understood"] == "not_sure" and "unknown_field" not in answers


def test_the_stored_record_has_only_the_allowed_fields():
    survey = load_surveys(DEFINITIONS, 500)["at_report"]
    link = {"id": "L" * 16, "officer_id": 7, "team": "T", "borough": "B",
            "crime_category": "theft", "channel": "qr", "language": "en",
            "created_at": "2026-11-28T10:00:00+00:00"}
    record = response_record("r" * 32, survey, link, "2026-W48", {}, {})
    assert set(record) == {"id", "survey_id", "survey_version", "stage", "team", "borough",
                           "crime_category", "channel", "language", "week", "answers",
                           "free_text"}
    assert "L" * 16 not in str(record.values()) and 7 not in record.values()


def test_in_every_shipped_survey_only_the_overall_rating_is_required_and_errors_differ():
    for survey in load_surveys(DEFINITIONS, 500).values():
        assert [q.id for q in survey.questions if q.required] == ["overall"]
        errors = [q.error for q in survey.questions if q.type != "text"]
        assert all(errors) and len(set(errors)) == len(errors), survey.stage


def test_an_optional_question_left_blank_is_no_error_but_a_made_up_answer_is():
    survey = load_surveys(DEFINITIONS, 500)["at_report"]
    assert validate_answers(survey, {"overall": "neither"}) == ({"overall": "neither"}, {}, {})
    _, _, errors = validate_answers(survey, {"overall": "neither", "understood": "maybe"})
    assert errors == {"understood": "missing"}
    _, _, errors = validate_answers(survey, {})
    assert errors == {"overall": "missing"}
