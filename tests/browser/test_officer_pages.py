"""An officer's day in a real browser: My links on a phone, cancelling with a
confirmation, what was sent, copying the link, printing the QR card, and selects
whose text never runs under their arrow."""

import re
import subprocess
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from feedback.domain import clock
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    box,
    heading,
)

NARROW = {"viewport": {"width": 320, "height": 640}}


def make_links(make_link, count, **overrides):
    now = clock.now().replace(microsecond=0)
    links = []
    for n in range(count):
        made = now - timedelta(minutes=n)
        links.append(make_link(created_at=made.isoformat(),
                               expires_at=(made + timedelta(days=28)).isoformat(),
                               **overrides)[0])
    return links


def test_my_links_fit_320_px_and_can_be_filtered_and_paged_with_the_keyboard(
        officer_page, server, make_link, db):
    links = make_links(make_link, 23, crime_category="burglary")
    db.execute("UPDATE links SET revoked = 1 WHERE id = ?", [links[3]["id"]])
    page = officer_page(**NARROW)
    assert heading(page) == "My links"
    assert_no_horizontal_scroll(page, "my links at 320 px")
    assert_accessible(page, "my links at 320 px")
    titles = [" ".join(title.split()) for title in
              page.locator(".link-list__title").all_inner_texts()]
    assert len(titles) == 20 and all(re.fullmatch(
        r"Burglary ,? ?\d{1,2} \w{3} \d{4}, \d\d:\d\d", title) for title in titles), titles
    status = box(page, ".link-list__item .tag")  # on screen, not off to the side
    assert status["x"] + status["width"] <= 320

    page.click("text=Next page")
    assert len(page.locator(".link-list__item").all()) == 3
    assert "Page 2 of 2" in page.locator(".pagination").inner_text()

    page.focus("#status")
    page.keyboard.press("End")  # the last status in the list: Expired
    page.select_option("#status", "revoked")
    page.focus("main form.filters button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("?status=revoked&stage=&period=")
    assert page.locator(".link-list__item").count() == 1
    assert page.locator(".link-list__item .tag").inner_text() == "Cancelled"
    assert_no_horizontal_scroll(page, "filtered links at 320 px")


def test_cancelling_a_link_asks_first_and_then_says_so(officer_page, server, make_link, db):
    link, _ = make_link()
    page = officer_page(**PHONE)
    page.goto(f"{server}/officer/links/{link['id']}")
    page.click("text=Cancel this link")
    assert heading(page) == "Cancel this link?"
    assert_accessible(page, "cancel confirmation")
    page.click("text=No, keep it")
    assert heading(page) == "Feedback link"
    assert db.execute("SELECT revoked FROM links").fetchone()[0] == 0

    page.click("text=Cancel this link")
    page.click("text=Yes, cancel this link")
    assert page.locator(".notification").inner_text().startswith("Link cancelled.")
    assert page.locator(".tag").inner_text() == "Cancelled"
    assert db.execute("SELECT revoked FROM links").fetchone()[0] == 1


def test_after_sending_the_page_shows_what_was_sent_and_sending_again_is_a_choice(
        officer_page, server, make_link, app):
    app.config["SEND_CHANNELS"] = {"sms", "email"}  # the console backend, as in development
    link, _ = make_link()
    page = officer_page(**PHONE)
    page.goto(f"{server}/officer/links/{link['id']}")
    page.click("text=Send by text message")
    page.fill("#recipient", "07700 900 123")
    page.check("#confirm")
    page.click("main button[type=submit]")
    sent = page.locator("#sent").inner_text()
    assert re.fullmatch(r"Text message, \d{1,2} \w+ \d{4} at \d\d:\d\d \(UTC\)", sent), sent
    assert not page.get_by_text("Send by text message").is_visible()  # not offered as new
    page.click("text=Send the link again")
    assert page.get_by_text("Send by text message").is_visible()
    assert "07700" not in page.content()
    assert_accessible(page, "link page after sending, send again open")


def test_the_copy_button_copies_the_link_and_without_javascript_the_link_is_plain_text(
        officer_page, server, make_link):
    link, path = make_link()
    page = officer_page(**PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(f"{server}/officer/links/{link['id']}")
    page.locator("[data-copy]").wait_for(state="visible")  # shown by the deferred script
    page.click("text=Copy link")
    expect(page.locator(".copy__status")).to_have_text("Link copied")  # set once copied
    assert page.evaluate("navigator.clipboard.readText()") == server + path

    plain = officer_page(java_script_enabled=False)
    plain.goto(f"{server}/officer/links/{link['id']}")
    assert not plain.get_by_text("Copy link").is_visible()
    assert plain.locator("#link-text").inner_text() == server + path
    assert plain.locator("#link-text").evaluate("e => getComputedStyle(e).userSelect") != "none"


@pytest.mark.parametrize("screen", [{"width": 1280, "height": 720}, PHONE["viewport"],
                                    NARROW["viewport"]])
def test_the_qr_code_comes_first_and_the_case_details_stay_off_the_first_screen(
        screen, officer_page, server, make_link, tmp_path):
    """The screen is turned towards the person: the code they scan fills its top,
    and "Crime category: Domestic abuse" is not on it."""
    link, path = make_link(crime_category="domestic_abuse")
    page = officer_page(viewport=screen)
    page.goto(f"{server}/officer/links/{link['id']}")
    qr_box = box(page, ".show-person img.qr")
    assert qr_box["y"] >= 0 and qr_box["y"] + qr_box["height"] <= screen["height"]
    assert qr_box["width"] >= min(240, 0.7 * screen["width"])  # scans at arm's length
    details = box(page, "#details")
    assert details["y"] >= screen["height"], "case details are on the first screen"
    category = box(page, "#details + dl")  # below, for the officer
    assert category["y"] >= screen["height"]
    assert_no_horizontal_scroll(page, "link page")
    assert_accessible(page, "link page, QR first")

    # Full screen: the codes and nothing about the case or the officer.
    page.click("text=Show full screen")
    assert heading(page) == "Scan with your phone camera"
    text = page.locator("body").inner_text()
    for detail in ("Domestic abuse", link["team"], "Crime", "Sign out", "My links"):
        assert detail not in text, detail
    shot = tmp_path / "full.png"
    page.locator("img.qr").screenshot(path=str(shot))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert decoded == server + path
    full = box(page, "img.qr")
    assert full["y"] + full["height"] <= screen["height"]
    assert_no_horizontal_scroll(page, "full-screen code")
    assert_accessible(page, "full-screen code")
    page.click("text=Done")
    assert heading(page) == "Feedback link"


def pages_of(pdf):
    """(page count, (width, height) of the first in mm) of a PDF Chromium wrote."""
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return len(boxes), tuple(round(float(size) * 25.4 / 72) for size in boxes[0])


@pytest.mark.parametrize("language", ["en", "pl", "ro", "ar"])
def test_the_qr_card_prints_on_one_a6_page_and_its_code_scans_to_the_link(
        language, officer_page, server, make_link, tmp_path):
    link, path = make_link(language=language)
    page = officer_page()
    page.goto(f"{server}/officer/links/{link['id']}")
    page.click("text=Print a QR card")
    assert heading(page) == "Print a QR card"
    page.locator("[data-print]").wait_for(state="visible")  # shown by the deferred script
    assert_accessible(page, f"QR card ({language})")
    card = page.locator("[data-card]")
    assert card.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    shot = tmp_path / "card.png"
    card.locator("img").screenshot(path=str(shot))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert decoded == server + path

    # As the page asks (A6, no margin), and as the print dialog's defaults do it
    # (A6 with its default margins of about 10 mm): one page either way.
    assert pages_of(page.pdf(prefer_css_page_size=True, print_background=True)) == (
        1, (105, 148)), "the card does not fit one page"
    margins = {side: "10mm" for side in ("top", "right", "bottom", "left")}
    assert pages_of(page.pdf(format="A6", margin=margins)) == (1, (105, 148)), (
        "the card does not fit one page with the default margins")
    page.emulate_media(media="print")
    # Inside A6 less 10 mm margins all round (85 x 128 mm), at 96 px an inch.
    page.set_viewport_size({"width": round(85 / 25.4 * 96), "height": 600})
    assert card.bounding_box()["height"] <= 128 / 25.4 * 96, "the card is taller than A6 allows"
    assert not page.locator("header.header").is_visible()
    assert not page.get_by_text("Back to the link").is_visible()
    assert card.is_visible()


def _dark_columns(image):
    """x positions holding dark pixels, inside the control's border."""
    grey = image.convert("L")
    width, height = grey.size
    inset = 8  # past the 2 px border, at the 2x scale of a phone
    return sorted({x for x in range(inset, width - inset) for y in range(inset, height - inset)
                   if grey.getpixel((x, y)) < 100})


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_selects_text_stops_well_short_of_its_arrow_on_a_phone(
        language, officer_page, server, tmp_path, app):
    page = officer_page(**PHONE)
    page.goto(f"{server}/officer/links/new")
    longest = max(app.config["SURVEYS"].values(), key=lambda survey: len(survey.title))
    page.select_option("#stage", longest.stage)
    if language == "ar":  # the arrow moves to the left in right-to-left pages
        page.evaluate("document.documentElement.dir = 'rtl'")
    shot = tmp_path / "select.png"
    page.locator("#stage").screenshot(path=str(shot))
    columns = _dark_columns(Image.open(shot))
    runs, start = [], columns[0]
    for before, after in zip(columns, columns[1:], strict=False):
        if after - before > 1:
            runs.append((start, before))
            start = after
    runs.append((start, columns[-1]))
    arrow = runs[-1] if language == "en" else runs[0]
    text = runs[-2] if language == "en" else runs[1]
    gap = (arrow[0] - text[1]) if language == "en" else (text[0] - arrow[1])
    assert arrow[1] - arrow[0] < 30, "the last dark shape is not the arrow"
    # Chromium's own arrow leaves about 13 px, which on some phones' browsers is
    # none at all: the control's own padding must keep a clear gap.
    assert gap >= 2 * 16, f"only {gap / 2} px between the text and the arrow"


def test_a_signed_in_officer_opening_the_sign_in_page_lands_on_my_links(officer_page, server):
    page = officer_page()
    page.goto(f"{server}/sign-in")
    assert page.url == f"{server}/officer/links"
    assert heading(page) == "My links"
