"""CSV files for trainers: the k-anonymous response-level file, its data
dictionary and the dashboard's tables. Every file is UTF-8 with a BOM (so
spreadsheets read it right), every cell quoted and formula-safe, and written in
chunks so memory stays flat however many rows there are."""

import csv
import io

from feedback import periods
from feedback.categories import BY_CODE, GROUP_LABELS
from feedback.cells import neutralise

BOM = "\ufeff"
FEWER = "fewer than 10"
ATTRIBUTE_COLUMNS = ("period", "team", "borough", "crime_category", "crime_group", "channel",
                     "language", "survey_version")
# Ordered numbers for analysis: higher is better on a rating scale.
SCALE_CODES = {"very_dissatisfied": 1, "fairly_dissatisfied": 2, "neither": 3,
               "fairly_satisfied": 4, "very_satisfied": 5}
YES_NO_CODES = {"yes": 1, "no": 0, "not_sure": 9}


def answer_codes(question):
    """{stored answer: number written in the file} for one question."""
    if question.type == "scale":
        return SCALE_CODES
    if question.type == "yes_no":
        return YES_NO_CODES
    return {value: position for position, (value, _) in enumerate(question.choices, start=1)}


def header(questions):
    return [*ATTRIBUTE_COLUMNS, *(q.id for q in questions)]


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


def coarse_columns(releases, keys):
    """{stored combination: its file columns, as CSV text} for every combination its
    month's release keeps: what each stored row's attribute columns become. The
    export's SQL joins on it, so rows of combinations left out are left out.
    releases: {month: kanon.Release}; keys: the stored combinations of the file."""
    columns = {}
    for key in keys:
        release = releases.get(periods.month_of_week(key[0]))
        coarse = release.coarse(key) if release else None
        if coarse is not None:
            period, place, category, channel, language = coarse
            cells = (period, neutralise(place[0]), neutralise(place[1]), category[0],
                     category[1], channel, language)
            columns[key] = ",".join(quoted(cell) for cell in cells)
    return columns


def response_lines(rows):
    """File lines from the export query's rows: (CSV text, free text, CSV text, ...),
    with each free text made formula-safe and quoted here, in between."""
    for row in rows:
        if len(row) == 1:
            yield row[0] + "\r\n"
            continue
        parts = [row[0]]
        for position in range(1, len(row), 2):
            parts.append("," + quoted(neutralise(row[position]) if row[position] else ""))
            parts.append(row[position + 1])
        parts.append("\r\n")
        yield "".join(parts)


def line_chunks(lines, columns, lines_per_chunk=5000):
    """BOM, header, then the lines, in chunks: memory stays flat for any count."""
    chunk = [BOM + ",".join(quoted(neutralise(column)) for column in columns) + "\r\n"]
    for line in lines:
        chunk.append(line)
        if len(chunk) >= lines_per_chunk:
            yield "".join(chunk)
            chunk.clear()
    yield "".join(chunk)


def dictionary_rows(survey, plan, quarter_label, k, l_diversity):
    """The data dictionary: what each column holds, and what was coarsened and why."""
    levels = plan.describe()
    kept = round(100 * plan.kept / plan.total) if plan.total else 100
    why = (f"so that every combination of these columns is shared by at least {k} rows "
           f"with at least {l_diversity} different overall ratings")
    rows = [
        ("(file)", f"{survey.title}, {quarter_label}. One row per response, in no order. "
                   f"{kept}% of responses are included; the rest were in groups too small "
                   f"to publish. No response id is included.", "", "", survey.version),
        ("period", f"When the response was given, shown by {levels['time']}, {why}.",
         "text", "2026-10 (month)", ""),
        ("team", f"The team of the officer who gave the link, shown by {levels['place']}; "
                 f"'other' for a team with few responses that month, 'any' where coarsened, "
                 f"{why}.", "text", "", ""),
        ("borough", "The borough of that team; 'any' where coarsened.", "text", "", ""),
        ("crime_category", f"Crime category, shown by {levels['category']}; 'any' where "
                           "coarsened.", "text",
         "; ".join(f"{c.code} = {c.label}" for c in BY_CODE.values()), ""),
        ("crime_group", "Group of crime categories; 'any' where coarsened.", "text",
         "; ".join(f"{code} = {label}" for code, label in GROUP_LABELS.items()), ""),
        ("channel", f"How the link was given, shown by {levels['channel']}: rare channels "
                    "are 'other'.", "text", "qr; sms; email; other; any", ""),
        ("language", f"Language the answers were given in, shown by {levels['language']}: "
                     "rare languages are 'other'.", "text", "en; pl; ro; ar; other; any", ""),
        ("survey_version", "Version of the survey wording.", "number", "", ""),
    ]
    for question in survey.questions:
        if question.officer_knows:
            rows.append((question.id, f"{question.text} Not in this file: the officer who "
                         "gave the link knows the true answer, so with the other columns it "
                         "could single a person out. The dashboard shows how people answered "
                         "it.", question.type, "", survey.version))
            continue
        codes = answer_codes(question) if question.type != "text" else {}
        labels = dict(question.choices)
        rows.append((question.id, question.text, question.type,
                     "; ".join(f"{code} = {labels[value]}" for value, code in codes.items())
                     + ("; blank = not answered" if codes else "Redacted free text"),
                     survey.version))
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


def _table_rows(name, model, labels):
    if name == "satisfaction":
        return [["area", "satisfied_percent", "responses"]] + [
            [row["label"], cell(row["share"]), cell(row["n"])] for row in model["satisfaction"]]
    if name == "trend":
        return [["area", "month", "satisfied_percent", "responses"]] + [
            [series["label"], point["month"], cell(point["share"]), cell(point["n"])]
            for series in model["trend"] for point in series["points"]]
    if name == "distributions":
        return [["survey", "question_id", "question", "answer", "responses", "percent"]] + [
            [survey["title"], q["id"], q["text"], answer["label"], cell(answer["count"]),
             cell(answer["share"])]
            for survey in model["distributions"] for q in survey["questions"]
            for answer in q["answers"]]
    if name == "focus":
        return [["group", "satisfied_percent", "responses"]] + [
            [_group_name(g["pair"], g["members"], labels), cell(g["share"]), cell(g["n"])]
            for g in model["focus"]]
    header = ["breakdown", "value", "links_created", "opened", "completed",
              "completed_percent"]
    return [header] + [
        [table["dimension"], labels.get(table["dimension"], {}).get(row["value"], row["value"]),
         cell(row["created"]), cell(row["opened"]), cell(row["completed"]), cell(row["rate"])]
        for table in (model["funnel"] or []) for row in table["rows"]]
