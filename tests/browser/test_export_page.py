"""The download page offers each file as Excel and CSV: accessible at 320 px and
desktop, and each file reached by keyboard alone, with JavaScript off."""

import io
from pathlib import Path

import openpyxl
import pytest

from tests.browser.sweep import Sweep
from tests.dates import LAST_QUARTER, quarter_days
from tests.trainer_data import add_sample

CHOSEN = f"trainer/export?survey=at_report&quarter={LAST_QUARTER}"
BUTTONS = ["Download the responses and data dictionary (Excel)",
           "Download the responses (CSV)", "Download the data dictionary (CSV)"]


@pytest.fixture
def with_data(app, db):
    add_sample(app, db, 2000, *quarter_days(LAST_QUARTER))
    return app


def test_the_chosen_file_page_is_accessible(with_data, signed_in_page, server):
    page = signed_in_page("trainer")
    sweep = Sweep(page)
    page.goto(f"{server}/{CHOSEN}")
    assert page.locator("form.download-form button").all_inner_texts() == BUTTONS
    sweep.check("a file chosen, Excel and CSV offered", victim=False)
    sweep.assert_clean()


def test_each_file_is_downloaded_by_keyboard_without_javascript(with_data, signed_in_page,
                                                                server):
    page = signed_in_page("trainer", java_script_enabled=False)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{server}/{CHOSEN}")
    names = []
    page.locator("form.download-form button").first.focus()
    for label in BUTTONS:
        assert page.evaluate("document.activeElement.textContent") == label
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        names.append(download.value.suggested_filename)
        if label == BUTTONS[0]:
            # Playwright's copy has no .xlsx ending, which openpyxl's path check wants.
            workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        page.keyboard.press("Tab")  # the next form's hidden fields take no focus
    assert names == [f"at_report-{LAST_QUARTER}.xlsx", f"at_report-{LAST_QUARTER}.csv",
                     f"at_report-{LAST_QUARTER}-data-dictionary.csv"]
    assert workbook.sheetnames == ["Responses", "Data dictionary"]
    assert workbook["Responses"]["A1"].value == "period"
