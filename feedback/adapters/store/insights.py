"""SQL for the trainer's figures: each month's release and its totals of responses
and answers by released attributes, links by month, and the rows of the
response-level export.

Every figure is a sum over these tables; the rules for what may be shown are in
feedback/domain/privacy/kanon.py and feedback/domain/privacy/disclosure.py and are applied above
this layer.
Column names in SQL text come from the fixed tables below, never from a request;
values are bound.
"""

import json
from collections import Counter

from feedback.domain import periods
from feedback.domain.categories import GROUP_OF

_DIMENSIONS = {"stage": "stage", "team": "team", "borough": "borough", "group": "crime_group",
               "channel": "channel", "language": "language"}
# Links keep the category; the totals keep only its group, which is all a filter needs.
_LINK_GROUP = "CASE crime_category {} ELSE 'other' END".format(
    " ".join(f"WHEN '{code}' THEN '{group}'" for code, group in sorted(GROUP_OF.items())))


def _rows(db, sql, params):
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


# The releases and their totals ------------------------------------------------------
# Each survey's month is released once, when it is published (kanon.Release): the
# decision is stored in releases, and the responses it keeps are summed, as released
# (coarse values, "any" where coarsened), into the totals below. Every dashboard
# figure is a sum over these totals, so a filter selects whole released groups.

def fetch_releases(db, months):
    """{(stage, month): the stored release, as JSON text} for the months."""
    return {(row["stage"], row["month"]): row["plan"] for row in _rows(
        db, "SELECT stage, month, plan FROM releases WHERE month BETWEEN ? AND ?",
        [months[0], months[-1]])}


def fetch_released(db, months):
    """{(stage, month)} released among the months: the check every trainer page
    makes first, so it reads the keys only, never the stored decisions."""
    return {(row["stage"], row["month"]) for row in _rows(
        db, "SELECT stage, month FROM releases WHERE month BETWEEN ? AND ?",
        [months[0], months[-1]])}


def add_release(db, stage, month, plan):
    """Store a month's release; False if one is stored already (another request
    decided it first: on the same data, the same decision)."""
    cursor = db.execute("INSERT INTO releases (stage, month, plan) VALUES (?, ?, ?)"
                        " ON CONFLICT (stage, month) DO NOTHING", [stage, month, plan])
    return cursor.rowcount == 1


def iter_release_rows(db, survey_id, weeks):
    """(week, team, borough, category, channel, language, version, answers JSON) for
    each response of a survey's weeks: the stored combination as
    fetch_export_classes gives it, and the answers to sum."""
    return db.stream(f"SELECT {_EXPORT_COLUMNS}, answers FROM responses"  # noqa: S608
                     " WHERE survey_id = ? AND week BETWEEN ? AND ?", [survey_id, *weeks])


def add_to_totals(db, counts, answers):
    """Add released responses to the totals (inside the caller's transaction).
    counts: {(month, stage, team, borough, group, channel, language): n};
    answers: {(the same..., question, answer): n}."""
    db.executemany(
        "INSERT INTO response_counts (month, stage, team, borough, crime_group, channel,"
        " language, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (month, stage, team, borough, crime_group, channel, language)"
        " DO UPDATE SET n = response_counts.n + excluded.n",
        [(*key, n) for key, n in counts.items()])
    db.executemany(
        "INSERT INTO answer_counts (month, stage, team, borough, crime_group, channel,"
        " language, question, answer, n)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (month, stage, team, borough,"
        " crime_group, channel, language, question, answer)"
        " DO UPDATE SET n = answer_counts.n + excluded.n",
        [(*key, n) for key, n in answers.items()])
    totals = Counter()
    for (month, stage, *_, question, answer), n in answers.items():
        totals[(month, stage, question, answer)] += n
    db.executemany(
        "INSERT INTO answer_totals (month, stage, question, answer, n) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (month, stage, question, answer) DO UPDATE SET n = answer_totals.n"
        " + excluded.n",
        [(*key, n) for key, n in totals.items()])


# Reading them -------------------------------------------------------------------

def _query(period, where, flags, by, month="month", dimensions=_DIMENSIONS):
    """SELECT list, WHERE clause, parameters and GROUP BY for sums over a period.
    period: (clause, parameters) bounding the rows in time; month: its column."""
    select, clauses, params = [], [period[0]], []
    for name, value in flags.items():
        select.append(f"({dimensions[name]} = ?) AS f_{name}")
        params.append(value)
    for name in by:
        select.append(f"{month} AS month" if name == "month"
                      else f'{dimensions[name]} AS "{name}"')  # "group" is a keyword
    params += period[1]
    for name, value in where.items():
        clauses.append(f"{dimensions[name]} = ?")
        params.append(value)
    group = ", ".join(str(i + 1) for i in range(len(select)))
    return select, " AND ".join(clauses), params, group


def _months(months):
    return "month BETWEEN ? AND ?", [months[0], months[-1]]


def sum_responses(db, months, where=None, flags=None, by=()):
    """Responses per group over whole months: [{f_<flag>..., <by>..., n}]."""
    select, clauses, params, group = _query(_months(months), where or {}, flags or {}, by)
    sql = (f"SELECT {', '.join([*select, 'sum(n) AS n'])} FROM response_counts"  # noqa: S608
           f" WHERE {clauses}" + (f" GROUP BY {group}" if group else ""))
    return _rows(db, sql, params)


def sum_answers(db, months, where=None, by=(), questions=()):
    """Answers per stage, question and answer (and by): [{stage, ..., question, answer, n}]."""
    by = ("stage", *(name for name in by if name != "stage"))
    # With no filter and no breakdown beyond month, the summed table answers.
    table = "answer_totals" if not where and set(by) <= {"stage", "month"} else "answer_counts"
    select, clauses, params, group = _query(_months(months), where or {}, {}, by)
    if questions:
        clauses += f" AND question IN ({', '.join('?' for _ in questions)})"
        params += list(questions)
    sql = (f"SELECT {', '.join([*select, 'question', 'answer', 'sum(n) AS n'])}"  # noqa: S608
           f" FROM {table} WHERE {clauses}"
           f" GROUP BY {group}, {len(select) + 1}, {len(select) + 2}")
    return _rows(db, sql, params)


def sum_links(db, months, where=None, flags=None, by=()):
    """Links created in the months, with how many were opened and completed."""
    # created_at is a full timestamp: bound it by days so its index is used.
    period = ("created_at >= ? AND created_at < ?",
              [f"{months[0]}-01", f"{periods.next_month(months[-1])}-01"])
    select, clauses, params, group = _query(
        period, where or {}, flags or {}, by, month="substr(created_at, 1, 7)",
        dimensions={**_DIMENSIONS, "group": _LINK_GROUP})
    columns = [*select, "count(*) AS created", "coalesce(sum(opened), 0) AS opened",
               "coalesce(sum(used), 0) AS completed"]
    sql = (f"SELECT {', '.join(columns)} FROM links WHERE {clauses}"  # noqa: S608
           + (f" GROUP BY {group}" if group else ""))
    return _rows(db, sql, params)


def fetch_values(db, dimension, months):
    """Every value one attribute takes in the totals of the months, for the filter
    choices (only months a trainer may see: a new team's first response must not
    add a choice)."""
    column = _DIMENSIONS[dimension]
    return [row["value"] for row in _rows(
        db, f"SELECT DISTINCT {column} AS value FROM response_counts"  # noqa: S608
            " WHERE month BETWEEN ? AND ? ORDER BY 1", [months[0], months[-1]])]


def forget_months_before(db, month):
    """The retention purge: drop the releases and totals of every month before month,
    whose responses are deleted whole (inside the caller's transaction)."""
    for table in ("releases", "response_counts", "answer_counts", "answer_totals"):
        db.execute(f"DELETE FROM {table} WHERE month < ?", [month])  # noqa: S608 (fixed names)


# The response-level export ------------------------------------------------------

_EXPORT_COLUMNS = ("week, team, borough, crime_category, channel, language, survey_version")


def fetch_export_classes(db, survey_id, weeks, overall_path):
    """(week, team, borough, category, channel, language, version, overall, n) for
    every distinct combination in a survey's weeks: what the generalisation decides
    on."""
    cursor = db.execute(
        f"SELECT {_EXPORT_COLUMNS}, json_extract(answers, ?) AS overall, count(*)"  # noqa: S608
        " FROM responses WHERE survey_id = ? AND week BETWEEN ? AND ?"
        " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8", [overall_path, survey_id, *weeks])
    return cursor.fetchall()


def iter_export_rows(db, survey_id, weeks):
    """(attributes, answers JSON, free text JSON) for each response of a survey's
    weeks, streamed: the stored values, which export.response_chunks turns into the
    file's lines. attributes is (week, team, borough, category, channel, language,
    version) as one text (export_key_values reads it back): a quarter's rows share a
    few thousand of them, so the export looks each up as one string, not seven.

    Rows come in primary key order, the random response id's: the order says
    nothing about time. Each engine is kept from reading the table through the key's
    index, one random read per row: SQLite's unary + keeps its week index out of the
    plan, so the table is read in key order, with no sort; on PostgreSQL, ordering
    by the id's bytes (COLLATE "C": the ids are hex, so the same order under any
    collation) is an order the key's index does not give, so the rows are scanned
    and sorted in parallel, by one plain statement (PostgresDatabase.download_rows).
    1,000,000 rows: about 1.6 s on the server instead of 3.9 s."""
    params = [survey_id, *weeks]
    if db.dialect == "postgresql":
        return db.download_rows(_EXPORT_ROWS.format(plus="", collate=' COLLATE "C"'), params)
    return db.stream(_EXPORT_ROWS.format(plus="+", collate=""), params)


# The attribute values as one text, the same on both engines: each text value after
# its length and a colon, then the version ("8:2026-W3111:Hackney CID...1"). Read
# back exactly whatever a value holds; on PostgreSQL, 1,000,000 rows are sorted about
# 0.4 s sooner than with a JSON array (json_build_array), so the first row comes sooner.
_EXPORT_TEXTS = ("week", "team", "borough", "crime_category", "channel", "language")
_EXPORT_KEY = "".join(f"length({column}) || ':' || {column} || "
                      for column in _EXPORT_TEXTS) + "survey_version"
_EXPORT_ROWS = (f"SELECT {_EXPORT_KEY}, answers, free_text FROM responses"  # noqa: S608
                " WHERE {plus}survey_id = ? AND {plus}week BETWEEN ? AND ?"
                " ORDER BY id{collate}")


def export_key_values(key):
    """(week, team, borough, category, channel, language, version) from the text
    iter_export_rows gives for them."""
    values, position = [], 0
    for _ in _EXPORT_TEXTS:
        colon = key.index(":", position)
        position = colon + 1 + int(key[position:colon])
        values.append(key[colon + 1:position])
    values.append(int(key[position:]))
    if "".join(f"{len(value)}:{value}" for value in values[:-1]) + key[position:] != key:
        raise ValueError("not an export key")  # e.g. a length the engine counted otherwise
    return tuple(values)


# Comments for review -------------------------------------------------------------

def fetch_comment_rows(db, weeks, where, answers, overall_path):
    """Responses with free text in weeks whose overall rating is among answers and
    whose stored values equal where's, newest week first: [{id, survey_id, stage,
    week, team, borough, crime_category, channel, language, survey_version, answers,
    free_text}], JSON parsed. The caller keeps those its months' releases keep."""
    clauses = ["week BETWEEN ? AND ?", "free_text != '{}'"]
    params = list(weeks)
    for name, value in where.items():
        clauses.append(f"{_DIMENSIONS[name]} = ?")
        params.append(value)
    clauses.append(f"json_extract(answers, ?) IN ({', '.join('?' for _ in answers)})")
    params += [overall_path, *answers]
    rows = _rows(db, f"SELECT id, survey_id, stage, {_EXPORT_COLUMNS}, answers, free_text"  # noqa: S608
                     f" FROM responses WHERE {' AND '.join(clauses)} ORDER BY week DESC, id",
                 params)
    return [{**row, "answers": json.loads(row["answers"]),
             "free_text": json.loads(row["free_text"])} for row in rows]


# What each trainer looks at ---------------------------------------------------------
# Entries of the audit log (feedback/adapters/store/audit.py writes the others the same way; these
# two queries live here while that module is being changed).

VIEWED = "trainer_view"  # a page of figures or comments; files are "export" entries


def record_view(db, now, user, detail, address):
    """Note in the audit log that user looked at a page of figures or comments."""
    db.execute(
        "INSERT INTO audit_log (at, user_id, actor, action, subject, detail, address)"
        " VALUES (?, ?, ?, ?, '', ?, ?)",
        [now.isoformat(), user["id"], user["email"], VIEWED,
         json.dumps(detail, sort_keys=True), address or ""])


def count_views(db, user_id, since, action, detail):
    """(how many different views and files user has opened since, whether this one
    is among them). A view is its action and detail (which page, months and
    filters; which file); details are written with sorted keys, so equal views
    have equal text."""
    row = _rows(db, "SELECT count(DISTINCT action || ' ' || detail) AS spent,"
                    " coalesce(max(CASE WHEN action = ? AND detail = ? THEN 1 ELSE 0 END), 0)"
                    " AS seen FROM audit_log WHERE user_id = ? AND at >= ?"
                    " AND action IN (?, 'export')",
                [action, json.dumps(detail, sort_keys=True), user_id, since, VIEWED])[0]
    return row["spent"], bool(row["seen"])
