"""Excel workbooks beside the CSV files: the response-level file with its dictionary,
and each dashboard table. Opened with openpyxl, an independent reader: the sheets,
headers, words and the type of every cell (a number, text, or empty; never a
formula). LibreOffice opens them in test_cells_in_a_spreadsheet.py."""

import csv
import io
from collections import Counter
from datetime import datetime

import openpyxl
import pytest

from feedback.domain import periods
from feedback.domain.reporting import export
from feedback.domain.reporting.export import ATTRIBUTE_COLUMNS, NOT_SHOWN
from tests.dates import LAST_QUARTER, a_week_in_each_month, quarter_days
from tests.trainer_data import add_response, add_sample, downloads

SCALE_WORDS = {1: "Very dissatisfied", 2: "Fairly dissatisfied",
               3: "Neither satisfied nor dissatisfied", 4: "Fairly satisfied",
               5: "Very satisfied"}
VIEW = {"stage": "", "borough": "", "team": "", "group": "", "channel": "", "language": ""}


def download(browser, kind, survey="at_report", quarter=LAST_QUARTER):
    return browser.post_form(f"/trainer/export?survey={survey}&quarter={quarter}",
                             {"survey": survey, "quarter": quarter},
                             action=f"/trainer/export/{kind}")


def open_workbook(response):
    assert response.status_code == 200
    assert response.mimetype == export.XLSX
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def sheet_rows(sheet):
    """[header, *rows] of cell values, and every cell's type, counted."""
    rows, types = [], Counter()
    for row in sheet.iter_rows():
        rows.append([cell.value for cell in row])
        types.update(cell.data_type for cell in row)
    return rows, types


def read_csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.fixture
def quarter_of_data(app, db):
    return add_sample(app, db, 3000, *quarter_days(LAST_QUARTER))


def test_the_response_workbook_has_the_files_rows_in_words_and_numbers(
        trainer_browser, quarter_of_data, db):
    response = download(trainer_browser, "workbook")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=at_report-{LAST_QUARTER}.xlsx")
    workbook = open_workbook(response)
    assert workbook.sheetnames == ["Responses", "Data dictionary"]
    (header, *rows), types = sheet_rows(workbook["Responses"])
    csv_header, *csv_rows = read_csv(download(trainer_browser, "responses"))
    # The CSV's columns and rows, one for one (both in the random id's order).
    assert header == csv_header and len(rows) == len(csv_rows) > 1000
    # Values only: numbers, text and empty cells, no formula, no error, no date.
    assert set(types) == {"n", "s"}
    column = {name: position for position, name in enumerate(header)}
    months = {periods.month_label(m) for m in periods.months_of_quarter(LAST_QUARTER)}
    for row, line in zip(rows, csv_rows, strict=True):
        assert row[column["period"]] in months
        assert row[column["team"]] == line[column["team"]]
        assert row[column["crime_group"]] in {NOT_SHOWN, *export.GROUP_LABELS.values()}
        assert row[column["channel"]] in {"QR code", "Text message", "Email", "other",
                                          NOT_SHOWN}
        assert row[column["survey_version"]] == 1
        for name in ("overall", "ease_of_contact", "treated_fairly"):
            number = row[column[name]]
            assert number is None or isinstance(number, int)
            assert SCALE_WORDS.get(number) == row[column[f"{name}_answer"]]
            assert str(number or "") == line[column[name]]
        # Yes is 1, no is 0, "Not sure" and no answer are empty, told apart in words.
        assert (row[column["understood"]], row[column["understood_answer"]]) in {
            (1, "Yes"), (0, "No"), (None, "Not sure"), (None, None)}
        assert row[column["comments"]] == (line[column["comments"]] or None)
    assert (None, "Not sure") in {(row[column["understood"]], row[column["understood_answer"]])
                                  for row in rows}
    # Only the words differ from the CSV's codes: each code has its one set of words.
    pairs = {(line[column["crime_category"]], row[column["crime_category"]])
             for row, line in zip(rows, csv_rows, strict=True)}
    assert len(pairs) == len({code for code, _ in pairs})
    assert ("burglary", "Burglary") in pairs or ("any", NOT_SHOWN) in pairs


def test_the_response_workbook_has_the_dictionary_and_is_recorded(
        trainer_browser, quarter_of_data, db):
    workbook = open_workbook(download(trainer_browser, "workbook"))
    dictionary, types = sheet_rows(workbook["Data dictionary"])
    assert set(types) <= {"s", "n"}
    assert [[value or "" for value in row] for row in dictionary] == read_csv(
        download(trainer_browser, "dictionary"))
    assert downloads(db)[0] == {"actor": "trainer@example.com", "detail": {
        "file": "workbook", "survey": "at_report", "quarter": LAST_QUARTER}}


def test_every_copy_of_a_workbook_is_the_same_and_says_nothing_of_when(
        trainer_browser, quarter_of_data, pinned_clock):
    first = download(trainer_browser, "workbook").get_data()
    # Written later, it is the same file: without a fixed date, XlsxWriter would put
    # the machine's clock in it.
    pinned_clock.advance(minutes=1)
    assert download(trainer_browser, "workbook").get_data() == first
    properties = openpyxl.load_workbook(io.BytesIO(first)).properties
    assert properties.created == datetime(1980, 1, 1)
    assert properties.modified is None or properties.modified.year == 1980
    months = periods.months_of_quarter(LAST_QUARTER)
    view = {**VIEW, "from_month": months[0], "to_month": months[-1]}
    tables = [trainer_browser.post_form("/trainer/", view, action="/trainer/tables/trend.xlsx",
                                        status=200).get_data() for _ in range(2)]
    assert tables[0] == tables[1]


def test_team_names_and_comments_stay_text_in_the_workbook(trainer_browser, db):
    week = a_week_in_each_month(LAST_QUARTER)[0]
    comment = '=HYPERLINK("http://x","click")'
    for number in range(12):
        add_response(db, week=week, team="=Team", borough="@Borough",
                     answers={"overall": ("very_satisfied", "neither")[number % 2]},
                     free_text={"comments": comment})
    (header, *rows), types = sheet_rows(open_workbook(download(trainer_browser, "workbook"))[
        "Responses"])
    assert set(types) == {"n", "s"} and len(rows) == 12
    column = {name: position for position, name in enumerate(header)}
    assert {row[column["comments"]] for row in rows} == {"'" + comment}
    assert {row[column["team"]] for row in rows} <= {"'=Team", NOT_SHOWN}
    assert {row[column["borough"]] for row in rows} <= {"'@Borough", NOT_SHOWN}


def test_each_dashboard_table_is_a_workbook_with_figures_as_numbers(trainer_browser, app,
                                                                     db):
    add_sample(app, db, 3000, *quarter_days(LAST_QUARTER))
    months = periods.months_of_quarter(LAST_QUARTER)
    view = {**VIEW, "from_month": months[0], "to_month": months[-1]}
    for name in ("satisfaction", "distributions"):
        csv_rows = read_csv(trainer_browser.post_form(
            "/trainer/", view, action=f"/trainer/tables/{name}.csv", status=200))
        response = trainer_browser.post_form("/trainer/", view,
                                             action=f"/trainer/tables/{name}.xlsx", status=200)
        assert response.headers["Content-Disposition"] == (
            f"attachment; filename={name}-{months[0]}-to-{months[-1]}.xlsx")
        workbook = open_workbook(response)
        assert workbook.sheetnames == [name]
        rows, types = sheet_rows(workbook[name])
        assert set(types) <= {"n", "s"}
        # The CSV's table, with each figure a number and small ones in words.
        assert [[str(value) for value in row] for row in rows] == csv_rows
        figures = [value for row in rows[1:] for value in row if not isinstance(value, str)]
        assert figures and all(isinstance(value, int) for value in figures)
        assert all(value % 5 == 0 for row in rows[1:] for value, title in zip(
            row, rows[0], strict=True) if title in ("responses",) and isinstance(value, int))
    # Recorded as the CSV is: the same view and table.
    assert [entry["detail"]["file"] for entry in downloads(db)] == [
        "table:satisfaction", "table:satisfaction", "table:distributions",
        "table:distributions"]


def test_a_small_figure_is_written_in_words_and_others_as_numbers():
    model = {"satisfaction": [{"label": "=Area", "share": None, "n": None},
                              {"label": "Camden", "share": 85, "n": 40}]}
    assert export.table_cells("satisfaction", model, {}) == [
        ["area", "satisfied_percent", "responses"], ["'=Area", export.FEWER, export.FEWER],
        ["Camden", 85, 40]]


def test_a_table_workbook_refuses_what_its_csv_refuses(trainer_browser):
    view = {**VIEW, "from_month": "2001-01", "to_month": "2001-01"}
    assert trainer_browser.post_form("/trainer/", view,
                                     action="/trainer/tables/nothing.xlsx").status_code == 404
    refused = trainer_browser.post_form("/trainer/", view,
                                        action="/trainer/tables/satisfaction.xlsx")
    assert refused.status_code == 400 and refused.mimetype == "text/html"


def test_a_sheet_that_is_full_continues_on_another(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "SHEET_ROWS", 3)
    path = tmp_path / "rows.xlsx"
    export.write_workbook(path, [("Responses", ["n", "text"], ([n, f"={n}"] for n in range(5))),
                                 ("Data dictionary", ["column"], [["n"]])])
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Responses", "Data dictionary", "Responses (2)",
                                   "Responses (3)"]
    assert [sheet_rows(workbook[name])[0] for name in ("Responses", "Responses (2)",
                                                        "Responses (3)")] == [
        [["n", "text"], [0, "=0"], [1, "=1"]], [["n", "text"], [2, "=2"], [3, "=3"]],
        [["n", "text"], [4, "=4"]]]
    # Text that looks like a formula is still text: openpyxl reads "=0" as the string.
    assert {cell.data_type for row in workbook["Responses"].iter_rows() for cell in row} == {
        "s", "n"}


def test_every_attribute_column_is_in_the_dictionary_in_plain_words(trainer_browser,
                                                                   quarter_of_data):
    dictionary = {row[0]: row for row in read_csv(download(trainer_browser, "dictionary"))}
    for name in ATTRIBUTE_COLUMNS:
        assert dictionary[name][1]
    assert dictionary["crime_category"][1].startswith("Crime category: ")
