"""Trainers' use cases: the dashboard, its tables as files, the k-anonymous
response-level export, and comments for review (an admin may remove one).
The database, the surveys and the settings come in as arguments."""

from datetime import datetime, time, timedelta

from feedback import audit, disclosure, export, insight_store, insights, kanon, periods, store

# Only published months are shown (feedback/periods.py): every week of them is over
# and their held responses are released, so no response can change a figure, a
# comment list or a file a trainer has seen. The retention purge removes whole
# quarters, so no month is ever shown in two versions either.


class NotShown(Exception):
    """A month that is not shown: not yet published, or past retention."""


def shown_months(today, response_days):
    """Every month a trainer can see on today, oldest first: from the first month of
    the oldest quarter retention keeps to the newest published month (none, if
    retention is shorter than publication takes)."""
    first = periods.months_of_quarter(periods.oldest_kept_quarter(today, response_days))[0]
    return periods.months_between(first, periods.newest_published_month(today))


def _check_shown(months, today, response_days):
    shown = shown_months(today, response_days)
    if not shown or months[0] < shown[0] or months[-1] > shown[-1]:
        raise NotShown()


def filter_values(db, name, today, response_days):
    """The values a dashboard filter can take (borough, team) in the months shown."""
    shown = shown_months(today, response_days)
    return insight_store.fetch_values(db, name, shown) if shown else []


def dashboard(db, surveys, months, filters, settings, today):
    """Everything the dashboard shows for whole months and filters, published.
    settings: threshold, response_days and link_days (retention).

    A view that could be differenced down to fewer than threshold people shows
    no figures at all: {"safe": False}.
    """
    _check_shown(months, today, settings["response_days"])
    threshold = settings["threshold"]
    atoms = insight_store.sum_responses(db, months, flags=filters, by=("month",))
    if not disclosure.view_is_safe([row["n"] for row in atoms], threshold):
        return {"safe": False}
    matched = sum(row["n"] for row in atoms if all(row[f"f_{k}"] for k in filters))
    answers = insight_store.sum_answers(db, months, where=filters, by=("month",))
    funnel_months = [m for m in months if periods.links_settled(m, today)
                     and periods.links_kept(m, today, settings["link_days"])]
    # When the links of the view's last month can no longer change, if not yet.
    links_from = (None if periods.links_settled(months[-1], today)
                  else periods.settled_from(months[-1]))
    return {
        "safe": True,
        "responses": disclosure.shown(matched, threshold),
        "satisfaction": insights.satisfaction(answers, surveys, threshold),
        "trend": insights.trend(answers, surveys, months, threshold),
        "distributions": insights.distributions(answers, surveys, threshold),
        "focus": _focus(db, surveys, months, filters, threshold),
        "funnel_months": funnel_months,
        "links_from": links_from,
        "funnel": _funnel(db, funnel_months, filters, threshold) if funnel_months else None,
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
    """Links made in months whose every link has expired (so these counts never
    change), and that the link purge has not yet reached."""
    atoms = insight_store.sum_links(db, months, flags=filters, by=("month",))
    if not disclosure.view_is_safe([row["created"] for row in atoms], threshold):
        return None
    return [insights.funnel(insight_store.sum_links(db, months, where=filters, by=(name,)),
                            name, threshold)
            for name in ("stage", "channel", "team")]


# What each account looks at ---------------------------------------------------------

class DailyViewsSpent(Exception):
    """The account has opened its budget of different views today."""


def note_view(db, user, kind, detail, now, address, daily_views):
    """Record in the audit log that user opens a view: kind "view" (a page of figures
    or comments) or "export" (a file), detail what exactly (months, filters, file).

    Each account may open daily_views different views a day (UTC): comparing many
    snapshots is how figures are differenced. Opening one again costs nothing.
    Raises DailyViewsSpent, recording nothing, when a new one is over the budget."""
    since = datetime.combine(now.date(), time(), tzinfo=now.tzinfo).isoformat()
    action = insight_store.VIEWED if kind == "view" else "export"
    with db.atomic():
        db.lock_row("users", user["id"])  # parallel requests count one after another
        spent, seen = insight_store.count_views(db, user["id"], since, action, detail)
        if not seen and spent >= daily_views:
            raise DailyViewsSpent()
        if kind == "view":
            insight_store.record_view(db, now, user, detail, address)
        else:
            audit.record_audit(db, "export", now, user=user, detail=detail, address=address)


def budget_resets(now):
    """When a spent budget of views starts again: the next midnight, UTC."""
    return datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)


# The response-level file ------------------------------------------------------------

def export_quarters(db, today, response_days):
    """Quarters that can be downloaded, newest first: all three months published
    (so their data is final) and kept."""
    shown = shown_months(today, response_days)
    found = insight_store.fetch_month_range(db, shown) if shown else None
    if found is None:
        return []
    quarters = periods.quarters_between(*found)
    return [q for q in reversed(quarters) if periods.quarter_published(q, today)]


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
            db, survey.id, _weeks(quarter), paths[0] if paths else "$.overall",
            _known_paths(survey))
        if len(_plans) >= 16:
            _plans.clear()  # a handful of files are downloaded at a time
        _plans[key] = kanon.choose(classes, settings["k"], settings["l"],
                                   settings["max_withheld"])
    return _plans[key]


def export_chunks(db, survey, quarter, plan):
    """The file's text, in chunks."""
    questions = [(f"$.{q.id}", None if q.type == "text" else export.answer_codes(q))
                 for q in survey.questions]
    rows = insight_store.iter_export_rows(db, survey.id, _weeks(quarter), questions,
                                          export.coarse_columns(plan), _known_paths(survey))
    return export.line_chunks(export.response_lines(rows), export.header(survey))


def _known_paths(survey):
    """The questions whose true answer the officer knows: kanon.py treats each as
    known, like the victim's team."""
    return [f"$.{q.id}" for q in survey.questions if q.officer_knows]


def dictionary_chunks(survey, quarter, plan, settings):
    rows = export.dictionary_rows(survey, plan, periods.quarter_label(quarter),
                                  settings["k"], settings["l"])
    return export.csv_chunks(rows, export.DICTIONARY_HEADER)


# Comments for review -------------------------------------------------------------------

RATINGS = {"satisfied": ("very_satisfied", "fairly_satisfied"), "neither": ("neither",),
           "dissatisfied": ("fairly_dissatisfied", "very_dissatisfied")}
REMOVED = "[comment removed]"
DETAIL_REMOVED = "[removed]"


def comments(db, surveys, months, filters, rating, page, settings, today, per_page=20):
    """Redacted comments matching a view, newest week first, a page at a time, in
    published months only (settings: threshold and response_days).

    Shown only for views safe as the dashboard's are (see disclosure.py), with the
    satisfaction band as one more filter; each comment is shown with nothing but
    its survey question, so no comment carries a small group's attributes."""
    _check_shown(months, today, settings["response_days"])
    threshold = settings["threshold"]
    answers = RATINGS[rating] if rating else tuple(a for band in RATINGS.values() for a in band)
    flags = dict(filters)
    atoms = insight_store.sum_overall(db, months, flags, answers,
                                      insights.overall_questions(surveys))
    rows = [row["n"] for row in atoms]
    if not disclosure.view_is_safe(rows, threshold):
        return {"safe": False}
    weeks = periods.weeks_of_months(months[0], months[-1])
    total = insight_store.count_comments(db, weeks, filters, answers, "$.overall")
    found = insight_store.fetch_comments(db, weeks, filters, answers, "$.overall",
                                         per_page, (page - 1) * per_page)
    questions = {(s.stage, q.id): q.text for s in surveys.values() for q in s.questions}
    return {"safe": True, "total": total, "pages": max(1, -(-total // per_page)),
            "page": page, "comments": [
                {"id": row["id"], "question": question, "question_text":
                 questions.get((row["stage"], question), question), "text": text}
                for row in found for question, text in sorted(row["free_text"].items())]}


class NotInComment(Exception):
    """The detail to remove is not in the comment (or the comment is gone)."""


def remove_comment(db, response_id, question, detail=""):
    """Replace a whole comment, or every copy of one detail in it, with a marker.
    Returns whether the old text is already gone from the database file."""
    free_text = store.fetch_response_text(db, response_id)
    if free_text is None or question not in free_text:
        raise NotInComment()
    if detail:
        if detail not in free_text[question]:
            raise NotInComment()
        free_text[question] = free_text[question].replace(detail, DETAIL_REMOVED)
    else:
        free_text[question] = REMOVED
    return store.replace_response_text(db, response_id, free_text)
