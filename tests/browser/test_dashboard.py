"""The trainer's dashboard and downloads in a real browser: accessible at 320 px
and desktop, usable by keyboard alone and without JavaScript."""

import csv
import io
import re
import sys
from pathlib import Path

import pytest

from feedback.domain.clock import now
from feedback.domain.periods import months_of_quarter, quarter_label
from feedback.usecases import samples
from tests.browser.conftest import heading
from tests.browser.sweep import Sweep
from tests.dates import FUNNEL_MONTH, LAST_QUARTER, quarter_days
from tests.trainer_data import add_sample

FIRST, _, THIRD = months_of_quarter(LAST_QUARTER)
QUARTER = f"from_month={FIRST}&to_month={THIRD}"


@pytest.fixture
def with_data(app, db, make_link):
    add_sample(app, db, 2000, *quarter_days(LAST_QUARTER))
    # Links of the newest month whose links have all expired: those are shown.
    for number in range(40):
        link, _ = make_link(created_at=f"{FUNNEL_MONTH}-{1 + number % 28:02d}T10:00:00+00:00")
    return app


def test_every_trainer_page_with_figures_is_accessible(with_data, signed_in_page, server, db):
    page = signed_in_page("trainer")
    sweep = Sweep(page)
    page.goto(f"{server}/trainer/?{QUARTER}")
    page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
    sweep.check("dashboard with figures, every table open", victim=False)
    # At 2,000 a quarter no month's release keeps the language: the page says so.
    page.goto(f"{server}/trainer/?{QUARTER}&language=pl")
    assert "are not broken down by language" in page.locator("#not-kept").inner_text()
    sweep.check("dashboard with a filter its months do not break down", victim=False)
    page.goto(f"{server}/trainer/export?survey=at_report&quarter={LAST_QUARTER}")
    sweep.check("a file chosen", victim=False)
    sweep.assert_clean()


def test_filters_and_downloads_work_without_javascript(with_data, signed_in_page, server):
    page = signed_in_page("trainer", java_script_enabled=False)
    page.goto(f"{server}/trainer/?{QUARTER}")
    everyone = page.locator("#summary").inner_text()
    page.select_option("#language", "pl")
    page.click("form.filters button[type=submit]")
    assert "language=pl" in page.url
    assert page.locator("#summary").inner_text() != everyone
    page.click("text=Satisfaction as a table")  # <details> opens without script
    assert page.locator("details >> text=Ease of contact").first.is_visible()
    with page.expect_download() as download:
        page.locator("#satisfaction ~ .download-forms button").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith('"area","satisfied_percent","responses"')
    # Beside it, the same table as an Excel workbook.
    with page.expect_download() as download:
        page.locator("#satisfaction ~ .download-forms button",
                     has_text="Download this table (Excel)").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert Path(download.value.path()).read_bytes().startswith(b"PK")


def test_a_trainer_can_use_the_dashboard_by_keyboard_alone(with_data, signed_in_page, server):
    page = signed_in_page("trainer")
    page.goto(f"{server}/trainer/?{QUARTER}")
    page.locator("#from_month").focus()
    for field in ("#from_month", "#to_month", "#stage"):
        assert page.evaluate("document.activeElement.id") == field[1:]
        page.keyboard.press("Tab")
    page.locator("#stage").focus()
    page.keyboard.press("ArrowDown")  # the first stage after "All"
    for _ in range(6):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Show figures"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "stage=at_report" in page.url
    assert heading(page) == "Feedback dashboard"


def test_choosing_and_downloading_a_file(with_data, signed_in_page, server):
    page = signed_in_page("trainer")
    page.click("header >> text=Download responses")
    page.select_option("#survey", "during_investigation")
    page.select_option("#quarter", LAST_QUARTER)
    page.click("text=Choose this file")
    assert (f"While we look into what happened, {quarter_label(LAST_QUARTER)}"
            in page.content())
    assert re.search(r"Responses included\s*\d+%", page.locator("dl.plan").inner_text())
    with page.expect_download() as download:
        page.click("text=Download the responses (CSV)")
    rows = list(csv.DictReader(io.StringIO(
        Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows and "kept_informed" in rows[0] and "response_id" not in rows[0]
    assert download.value.suggested_filename == f"during_investigation-{LAST_QUARTER}.csv"


def test_the_default_view_prints_on_at_most_three_a4_pages(app, db, signed_in_page, server):
    # The demo's data: 3,000 responses over the last year, with their links.
    samples.add_sample_responses(db, app.config["SURVEYS"], 3000,
                                 app.config["RETENTION_LINK_DAYS"], now())
    page = signed_in_page("trainer")
    page.goto(f"{server}/trainer/")
    page.emulate_media(media="print")
    # Figures only: no navigation, filter form or download buttons on paper.
    for hidden in (".header__nav", "form.filters", "form.download-form", "#brief"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("#satisfaction-chart-title", "#compare", "#trend-chart-title", "#focus"):
        assert page.locator(shown).count() == 1, shown
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= 3, pages


def test_a_brief_downloads_by_keyboard_alone(with_data, signed_in_page, server):
    page = signed_in_page("trainer")
    page.goto(f"{server}/trainer/?{QUARTER}&borough=Camden")
    button = page.locator("#brief button")
    assert button.inner_text() == "Download a training brief for Camden (PDF)"
    button.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"brief-Camden-{FIRST}-{THIRD}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")


def test_the_page_saying_briefs_are_unavailable_is_accessible(with_data, signed_in_page,
                                                               server, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if Pango were missing
    page = signed_in_page("trainer")
    page.goto(f"{server}/trainer/?{QUARTER}")
    page.click("#brief button")
    assert heading(page) == "The training brief cannot be made on this server"
    sweep = Sweep(page)
    sweep.check("training brief unavailable", victim=False)
    sweep.assert_clean()
