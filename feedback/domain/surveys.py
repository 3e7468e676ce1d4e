"""Survey definitions (TOML data files) and turning answers into a stored record."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

AREAS = {
    "ease_of_contact", "actions_taken", "kept_informed", "treatment", "whole_experience",
}
VICTIMS_CODE_RIGHTS = range(1, 13)
QUESTION_TYPES = {"choice", "scale", "yes_no", "text"}

SCALE_CHOICES = (
    ("very_satisfied", "Very satisfied"),
    ("fairly_satisfied", "Fairly satisfied"),
    ("neither", "Neither satisfied nor dissatisfied"),
    ("fairly_dissatisfied", "Fairly dissatisfied"),
    ("very_dissatisfied", "Very dissatisfied"),
)
YES_NO_CHOICES = (("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure"))

_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
MIN_QUESTIONS, MAX_QUESTIONS = 4, 8


class SurveyDefinitionError(Exception):
    pass


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    hint: str
    area: str
    rights: tuple[int, ...]
    choices: tuple[tuple[str, str], ...]
    required: bool
    error: str
    max_length: int
    # The officer who gave the link knows the true answer (it is about their own
    # actions): the export treats it as known, like the victim's team (kanon.py).
    officer_knows: bool = False


@dataclass(frozen=True)
class Survey:
    id: str
    version: int
    stage: str
    title: str
    order: int
    questions: tuple[Question, ...]

    @property
    def question_ids(self):
        return [q.id for q in self.questions]


def load_surveys(folder, max_text_length):
    """Load and validate every *.toml in folder, keyed by journey stage."""
    surveys = {}
    for path in sorted(Path(folder).glob("*.toml")):
        survey = _load(path, max_text_length)
        if survey.stage in surveys:
            raise SurveyDefinitionError(f"{path.name}: stage '{survey.stage}' is defined twice")
        surveys[survey.stage] = survey
    if not surveys:
        raise SurveyDefinitionError(f"no survey definitions in {folder}")
    return dict(sorted(surveys.items(), key=lambda item: item[1].order))


def _load(path, max_text_length):
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SurveyDefinitionError(f"{path.name}: not valid TOML ({error})") from None
    where = path.name
    for key in ("id", "version", "stage", "title", "questions"):
        if key not in data:
            raise SurveyDefinitionError(f"{where}: missing '{key}'")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise SurveyDefinitionError(f"{where}: version must be a whole number from 1")
    if not _ID.match(str(data["stage"])) or not _ID.match(str(data["id"]).replace("-", "_")):
        raise SurveyDefinitionError(f"{where}: id and stage must be lower-case words")
    raw = data["questions"]
    if not MIN_QUESTIONS <= len(raw) <= MAX_QUESTIONS:
        raise SurveyDefinitionError(
            f"{where}: has {len(raw)} questions, needs {MIN_QUESTIONS} to {MAX_QUESTIONS}")
    questions, seen, errors = [], set(), set()
    for item in raw:
        question = _question(where, item, max_text_length)
        if question.id in seen:
            raise SurveyDefinitionError(f"{where}: question '{question.id}' appears twice")
        # Two errors worded alike in one summary leave the reader guessing which is which.
        if question.error and question.error in errors:
            raise SurveyDefinitionError(
                f"{where}: question '{question.id}': its 'error' repeats another question's")
        seen.add(question.id)
        errors.add(question.error)
        questions.append(question)
    return Survey(str(data["id"]), data["version"], data["stage"], data["title"],
                  int(data.get("order", 0)), tuple(questions))


def _question(where, item, max_text_length):
    qid = str(item.get("id", ""))
    if not _ID.match(qid):
        raise SurveyDefinitionError(f"{where}: question id '{qid}' must be a lower-case word")
    where = f"{where}: question '{qid}'"
    qtype = item.get("type")
    if qtype not in QUESTION_TYPES:
        raise SurveyDefinitionError(f"{where}: unknown type '{qtype}'")
    if not item.get("text"):
        raise SurveyDefinitionError(f"{where}: missing 'text'")
    area = item.get("area", "")
    if qtype != "text" and area not in AREAS:
        raise SurveyDefinitionError(f"{where}: area must be one of {', '.join(sorted(AREAS))}")
    rights = tuple(item.get("rights", ()))
    if any(r not in VICTIMS_CODE_RIGHTS for r in rights):
        raise SurveyDefinitionError(f"{where}: Victims' Code rights are numbered 1 to 12")
    choices = _choices(where, qtype, item.get("choices"))
    # Optional unless marked: only the overall rating should hold a person back.
    required = qtype != "text" and item.get("required", False) is True
    if qtype != "text" and not item.get("error"):
        raise SurveyDefinitionError(f"{where}: a choice question needs an 'error' message")
    officer_knows = item.get("officer_knows", False)
    if officer_knows not in (True, False) or (officer_knows and qtype == "text"):
        raise SurveyDefinitionError(f"{where}: officer_knows is true or false, on a choice")
    return Question(qid, qtype, item["text"], item.get("hint", ""), area, rights, choices,
                    required, item.get("error", ""),
                    min(int(item.get("max_length", max_text_length)), max_text_length),
                    officer_knows)


def _choices(where, qtype, raw):
    if qtype == "scale":
        return SCALE_CHOICES
    if qtype == "yes_no":
        return YES_NO_CHOICES
    if qtype == "text":
        return ()
    if not raw or len(raw) < 2:
        raise SurveyDefinitionError(f"{where}: a choice question needs at least 2 choices")
    values = [str(c.get("value", "")) for c in raw]
    if len(set(values)) != len(values) or not all(_ID.match(v) for v in values):
        raise SurveyDefinitionError(f"{where}: choice values must be unique lower-case words")
    return tuple((str(c["value"]), str(c["label"])) for c in raw)


def validate_answers(survey, form):
    """Split a submitted form into (choices, free_text, errors).

    errors maps a question id to what is wrong ("too_long" or "missing"); the
    web layer words it in the victim's language.
    """
    answers, free_text, errors = {}, {}, {}
    for question in survey.questions:
        value = (form.get(question.id) or "").strip()
        if question.type == "text":
            if len(value) > question.max_length:
                errors[question.id] = "too_long"
            elif value:
                free_text[question.id] = value
        elif value in dict(question.choices):
            answers[question.id] = value
        elif value or question.required:
            errors[question.id] = "missing"
    return answers, free_text, errors


RESPONSE_FIELDS = (
    "id", "survey_id", "survey_version", "stage", "team", "borough", "crime_category",
    "channel", "language", "week", "answers", "free_text",
)


def response_record(response_id, survey, attributes, week, answers, free_text):
    """The only shape a stored response may take: see docs/anonymity.md."""
    return {
        "id": response_id,
        "survey_id": survey.id,
        "survey_version": survey.version,
        "stage": survey.stage,
        "team": attributes["team"],
        "borough": attributes["borough"],
        "crime_category": attributes["crime_category"],
        "channel": attributes["channel"],
        "language": attributes["language"],
        "week": week,
        "answers": answers,
        "free_text": free_text,
    }
