"""Trainers' use cases: the dashboard, its tables as files, the k-anonymous
response-level export, and comments for review (an admin may remove one).
The database, the surveys and the settings come in as arguments."""

import json
from collections import Counter
from datetime import datetime, time, timedelta
from itertools import islice

from feedback.adapters import store
from feedback.adapters.store import audit
from feedback.adapters.store import insights as insight_store
from feedback.domain import periods
from feedback.domain.privacy import disclosure, kanon
from feedback.domain.reporting import export, insights
from feedback.domain.reporting.themes import THEMES, themes_of_all
from feedback.usecases.auditing import record_change

# Only published months are shown (feedback/domain/periods.py): every week of them is over
# and their held responses are released, so no response can change a figure, a
# comment list or a file a trainer has seen. The retention purge removes whole
# quarters, so no month is ever shown in two versions either.
#
# Each survey's published month is released once (kanon.Release, decided on all of
# its data and stored): every figure, comment and file row of the month comes from
# that release. So a dashboard filter selects whole released groups (none under k,
# none with fewer than l overall ratings; officer-known answers in totals only),
# any sum or difference of views is a union of such groups, and a month's figures
# and its quarter's file describe each response the same way.


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


def publish(db, surveys, today, settings):
    """Release every shown month of every survey not released yet. settings: k, l,
    max_withheld, response_days and keeps_first (kanon.PRIORITIES, "place" if not
    given). Called before any figure is read."""
    months = shown_months(today, settings["response_days"])
    if not months:
        return
    released = insight_store.fetch_released(db, months)
    for month in months:
        for survey in surveys.values():
            if (survey.stage, month) not in released:
                _release(db, survey, month, settings)


def _release(db, survey, month, settings):
    weeks = periods.weeks_of_months(month, month)
    # Not while a response of the month is still held: another process may be moving
    # it into responses right now, and the release must be decided on all of them.
    # Checked before reading, so whatever was released by then is read; no response
    # of an ended month can be held later. The next trainer page tries again.
    if store.count_held(db, through_week=weeks[-1]):
        return
    classes = insight_store.fetch_export_classes(db, survey.id, weeks, _overall_path(survey))
    # What the force keeps first when it must coarsen; a month decided is never
    # decided again, so changing the setting changes only months released after.
    weights, times = kanon.PRIORITIES[settings.get("keeps_first", "place")]
    release = kanon.Release.of(kanon.choose(classes, settings["k"], settings["l"],
                                            settings["max_withheld"], times, weights))
    counts, answers = Counter(), Counter()
    with db.atomic():
        if not insight_store.add_release(db, survey.stage, month, release.to_json()):
            return  # decided by another request first, on the same data
        for row in insight_store.iter_release_rows(db, survey.id, weeks):
            coarse = release.coarse(tuple(row[:-1]))
            if coarse is None:
                continue  # withheld: in no figure, comment list or file
            _, (team, borough), (_, group), channel, language = coarse
            cell = (month, survey.stage, team, borough, group, channel, language)
            counts[cell] += 1
            # Every answer, the officer-known ones too: a total per question is
            # never joined to another answer.
            for question, answer in json.loads(row[-1]).items():
                answers[(*cell, question, answer)] += 1
        insight_store.add_to_totals(db, counts, answers)


def releases(db, surveys, months):
    """{(stage, month): kanon.Release} for the months' stored releases."""
    return {key: kanon.Release.from_json(text)
            for key, text in insight_store.fetch_releases(db, months).items()
            if key[0] in surveys}


def filter_values(db, name, today, response_days):
    """The values a dashboard filter can take (borough, team) in the months shown:
    those some month's release keeps ("any" is no borough, "other" no team)."""
    shown = shown_months(today, response_days)
    if not shown:
        return []
    return [value for value in insight_store.fetch_values(db, name, shown)
            if not _coarsened(name, value)]


def _coarsened(name, value):
    """Whether a released value stands for several: "any", or a small team's "other"."""
    return value == kanon.ANY or (name == "team" and value == kanon.OTHER)


# The dashboard's tables, each also offered as a file.
TABLES = ("satisfaction", "comparisons", "trend", "distributions", "focus", "funnel")


def dashboard(db, surveys, months, filters, settings, today, tables=TABLES):
    """Everything the dashboard shows for whole months and filters, published.
    settings: threshold, response_days and link_days (retention). tables: which
    of TABLES to work out (the page shows all; a table's file needs its own alone);
    the rest of the view, its guard included, is the same either way.

    Every figure is a sum of the months' released groups (publish() first). The
    atom check below is a guard that can then never fail: a view that could be
    differenced down to fewer than threshold people shows no figures at all,
    {"safe": False}.
    """
    _check_shown(months, today, settings["response_days"])
    threshold = settings["threshold"]
    matched = _matched(db, months, filters, threshold)
    if matched is None:
        return {"safe": False}
    funnel_months = [m for m in months if periods.links_settled(m, today)
                     and periods.links_kept(m, today, settings["link_days"])]
    # When the links of the view's last month can no longer change, if not yet.
    links_from = (None if periods.links_settled(months[-1], today)
                  else periods.settled_from(months[-1]))
    found = releases(db, surveys, months)
    model = {
        "safe": True,
        "responses": disclosure.shown(matched, threshold),
        "kept_percent": _kept_percent([release for (stage, _), release in found.items()
                                       if filters.get("stage", stage) == stage]),
        "not_kept": _not_kept(found, filters),
        "funnel_months": funnel_months,
        "links_from": links_from,
    }
    if "satisfaction" in tables or "distributions" in tables:
        answers = insight_store.sum_answers(db, months, where=filters, by=("month",))
        model["satisfaction"] = insights.satisfaction(answers, surveys, threshold)
        model["distributions"] = insights.distributions(answers, surveys, threshold)
    if "focus" in tables:
        model.update(_focus(db, surveys, months, filters, threshold))
    if "comparisons" in tables:
        model["comparisons"] = _comparisons(db, surveys, months, filters, threshold)
    if "trend" in tables:
        model.update(_trend(db, surveys, months, filters, threshold, today, settings))
    if "funnel" in tables:
        model["funnel"] = (_funnel(db, funnel_months, filters, threshold) if funnel_months
                           else None)
    return model


def brief(db, surveys, months, filters, settings, today, per_rating=3):
    """A training brief for a team, a borough or the force (filters) over whole
    published months: each area's satisfaction with n and its 95% interval beside
    the force's (strengths and gaps only where the intervals part), the 12 months'
    trend, and a few redacted comments, the newest per_rating of the dissatisfied
    and of the satisfied. Everything from the months' releases, as on the dashboard;
    {"safe": False} where the dashboard would show nothing."""
    _check_shown(months, today, settings["response_days"])
    threshold = settings["threshold"]
    matched = _matched(db, months, filters, threshold)
    if matched is None:
        return {"safe": False}
    answers = insight_store.sum_answers(db, months, where=filters)
    force = insight_store.sum_answers(db, months)
    return {
        "safe": True,
        "responses": disclosure.shown(matched, threshold),
        "areas": insights.areas_against(answers, force, surveys, threshold),
        **_trend(db, surveys, months, filters, threshold, today, settings),
        # The newest few of each band: themes and counts are not worked out for the
        # rest, as the comments page does.
        "comments": {rating: _with_themes([comment for row in islice(
            _kept_rows(db, surveys, months, filters, rating), per_rating)
            for comment in _comments_of(row, {})]) for rating in ("dissatisfied", "satisfied")},
    }


def _matched(db, months, filters, threshold):
    """How many responses a view matches, or None when the atom check refuses it."""
    atoms = insight_store.sum_responses(db, months, flags=filters, by=("month",))
    if not disclosure.view_is_safe([row["n"] for row in atoms], threshold):
        return None
    return sum(row["n"] for row in atoms if all(row[f"f_{k}"] for k in filters))


def _kept_percent(released):
    total = sum(release.total for release in released)
    return round(100 * sum(release.kept for release in released) / total) if total else None


# The detail each filter needs a month's release to keep: (column, coarsest level
# that still has it). Place: team, common teams, borough, force.
_FILTER_DETAIL = {"team": ("place", 0), "borough": ("place", 2), "group": ("category", 1),
                  "channel": ("channel", 0), "language": ("language", 0)}


def _not_kept(found, filters):
    """{filter: [months]} where a survey's release of the month did not keep the
    detail a chosen filter needs: its responses are in the month's figures without
    it, so the filter cannot select them."""
    missing = {}
    for (stage, month), release in sorted(found.items(), key=lambda item: item[0][1]):
        if not release.total or filters.get("stage", stage) != stage:
            continue
        for name, value in filters.items():
            column, finest = _FILTER_DETAIL.get(name, (None, 0))
            if column is None:
                continue
            level = release.levels[column]
            if level > finest and not (level == 1 and value in release.common.get(column, ())):
                months = missing.setdefault(name, [])
                if month not in months:
                    months.append(month)
    return missing


def _focus(db, surveys, months, filters, threshold):
    """The least satisfied groups of the first level of insights.FOCUS_LEVELS that
    has any: {"focus": groups, "focus_level": 0 (pairs), 1 (coarser pairs) or 2
    (single attributes)}."""
    questions = insights.overall_questions(surveys)
    for level, sets in enumerate(insights.FOCUS_LEVELS):
        groups = []
        for names in sets:
            answers = insight_store.sum_answers(db, months, where=filters, by=names,
                                                questions=questions)
            atoms = insight_store.sum_responses(db, months, flags=filters, by=("month", *names))
            groups += insights.focus([row for row in answers
                                      if not any(_coarsened(name, row[name]) for name in names)],
                                     atoms, names, list(filters), threshold)
        if groups or level == len(insights.FOCUS_LEVELS) - 1:
            return {"focus_level": level, "focus": sorted(
                groups, key=lambda g: (g["share"], g["pair"], g["members"]))[:10]}


def _force(db, surveys, months, threshold):
    """The whole force's overall satisfaction in the months: the yardstick."""
    answers = insight_store.sum_answers(db, months, questions=insights.overall_questions(surveys))
    satisfied = sum(row["n"] for row in answers if row["answer"] in insights.SATISFIED)
    return insights.estimate(satisfied, sum(row["n"] for row in answers), threshold)


def _comparisons(db, surveys, months, filters, threshold):
    """{force, tables}: overall satisfaction by each attribute a filter does not fix,
    beside the force's, with 95% intervals (insights.compare). Each group is a sum
    of the months' released groups; the atom check stays as a guard."""
    force = _force(db, surveys, months, threshold)
    questions = insights.overall_questions(surveys)
    tables = []
    for name in insights.COMPARED:
        if name in filters:
            continue
        answers = insight_store.sum_answers(db, months, where=filters, by=(name,),
                                            questions=questions)
        atoms = [(row["month"], tuple(row[f"f_{f}"] for f in filters), (row[name],), row["n"])
                 for row in insight_store.sum_responses(db, months, flags=filters,
                                                        by=("month", name))]
        safe = [row for row in answers
                if disclosure.cell_is_safe(atoms, (row[name],), threshold)]
        tables.append(insights.compare(safe, force, name, threshold,
                                       coarsened=lambda value, name=name: _coarsened(name, value)))
    return {"force": force, "tables": tables}


TREND_MONTHS = 12


def _trend(db, surveys, months, filters, threshold, today, settings):
    """Satisfaction in each of the 12 published months to the view's last (fewer
    where retention keeps fewer), by area, with n: the trend to teach from, whatever
    period the view covers. Whole published months only, so no partial month
    appears. {"trend": series (None if the guard fails), "trend_months": months}."""
    shown = shown_months(today, settings["response_days"])
    end = shown.index(months[-1]) + 1
    year = shown[max(0, end - TREND_MONTHS):end]
    atoms = insight_store.sum_responses(db, year, flags=filters, by=("month",))
    if not disclosure.view_is_safe([row["n"] for row in atoms], threshold):
        return {"trend": None, "trend_months": year}
    answers = insight_store.sum_answers(db, year, where=filters, by=("month",))
    return {"trend": insights.trend(answers, surveys, year, threshold), "trend_months": year}


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

def export_quarters(db, surveys, today, response_days):
    """Quarters that can be downloaded, newest first: all three months published
    (so their data is final) and kept, from the first month with responses to the
    last (a file may keep none of a quarter's few responses: its page says so)."""
    shown = shown_months(today, response_days)
    found = sorted(month for (_, month), release in releases(db, surveys, shown).items()
                   if release.total) if shown else []
    if not found:
        return []
    quarters = periods.quarters_between(found[0], found[-1])
    return [q for q in reversed(quarters) if periods.quarter_published(q, today)]


def _weeks(quarter):
    months = periods.months_of_quarter(quarter)
    return periods.weeks_of_months(months[0], months[-1])


def export_release(db, survey, quarter):
    """The quarter's file as released: the union of its three months' releases."""
    months = periods.months_of_quarter(quarter)
    found = {month: release for (stage, month), release
             in releases(db, {survey.stage: survey}, months).items()}
    if set(found) != set(months):
        raise NotShown()  # publish() releases every shown month before this
    return kanon.FileRelease(found)


def export_chunks(db, survey, quarter, release):
    """The file's text, in chunks. The officer-known questions are left out (see
    kanon.py): their answers are in the dashboard's totals only."""
    shown = file_questions(survey)
    return export.file_chunks(_response_chunks(db, survey, quarter, release, shown),
                              export.header(shown))


def _response_chunks(db, survey, quarter, release, shown):
    """The file's rows as CSV lines joined in chunks, streamed from the database."""
    rows = insight_store.iter_export_rows(db, survey.id, _weeks(quarter))
    return export.response_chunks(rows, release.releases, shown,
                                  insight_store.export_key_values)


def export_workbook(db, survey, quarter, release, settings, labels, file):
    """The file and its dictionary as one Excel workbook, written into file: the
    same rows and columns as the CSV, with words for codes (export.workbook_rows).
    labels: {"channel": {code: words}, "language": {code: words}}."""
    shown = file_questions(survey)
    dictionary = export.dictionary_rows(survey, release, periods.quarter_label(quarter),
                                        settings["k"], settings["l"], labels)
    export.write_workbook(file, export.response_sheets(
        _response_chunks(db, survey, quarter, release, shown), shown, labels, dictionary))


def file_questions(survey):
    """The questions the file has a column for: all but the officer-known ones."""
    return [q for q in survey.questions if not q.officer_knows]


def _overall_path(survey):
    paths = [f"$.{q}" for q in insights.overall_questions({survey.stage: survey})]
    return paths[0] if paths else "$.overall"


def dictionary_chunks(survey, quarter, release, settings, labels):
    rows = export.dictionary_rows(survey, release, periods.quarter_label(quarter),
                                  settings["k"], settings["l"], labels)
    return export.csv_chunks(rows, export.DICTIONARY_HEADER)


# Comments for review -------------------------------------------------------------------

RATINGS = {"satisfied": ("very_satisfied", "fairly_satisfied"), "neither": ("neither",),
           "dissatisfied": ("fairly_dissatisfied", "very_dissatisfied")}
REMOVED = "[comment removed]"
DETAIL_REMOVED = "[removed]"


def comments(db, surveys, months, filters, rating, page, settings, today, per_page=20,
             words="", theme=""):
    """Redacted comments matching a view, newest week first, a page at a time, in
    published months only (settings: threshold and response_days), with how many
    of them speak of each theme.

    Only comments of responses their month's release keeps, selected by their
    released values (stage, borough, team, crime group): a comment list is a part of
    the quarter's file, never more. words keeps the comments holding every one of
    them (any case); theme those tagged with it (feedback/domain/reporting/themes.py). The theme
    counts are of the comments matching everything but the theme, so each says what
    choosing it would show; each is shown as every figure is (under threshold: None,
    the rest rounded). Each comment is shown with its survey question and themes."""
    _check_shown(months, today, settings["response_days"])
    questions = {(s.stage, q.id): q.text for s in surveys.values() for q in s.questions}
    found = _with_themes([comment for row in _kept_rows(db, surveys, months, filters, rating)
                          for comment in _comments_of(row, questions)
                          if _has_words(comment, words)])
    counts = {theme.code: sum(theme.code in comment["themes"] for comment in found)
              for theme in THEMES}
    if theme:
        found = [comment for comment in found if theme in comment["themes"]]
    return {"safe": True, "total": len(found), "pages": max(1, -(-len(found) // per_page)),
            "page": page, "comments": found[(page - 1) * per_page:page * per_page],
            "themes": {code: disclosure.shown(count, settings["threshold"])
                       for code, count in counts.items()}}


def _kept_rows(db, surveys, months, filters, rating):
    """The responses with comments in the months that their releases keep and whose
    released values meet filters, newest week first."""
    answers = RATINGS[rating] if rating else tuple(a for band in RATINGS.values() for a in band)
    found = releases(db, surveys, months)
    # A stage, borough or team a filter offers is a released value that is the stored
    # one too ("any" and "other" are never offered), so it narrows the rows in SQL first.
    narrow = {name: value for name, value in filters.items()
              if name in ("stage", "borough", "team")}
    for row in insight_store.fetch_comment_rows(db, periods.weeks_of_months(
            months[0], months[-1]), narrow, answers, "$.overall"):
        release = found.get((row["stage"], periods.month_of_week(row["week"])))
        key = (row["week"], row["team"], row["borough"], row["crime_category"],
               row["channel"], row["language"], row["survey_version"])
        coarse = release.coarse(key) if release else None
        if coarse is not None and _matches(row["stage"], coarse, filters):
            yield row


def _comments_of(row, questions):
    return [{"id": row["id"], "question": question,
             "question_text": questions.get((row["stage"], question), question),
             "text": text} for question, text in sorted(row["free_text"].items())]


def _with_themes(comments):
    """The comments, each with its themes: tagged in one call, so the encoder reads those
    it has not seen two at a time (feedback/domain/reporting/themes.py)."""
    for comment, themes in zip(comments, themes_of_all([c["text"] for c in comments]),
                               strict=True):
        comment["themes"] = themes
    return comments


def _has_words(comment, words):
    """Whether the comment holds every word of words, in any case (no words: yes)."""
    text = comment["text"].casefold()
    return all(word in text for word in words.casefold().split())


def _matches(stage, coarse, filters):
    _, (team, borough), (_, group), channel, language = coarse
    values = {"stage": stage, "team": team, "borough": borough, "group": group,
              "channel": channel, "language": language}
    return all(values[name] == value for name, value in filters.items())


class NotInComment(Exception):
    """The detail to remove is not in the comment (or the comment is gone)."""


def remove_comment(db, response_id, question, detail, by, now):
    """Replace a whole comment, or every copy of one detail in it (detail "": the
    whole), with a marker, noted as done by `by` (who, when and which response;
    never the text). Returns whether the old text is already gone from the
    database file."""
    free_text = store.fetch_response_text(db, response_id)
    if free_text is None or question not in free_text:
        raise NotInComment()
    if detail:
        if detail not in free_text[question]:
            raise NotInComment()
        free_text[question] = free_text[question].replace(detail, DETAIL_REMOVED)
    else:
        free_text[question] = REMOVED
    # The change and its note in one transaction; then the old text is cleared
    # from SQLite's files (a checkpoint, which cannot run inside a transaction).
    with db.atomic():
        store.replace_response_text(db, response_id, free_text)
        record_change(db, "comment_removed", now, by, response_id)
    return store.forget_replaced_text(db)
