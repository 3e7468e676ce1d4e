"""Open the cells in a real spreadsheet engine and count the formulas it finds
(issue 8, defect 1): LibreOffice Calc, headless, reading the CSV as a person
opening the export would. Needs libreoffice-calc (scripts/ensure-system-packages)."""

import csv
import subprocess
import xml.etree.ElementTree as ET

import pytest

from feedback.cells import neutralise
from tests.formula_corpus import BODIES, PREFIXES, corpus, payloads

pytestmark = pytest.mark.slow  # LibreOffice

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# Comma, double quote, UTF-8 (as the BOM says), from line 1, then the import
# dialog's most trusting choices: quoted fields not forced to text, special
# numbers detected, spaces trimmed, formulas evaluated.
CSV_IMPORT = "Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,true,-1,true"


def write_csv(path, cells):
    # The export's writer settings (feedback/export.py): BOM, every cell quoted, CRLF.
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("\ufeff")
        writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(["cell"])
        writer.writerows([cell] for cell in cells)


def open_in_libreoffice(tmp_path, *csv_files):
    """Convert every file in one soffice run; return {name: (rows, formulas)}."""
    subprocess.run(
        ["soffice", "--headless", f"--infilter={CSV_IMPORT}", "--convert-to", "fods",
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
