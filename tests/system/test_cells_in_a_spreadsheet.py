"""Open the cells in a real spreadsheet engine and count the formulas it finds
(issue 8, defect 1): LibreOffice Calc, headless, reading the CSV as a person
opening the export would. Needs libreoffice-calc (scripts/ensure-system-packages)."""

import csv
import subprocess
import xml.etree.ElementTree as ET

import pytest
import xlsxwriter

from feedback.domain.cells import neutralise
from feedback.domain.reporting import export
from feedback.domain.surveys import load_surveys
from feedback.usecases import reporting
from tests.formula_corpus import BODIES, PREFIXES, corpus, payloads

pytestmark = pytest.mark.slow  # LibreOffice

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# Comma, double quote, UTF-8 (as the BOM says), from line 1, then the import
# dialog's most trusting choices: quoted fields not forced to text, special
# numbers detected, spaces trimmed, formulas evaluated.
SURVEYS = load_surveys("feedback/survey_definitions", 500)
CSV_IMPORT = "Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,true,-1,true"


def write_csv(path, cells):
    # The export's writer settings (feedback/domain/reporting/export.py): BOM, every cell quoted,
    # CRLF.
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("\ufeff")
        writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(["cell"])
        writer.writerows([cell] for cell in cells)


def open_in_libreoffice(tmp_path, *csv_files, infilter=CSV_IMPORT):
    """Convert every file in one soffice run; return {name: (rows, formulas)}."""
    subprocess.run(
        ["soffice", "--headless", *([f"--infilter={infilter}"] if infilter else []),
         "--convert-to", "fods",
         "--outdir", str(tmp_path / "out"), *map(str, csv_files)],
        env={"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
        check=True, capture_output=True, timeout=300)
    return {path.stem: count_rows_and_formulas(tmp_path / "out" / f"{path.stem}.fods")
            for path in csv_files}


def count_rows_and_formulas(fods):
    rows = formulas = 0
    # The file is LibreOffice's output from our own CSV, not outside input.
    for _, element in ET.iterparse(fods):  # noqa: S314
        if element.tag == f"{TABLE}table-row":
            if element.find(f"{TABLE}table-cell/*") is not None:  # not an empty row
                rows += int(element.get(f"{TABLE}number-rows-repeated", 1))
            element.clear()
        elif element.tag == f"{TABLE}table-cell" and element.get(f"{TABLE}formula"):
            formulas += int(element.get(f"{TABLE}number-columns-repeated", 1))
    return rows, formulas


def test_libreoffice_finds_no_formula_in_any_neutralised_cell(tmp_path):
    cells = corpus()
    assert len(payloads()) >= 300 and len(cells) == len(payloads()) * len(PREFIXES)
    write_csv(tmp_path / "neutralised.csv", [neutralise(cell) for cell in cells])
    write_csv(tmp_path / "control.csv", cells)

    opened = open_in_libreoffice(tmp_path, tmp_path / "neutralised.csv", tmp_path / "control.csv")

    # Every row was read (a header plus one per cell), so 0 formulas means 0.
    assert opened["neutralised"] == (len(cells) + 1, 0)
    # The same cells without neutralise do run: the engine evaluates formulas in
    # this import, so the test above can fail. At least every bare "=" payload.
    control_rows, control_formulas = opened["control"]
    assert control_rows == len(cells) + 1
    assert control_formulas >= len(BODIES)


def response_lines(cells):
    """The response-level file's CSV lines with each cell as a team name (its
    attribute columns, as export.attribute_text writes them) and as a comment (as
    export.response_chunks writes free text): what the workbook is made from, a
    line a chunk."""
    for cell in cells:
        attributes = ("2026-10", neutralise(cell), "Camden", "burglary", "property", "qr",
                      "en", "1")
        # ease_of_contact, understood, treated_fairly and overall, then comments.
        answers = ("5", "Very satisfied", "", "Not sure", "", "", "4", "Fairly satisfied",
                   neutralise(cell))
        yield ",".join(export.quoted(value) for value in (*attributes, *answers)) + "\r\n"


def test_libreoffice_finds_no_formula_in_a_workbook(tmp_path):
    cells = corpus()
    survey_questions = reporting.file_questions(SURVEYS["at_report"])
    labels = {"channel": {"qr": "QR code"}, "language": {"en": "English"}}
    header = export.header(survey_questions)
    export.write_workbook(tmp_path / "responses.xlsx", [(
        "Responses", header, export.workbook_rows(response_lines(cells), survey_questions,
                                                  labels))])
    # The writer alone, given the cells as they are: its types keep them text too.
    export.write_workbook(tmp_path / "bare.xlsx", [("Cells", ["cell"], ([c] for c in cells))])
    # Control: XlsxWriter's write(), which guesses, makes formulas of the same cells.
    workbook = xlsxwriter.Workbook(tmp_path / "control.xlsx")
    sheet = workbook.add_worksheet()
    for number, cell in enumerate(cells):
        sheet.write(number, 0, cell)
    workbook.close()

    opened = open_in_libreoffice(tmp_path, *(tmp_path / f"{name}.xlsx" for name in (
        "responses", "bare", "control")), infilter=None)

    assert opened["responses"] == (len(cells) + 1, 0)
    assert opened["bare"] == (len(cells) + 1, 0)
    assert opened["control"][1] >= len(BODIES)

