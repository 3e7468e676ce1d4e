"""Use cases for trainers: the dashboard, its tables as files, and the
k-anonymous response-level export. Plain functions: the database, the surveys and
the settings come in as arguments; the web layer only parses and renders."""

from feedback import disclosure, export, insight_store, insights, kanon, periods


def dashboard(db, surveys, months, filters, threshold):
    """Everything the dashboard shows for whole months and filters, published.

    A view that could be differenced down to fewer than threshold people shows
    no figures at all: {"safe": False}.
    """
    atoms = insight_store.sum_responses(db, months, flags=filters, by=("month",))
    if not disclosure.view_is_safe([row["n"] for row in atoms], threshold):
        return {"safe": False}
    matched = sum(row["n"] for row in atoms if all(row[f"f_{k}"] for k in filters))
    answers = insight_store.sum_answers(db, months, where=filters, by=("month",))
    return {
        "safe": True,
        "responses": disclosure.shown(matched, threshold),
        "satisfaction": insights.satisfaction(answers, surveys, threshold),
        "trend": insights.trend(answers, surveys, months, threshold),
        "distributions": insights.distributions(answers, surveys, threshold),
        "focus": _focus(db, surveys, months, filters, threshold),
        "funnel": _funnel(db, months, filters, threshold),
    }


def _focus(db, surveys, months, filters, threshold):
    groups = []
    for pair in insights.FOCUS_PAIRS:
        answers = insight_store.sum_answers(db, months, where=filters, by=pair,
                                            questions=insights.overall_questions(surveys))
        atoms = insight_store.sum_responses(db, months, flags=filters, by=("month", *pair))
        groups += insights.focus(answers, atoms, pair, list(filters), threshold)
    return sorted(groups, key=lambda g: (g["share"], g["pair"], g["members"]))[:10]


def _funnel(db, months, filters, threshold):
    atoms = insight_store.sum_links(db, months, flags=filters, by=("month",))
    if not disclosure.view_is_safe([row["created"] for row in atoms], threshold):
        return None
    return [insights.funnel(insight_store.sum_links(db, months, where=filters, by=(name,)),
                            name, threshold)
            for name in ("stage", "channel", "team")]


# The response-level file ------------------------------------------------------------

def export_quarters(db, today):
    """Quarters that can be downloaded: ended (so their data is final), newest first."""
    found = insight_store.fetch_month_range(db)
    if found is None:
        return []
    quarters = periods.quarters_between(*found)
    return [q for q in reversed(quarters) if periods.quarter_ended(q, today)]


def _weeks(quarter):
    months = periods.months_of_quarter(quarter)
    return periods.weeks_of_months(months[0], months[-1])


_plans = {}


def export_plan(db, survey, quarter, settings):
    """The generalisation for one survey and quarter, decided on all of its data.
    Ended quarters do not change, so a plan is kept for as long as the quarter holds
    the same number of responses (the retention purge is the only thing that could
    change it)."""
    months = periods.months_of_quarter(quarter)
    rows = insight_store.sum_responses(db, months, where={"stage": survey.stage})
    key = (survey.id, quarter, rows[0]["n"] if rows else 0, *sorted(settings.items()))
    if key not in _plans:
        paths = [f"$.{q}" for q in insights.overall_questions({survey.stage: survey})]
        classes = insight_store.fetch_export_classes(
            db, survey.id, _weeks(quarter), paths[0] if paths else "$.overall")
        if len(_plans) >= 16:
            _plans.clear()  # a handful of files are downloaded at a time
        _plans[key] = kanon.choose(classes, settings["k"], settings["l"],
                                   settings["max_withheld"])
    return _plans[key]


def export_chunks(db, survey, quarter, plan):
    """The file's text, in chunks."""
    questions = [(f"$.{q.id}", None if q.type == "text" else export.answer_codes(q))
                 for q in survey.questions]
    rows = insight_store.iter_export_rows(db, survey.id, _weeks(quarter), questions)
    return export.csv_chunks(export.response_rows(plan, survey, rows), export.header(survey))


def dictionary_chunks(survey, quarter, plan, settings):
    rows = export.dictionary_rows(survey, plan, periods.quarter_label(quarter),
                                  settings["k"], settings["l"])
    return export.csv_chunks(rows, export.DICTIONARY_HEADER)
