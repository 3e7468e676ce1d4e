"""Files for trainers: the k-anonymous response-level file, its data dictionary
and the dashboard's tables, as CSV and as Excel workbooks. Every CSV file is UTF-8
with a BOM (so spreadsheets read it right), every cell quoted and formula-safe, and
written in chunks so memory stays flat however many rows there are. Every workbook
cell is written as a value of its own type, never as a formula, and a workbook is
written row by row to a file, so its memory stays flat too."""

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, compress, islice
from operator import add

import xlsxwriter

from feedback.domain import periods
from feedback.domain.categories import BY_CODE, GROUP_LABELS
from feedback.domain.cells import neutralise
from feedback.domain.privacy.kanon import ANY, OTHER

BOM = "\ufeff"
FEWER = "fewer than 10"
ATTRIBUTE_COLUMNS = ("period", "team", "borough", "crime_category", "crime_group", "channel",
                     "language", "survey_version")
# Numbers for analysis, only for answers that are a quantity: higher is better on a
# rating scale, 1 is yes and 0 is no. "Not sure" (and any answer like it) has no
# number: a 9 in a column of 0s and 1s would be averaged as if it were a yes, nine
# times over. Its number cell is left empty, as statistics packages expect of a
# missing value, and the answer's words column says which answer it was.
SCALE_CODES = {"very_dissatisfied": 1, "fairly_dissatisfied": 2, "neither": 3,
               "fairly_satisfied": 4, "very_satisfied": 5}
YES_NO_CODES = {"yes": 1, "no": 0}
NUMBER, WORDS, FREE_TEXT = "number", "words", "free text"


def answer_codes(question):
    """{stored answer: its number} for the answers that are a quantity; empty for
    a question whose answers are not (a choice among things, free text)."""
    if question.type == "scale":
        return SCALE_CODES
    if question.type == "yes_no":
        return YES_NO_CODES
    return {}


@dataclass(frozen=True)
class FileColumn:
    """One column of the response-level file and the question it comes from."""
    name: str
    question: object  # surveys.Question
    kind: str  # NUMBER, WORDS or FREE_TEXT


def file_columns(questions):
    """The file's answer columns: a question whose answers have numbers gets a number
    column (named by its id) and a words column (id_answer) beside it, so "Not sure"
    and "not answered" stay told apart while the numbers stay quantities; any other
    choice gets its words only; free text its text."""
    columns = []
    for question in questions:
        if question.type == "text":
            columns.append(FileColumn(question.id, question, FREE_TEXT))
        elif answer_codes(question):
            columns += [FileColumn(question.id, question, NUMBER),
                        FileColumn(f"{question.id}_answer", question, WORDS)]
        else:
            columns.append(FileColumn(question.id, question, WORDS))
    return columns


def column_cells(column):
    """{stored answer: the column's cell text, unquoted}; None for free text, which
    is made formula-safe row by row."""
    if column.kind == FREE_TEXT:
        return None
    if column.kind == NUMBER:
        return {answer: str(code) for answer, code in answer_codes(column.question).items()}
    return {value: neutralise(label) for value, label in column.question.choices}


def header(questions):
    return [*ATTRIBUTE_COLUMNS, *(column.name for column in file_columns(questions))]


def csv_chunks(rows, columns, rows_per_chunk=2000):
    """Yield UTF-8 text chunks (BOM and header first) as rows stream in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutralise(column) for column in columns])
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == rows_per_chunk:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue()


def quoted(value):
    """One cell exactly as csv.writer(quoting=QUOTE_ALL) writes it."""
    return '""' if value is None else '"' + str(value).replace('"', '""') + '"'


def attribute_text(releases, key):
    """A stored combination's attribute columns (period to language) as its month's
    release gives them, as CSV text; None when the release withholds it.
    releases: {month: kanon.Release}; key: (week, team, borough, category, channel,
    language, version) as stored."""
    release = releases.get(periods.month_of_week(key[0]))
    coarse = release.coarse(key) if release else None
    if coarse is None:
        return None
    period, place, category, channel, language = coarse
    cells = (period, neutralise(place[0]), neutralise(place[1]), category[0], category[1],
             channel, language)
    return ",".join(quoted(cell) for cell in cells)


class _Memo(dict):
    """make(key), worked out once per key."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


# Rows a chunk of the file is made from. Few enough that a chunk's rows are freed
# before the garbage collector runs: 5,000 at a time, the row tuples it found alive
# were moved to older generations and then scanned again in full collections, about
# 0.15 s of 0.45 s of Python for 200,000 rows.
ROWS_PER_CHUNK = 500


def response_chunks(rows, releases, questions, key_values, rows_per_chunk=ROWS_PER_CHUNK):
    """The file's lines from the stored rows, in their order, joined in chunks of
    rows_per_chunk rows: memory stays flat for any count. rows: (attributes, answers
    JSON, free text JSON), attributes being (week, team, borough, category, channel,
    language, version) as one text, which key_values reads back. Rows of
    combinations their month's release withholds are left out.

    A quarter's rows share a few thousand combinations and sets of answers, so each
    is made into CSV text once (and parsed once), not once per row; a chunk's rows
    are then looked up and joined by map and compress, with no Python code run per
    row. Only free text is read and made formula-safe row by row."""
    columns = [(column.question.id, column_cells(column)) for column in file_columns(questions)]
    # "" for a withheld combination: compress leaves its rows out.
    attributes = _Memo(lambda key: _attribute_line(releases, key_values(key)) or "")
    answers = _Memo(lambda text: _answer_runs(json.loads(text), columns))
    no_text_ends = _Memo(lambda text: answers[text][0])
    rows = iter(rows)
    while chunk := list(islice(rows, rows_per_chunk)):
        keys, answer_texts, free_texts = zip(*chunk, strict=True)
        starts = list(map(attributes.__getitem__, keys))
        ends = list(map(no_text_ends.__getitem__, answer_texts))
        written = list(compress(range(len(chunk)), map(NO_TEXT.__ne__, free_texts)))
        # One JSON document for all of the chunk's free text: one call, not one a row.
        texts = json.loads("[" + ",".join([free_texts[position] for position in written]) + "]")
        for position, text in zip(written, texts, strict=True):
            ends[position] = _end_with_text(answers[answer_texts[position]], text)
        yield "".join(compress(map(add, starts, ends), starts))


def _attribute_line(releases, key):
    """The attribute columns (period to survey version) of a stored combination as
    CSV text; None when its month's release withholds it."""
    return _with_version(attribute_text(releases, key), key[6])


def _end_with_text(runs, texts):
    """A line's answer columns, free text included, from its set of answers' runs
    (_answer_runs) and its free text ({question id: text})."""
    parts = [runs[1]]
    for position in range(2, len(runs), 2):
        text = texts.get(runs[position])
        parts.append("," + quoted(neutralise(text) if text else ""))
        parts.append(runs[position + 1])
    return "".join(parts)


# Free text as stored when nothing was written (most rows): no need to parse it.
NO_TEXT = json.dumps({})


def _with_version(text, version):
    return None if text is None else f'{text},"{version}"'


def _answer_runs(answers, columns):
    """A set of answers as [the line's end with no free text; then CSV text,
    free-text question id, CSV text, ...]: each run the cells between free-text
    columns (the last ends the line), the question id where its text goes.
    columns: (question id, column_cells) of each column of the file."""
    runs, run = [], []
    for question, cells in columns:
        if cells is None:
            runs += ["".join(run), question]
            run = []
            continue
        answer = answers.get(question)
        run.append("," + quoted(cells.get(answer, "") if isinstance(answer, str) else ""))
    runs.append("".join(run) + "\r\n")
    no_text = ',""'.join(runs[::2])
    return [no_text, *runs]


def file_chunks(chunks, columns):
    """BOM and header, then the chunks of lines (response_chunks)."""
    yield BOM + ",".join(quoted(neutralise(column)) for column in columns) + "\r\n"
    yield from filter(None, chunks)  # a chunk of withheld rows only is empty


NOT_SHOWN = "not shown in this file, to keep everyone anonymous"
# How each attribute column is shown at each level of its month's release
# (kanon.HIERARCHIES), in a trainer's words: (column, release column, {level: words}).
SHOWN_AS = (
    ("period", "time", {
        "week": "the week (2026-W40 is week 40 of 2026)",
        "month": "the month (2026-10 is October 2026)",
        "quarter": "the quarter only (2026-Q4 is October to December 2026): the month is "
                   + NOT_SHOWN}),
    ("team", "place", {
        "team": "the team's name",
        "common teams": "the team's name; teams with few responses that month are 'other'",
        "borough": f"{NOT_SHOWN} ('any'); the borough is shown",
        "force": f"{NOT_SHOWN} ('any')"}),
    ("borough", "place", {
        "team": "the borough's name", "common teams": "the borough's name",
        "borough": "the borough's name", "force": f"{NOT_SHOWN} ('any')"}),
    ("crime_category", "category", {
        "category": "the crime category",
        "group": f"{NOT_SHOWN} ('any'); the crime group is shown",
        "any": f"{NOT_SHOWN} ('any')"}),
    ("crime_group", "category", {
        "category": "the group of crime categories", "group": "the group of crime categories",
        "any": f"{NOT_SHOWN} ('any')"}),
    ("channel", "channel", {
        "channel": "how the officer gave the link",
        "common channels": "how the officer gave the link; ways used for few responses "
                           "that month are 'other'",
        "any": f"{NOT_SHOWN} ('any')"}),
    ("language", "language", {
        "language": "the language the person answered in",
        "common languages": "the language the person answered in; languages used for few "
                            "responses that month are 'other'",
        "any": f"{NOT_SHOWN} ('any')"}),
)
TITLES = {"period": "When", "team": "Team", "borough": "Borough",
          "crime_category": "Crime category", "crime_group": "Crime group",
          "channel": "How the link was given", "language": "Language"}


def _shown_how(plan, column, words):
    """How a column is shown in the file: one way, or each month's way."""
    by_words = {}  # two levels may read the same for this column (a borough's name)
    for month, release in sorted(plan.releases.items()):
        if release.total:
            by_words.setdefault(words[release.describe()[column]], []).append(
                periods.month_label(month))
    if len(by_words) <= 1:
        return next(iter(by_words), next(iter(words.values())))
    return "; ".join(f"in {', '.join(months)}: {shown}" for shown, months in by_words.items())


def _attribute_codes(labels):
    """The codes column of each attribute: what each value in the file stands for.
    labels: {"channel": {code: words}, "language": {code: words}}, the service's own."""
    rare = "other = used for few responses that month"

    def listed(name):
        return "; ".join(f"{code} = {words}" for code, words in labels[name].items())
    return {
        "team": f"any = {NOT_SHOWN}; other = a team with few responses that month",
        "borough": f"any = {NOT_SHOWN}",
        "crime_category": "; ".join(f"{c.code} = {c.label}" for c in BY_CODE.values())
        + f"; any = {NOT_SHOWN}",
        "crime_group": "; ".join(f"{code} = {label}" for code, label in GROUP_LABELS.items())
        + f"; any = {NOT_SHOWN}",
        "channel": f"{listed('channel')}; {rare}; any = {NOT_SHOWN}",
        "language": f"{listed('language')}; {rare}; any = {NOT_SHOWN}",
    }


def _file_rows(survey, plan, quarter_label, k, l_diversity):
    kept = round(100 * plan.kept / plan.total) if plan.total else 100
    return [
        ("(file)", f"{survey.title}, {quarter_label}. One row for each response, in no "
                   "particular order, with no response id. The Excel file has the same "
                   "columns, with words instead of codes for when, crime, how the link was "
                   "given and language.", "", "", survey.version),
        ("(who is left out)", f"{kept}% of the quarter's responses are in this file. To keep "
                              "everyone anonymous, every combination of the columns period to "
                              f"language is shared by at least {k} rows with at least "
                              f"{l_diversity} different overall ratings; responses that were "
                              "still in smaller groups are left out (withheld).", "", "", ""),
        ("(counts)", f"The dashboard and its tables round counts to the nearest 5 and show "
                     f"any count under {k} as '{FEWER}'. This file has one row for each "
                     "response instead, so a count made from it can differ a little from the "
                     "dashboard's rounded one. Do not publish a count under "
                     f"{k} made from it.", "", "", ""),
        ("(missing answers)", "A number column holds numbers only. An empty cell in it means "
                              "the person did not answer or answered 'Not sure': the column "
                              "ending in _answer beside it says which, in words. So AVERAGE "
                              "and COUNT in a spreadsheet, and statistics packages, count "
                              "real answers only.", "", "", ""),
    ]


def _question_rows(survey, question):
    if question.officer_knows:
        return [(question.id, f"{question.text} Not in this file: the officer who gave the "
                 "link knows the true answer, so with the other columns it could single a "
                 "person out. The dashboard shows how people answered it.", "not included",
                 "", survey.version)]
    rows = []
    labels = dict(question.choices)
    for column in file_columns([question]):
        if column.kind == NUMBER:
            codes = answer_codes(question)
            missing = [label for value, label in question.choices if value not in codes]
            rows.append((column.name, f"{question.text} The answer as a number"
                         + (": higher is more satisfied." if question.type == "scale" else "."),
                         NUMBER, "; ".join(f"{code} = {labels[value]}"
                                           for value, code in sorted(codes.items(),
                                                                     key=lambda i: i[1]))
                         + "; empty = " + " or ".join(
                             [*(f"'{label}'" for label in missing), "not answered"]),
                         survey.version))
        elif column.kind == WORDS:
            rows.append((column.name, f"{question.text} The answer in words.", WORDS,
                         "; ".join(label for _, label in question.choices)
                         + "; empty = not answered", survey.version))
        else:
            rows.append((column.name, f"{question.text} What the person wrote, with names, "
                         "addresses, phone numbers and other details replaced by a marker "
                         "such as [name]. Text starting with = + - or @ has a ' in front, so "
                         "a spreadsheet shows it rather than running it.", FREE_TEXT,
                         "empty = nothing written", survey.version))
    return rows


def dictionary_rows(survey, plan, quarter_label, k, l_diversity, labels):
    """The data dictionary, in a trainer's words: what each column holds, what was
    made less exact to keep everyone anonymous, and how missing answers are shown.
    labels: the words for channel and language codes, as in _attribute_codes."""
    rows = _file_rows(survey, plan, quarter_label, k, l_diversity)
    codes = _attribute_codes(labels)
    for name, column, words in SHOWN_AS:
        rows.append((name, f"{TITLES[name]}: {_shown_how(plan, column, words)}.", WORDS,
                     codes.get(name, ""), ""))
    rows.append(("survey_version", "Which version of the survey's wording was answered: a "
                 "new version means a question changed.", NUMBER, "", ""))
    for question in survey.questions:
        rows += _question_rows(survey, question)
    return [[neutralise(str(cell)) for cell in row] for row in rows]


DICTIONARY_HEADER = ("column", "meaning", "type", "codes", "survey_version")


def cell(value, suffix=""):
    """A published figure for a file: a number, or the words for a small one."""
    return FEWER if value is None else f"{value}{suffix}"


# The dashboard's tables as files ------------------------------------------------------

def _group_name(pair, values, labels):
    return "; ".join(f"{name}: {labels.get(name, {}).get(value, value)}"
                     for name, value in zip(pair, values, strict=True))


def table_rows(name, model, labels):
    """[header, *rows] of one dashboard table, with the same suppression as the page."""
    return [[neutralise(value) for value in row]
            for row in _table_rows(name, model, labels)]


def _table_rows(name, model, labels, figure=cell):
    """figure: how a published figure is written (a number or the words for a
    small one)."""
    if name == "satisfaction":
        return [["area", "satisfied_percent", "responses"]] + [
            [row["label"], figure(row["share"]), figure(row["n"])]
            for row in model["satisfaction"]]
    if name == "comparisons":
        force = model["comparisons"]["force"] or {}
        return [["breakdown", "group", "satisfied_percent", "interval_low_percent",
                 "interval_high_percent", "responses", "against_the_force"],
                ["force", "Whole force", *(figure(force.get(key)) for key in
                                           ("share", "low", "high", "n")), ""]] + [
            [table["name"], labels.get(table["name"], {}).get(g["value"], g["value"]),
             *(figure(g[key]) for key in ("share", "low", "high", "n")),
             g["flag"] or "no clear difference"]
            for table in model["comparisons"]["tables"] for g in table["groups"]]
    if name == "trend":
        return [["area", "month", "satisfied_percent", "responses"]] + [
            [series["label"], point["month"], figure(point["share"]), figure(point["n"])]
            for series in model["trend"] for point in series["points"]]
    if name == "distributions":
        return [["survey", "question_id", "question", "answer", "responses", "percent"]] + [
            [survey["title"], q["id"], q["text"], answer["label"], figure(answer["count"]),
             figure(answer["share"])]
            for survey in model["distributions"] for q in survey["questions"]
            for answer in q["answers"]]
    if name == "focus":
        return [["group", "satisfied_percent", "responses"]] + [
            [_group_name(g["pair"], g["members"], labels), figure(g["share"]), figure(g["n"])]
            for g in model["focus"]]
    header = ["breakdown", "value", "links_created", "opened", "completed",
              "completed_percent"]
    return [header] + [
        [table["dimension"], labels.get(table["dimension"], {}).get(row["value"], row["value"]),
         *(figure(row[key]) for key in ("created", "opened", "completed", "rate"))]
        for table in (model["funnel"] or []) for row in table["rows"]]


# Excel workbooks ----------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows on one Excel sheet, its header included: more continue on another sheet.
SHEET_ROWS = 1_048_576
# Every cell goes through write_string or write_number, which never guess; these
# options make the guessing write() treat text as text too, should anyone use it.
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False,
                    "strings_to_urls": False, "strings_to_numbers": False}
# The workbook's "created" date, instead of the moment it is written: every copy of a
# file is then the same, byte for byte, and none says when it was downloaded. (Its
# zip entries already carry a fixed date.)
CREATED = datetime(1980, 1, 1, tzinfo=UTC)


def write_workbook(file, sheets):
    """Write sheets, [(name, header, rows)], as an .xlsx into file (a path or a
    binary file). Rows stream in: constant_memory writes each row to a temporary
    file as soon as the next one starts, and keeps strings inline instead of in a
    shared table, so memory stays flat for any number of rows. A cell that is a str
    is written as text, an int or float as a number, None or "" is left empty."""
    workbook = xlsxwriter.Workbook(file, WORKBOOK_OPTIONS)
    workbook.set_properties({"created": CREATED})
    bold = workbook.add_format({"bold": True})
    # Created first, so the sheets are in the order given; filled one after another.
    created = [(workbook.add_worksheet(name), name, header, rows)
               for name, header, rows in sheets]
    for sheet, name, header, rows in created:
        _fill(workbook, sheet, name, header, rows, bold)
    workbook.close()


def _fill(workbook, sheet, name, header, rows, bold):
    part, number = 1, _start(sheet, header, bold)
    for row in rows:
        if number == SHEET_ROWS:
            part += 1
            sheet = workbook.add_worksheet(f"{name} ({part})")
            number = _start(sheet, header, bold)
        for position, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(number, position, value)
            elif value is not None:
                sheet.write_number(number, position, value)
        number += 1


def _start(sheet, header, bold):
    """The header row, kept in view while scrolling; returns the next row's number."""
    sheet.freeze_panes(1, 0)
    for position, title in enumerate(header):
        sheet.write_string(0, position, neutralise(title), bold)
    return 1


def _period_words(value):
    """2026-W40, 2026-10 or 2026-Q4 in words."""
    if "-W" in value:
        return f"week {int(value[6:])} of {value[:4]}"
    if "-Q" in value:
        return periods.quarter_label(value)
    return periods.month_label(value)


def _words(names):
    """A function from a code of the file to its words, 'any' and 'other' included."""
    known = {ANY: NOT_SHOWN, OTHER: "other", **names}
    return lambda value: known.get(value, value)


def workbook_rows(chunks, questions, labels):
    """The response-level file's rows as workbook cells, from its CSV text in chunks
    of whole lines (those of response_chunks): numbers as numbers (an empty one left
    empty), codes of when, crime, channel and language in words, other text as it is
    (formula-safe).
    labels: {"channel": {code: words}, "language": {code: words}}."""
    attributes = [_period_words, str, str,
                  _words({c.code: c.label for c in BY_CODE.values()}),
                  _words(GROUP_LABELS), _words(labels["channel"]),
                  _words(labels["language"]), int]
    answers = [_number if column.kind == NUMBER else str for column in file_columns(questions)]
    convert = attributes + answers
    # Read as a file opened with newline="": a quoted cell may hold a line break.
    lines = chain.from_iterable(io.StringIO(chunk, newline="") for chunk in chunks)
    for cells in csv.reader(lines):
        yield [f(cell) if cell else None
               for f, cell in zip(convert, cells, strict=True)]


def _number(cell):
    return int(cell)


def response_sheets(chunks, questions, labels, dictionary):
    """The response-level workbook's sheets: the responses, then the dictionary."""
    return [("Responses", header(questions), workbook_rows(chunks, questions, labels)),
            ("Data dictionary", DICTIONARY_HEADER, dictionary)]


def table_cells(name, model, labels):
    """[header, *rows] of one dashboard table for a workbook: figures as numbers,
    the small ones as the words the page shows, text formula-safe."""
    rows = _table_rows(name, model, labels, figure=_figure)
    return [[neutralise(value) for value in row] for row in rows]


def _figure(value):
    return FEWER if value is None else value
