"""Responses -> CSV, safe to open in a spreadsheet."""

import csv
import io
import json

from feedback.cells import neutralise

BOM = "\ufeff"

ATTRIBUTE_COLUMNS = (
    "response_id", "survey_id", "survey_version", "stage", "week", "team", "borough",
    "crime_category", "channel", "language",
)


def too_few_to_export(count, minimum):
    """Small-number suppression: a filter narrow enough to match a handful of
    responses (one team, one week, one category) could point at a person."""
    return count < minimum


def columns_for(surveys):
    """Attribute columns then each question id once, in survey order."""
    question_ids = []
    for survey in surveys:
        for qid in survey.question_ids:
            if qid not in question_ids:
                question_ids.append(qid)
    return list(ATTRIBUTE_COLUMNS) + question_ids


def row_cells(row, columns):
    answers = json.loads(row["answers"]) if isinstance(row["answers"], str) else row["answers"]
    free_text = (json.loads(row["free_text"]) if isinstance(row["free_text"], str)
                 else row["free_text"])
    values = {**row, "response_id": row["id"], **answers, **free_text}
    return [neutralise(values.get(column, "")) for column in columns]


def csv_chunks(rows, columns, rows_per_chunk=500):
    """Yield UTF-8 text chunks (BOM first) so memory stays flat for any row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row_cells(row, columns))
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
