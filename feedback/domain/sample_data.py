"""Realistic, skewed sample data: for the demo, the tests and the benchmarks.

Most feedback is about common crimes, mostly in English, from several teams in
several boroughs; a few teams and languages are rare, as in a real force. Each
team has its own leaning, so the dashboard has something to find.
"""

from datetime import timedelta

from feedback.domain.categories import GROUP_OF
from feedback.domain.privacy.anonymise import iso_week

TEAMS = {  # borough: teams, busiest first
    "Camden": ("Camden Response Team 1", "Camden Response Team 2", "Camden CID",
               "Camden Safeguarding"),
    "Islington": ("Islington Response Team", "Islington CID", "Islington Safeguarding"),
    "Hackney": ("Hackney Response Team", "Hackney CID", "Hackney Neighbourhoods"),
    "Westminster": ("Westminster Response Team", "Westminster Safeguarding"),
}
BOROUGH_WEIGHTS = {"Camden": 35, "Islington": 25, "Hackney": 25, "Westminster": 15}
CATEGORY_WEIGHTS = {
    "theft": 25, "burglary": 15, "assault": 15, "vehicle_crime": 10, "criminal_damage": 8,
    "fraud": 8, "domestic_abuse": 8, "robbery": 4, "hate_crime": 3, "stalking_harassment": 2,
    "sexual_offence": 1.5, "other": 0.5,
}
STAGE_WEIGHTS = {"at_report": 50, "during_investigation": 30, "at_outcome": 20}
LANGUAGE_WEIGHTS = {"en": 90, "pl": 4, "ro": 3, "ar": 3}
CHANNEL_WEIGHTS = {"qr": 50, "sms": 35, "email": 15}
SCALE = ("very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied",
         "very_dissatisfied")
COMMENTS = ("The officer was kind and listened.", "Nobody called me back.",
            "I was kept up to date.", "It took too long to get an answer.",
            "Thank you for your help.")


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _team(rng):
    borough = _pick(rng, BOROUGH_WEIGHTS)
    teams = TEAMS[borough]
    return borough, rng.choices(teams, weights=range(len(teams) * 2, 0, -2))[0]


def _category(rng, team):
    if "Safeguarding" in team and rng.random() < 0.8:
        return rng.choice(("domestic_abuse", "domestic_abuse", "stalking_harassment",
                           "sexual_offence"))
    return _pick(rng, CATEGORY_WEIGHTS)


def _leaning(team):
    """A steady lean per team, from -1 (unhappy) to 1, the same on every run."""
    return (sum(map(ord, team)) % 7 - 3) / 3


def _answer(rng, question, lean):
    if question.type == "scale":
        position = rng.triangular(0, 4.999, 1.5 - 1.2 * lean)
        return SCALE[int(position)]
    if question.type == "yes_no":
        return rng.choices(("yes", "no", "not_sure"), weights=(6 + 2 * lean, 3, 1))[0]
    return rng.choice(question.choices)[0]


def response(rng, surveys, day):
    """One anonymised response record, as stored, submitted on day."""
    survey = surveys[_pick(rng, {s: w for s, w in STAGE_WEIGHTS.items() if s in surveys})]
    borough, team = _team(rng)
    category = _category(rng, team)
    sensitive = GROUP_OF[category] == "vawg"
    channel = "qr" if sensitive and rng.random() < 0.8 else _pick(rng, CHANNEL_WEIGHTS)
    lean = _leaning(team)
    answers = {q.id: _answer(rng, q, lean) for q in survey.questions if q.type != "text"}
    text = {q.id: rng.choice(COMMENTS) for q in survey.questions
            if q.type == "text" and rng.random() < 0.2}
    return {"id": f"{rng.getrandbits(128):032x}", "survey_id": survey.id,
            "survey_version": survey.version, "stage": survey.stage, "team": team,
            "borough": borough, "crime_category": category, "channel": channel,
            "language": _pick(rng, LANGUAGE_WEIGHTS), "week": iso_week(day),
            "answers": answers, "free_text": text}


def responses(rng, surveys, count, first_day, last_day):
    """count responses spread evenly over the days from first_day to last_day."""
    span = (last_day - first_day).days
    for _ in range(count):
        yield response(rng, surveys, first_day + timedelta(days=rng.randint(0, span)))


def link_for(rng, record, officer_id, created):
    """A link as an officer would have made it for this response (already used)."""
    return {"id": f"{rng.getrandbits(96):024x}", "officer_id": officer_id,
            "stage": record["stage"], "crime_category": record["crime_category"],
            "team": record["team"], "borough": record["borough"],
            "language": record["language"], "channel": record["channel"],
            "created_at": created.isoformat(),
            "expires_at": (created + timedelta(days=28)).isoformat()}
