"""The QR code an officer shows (the SVG on the link page) scans to the link."""

import subprocess

from tests.browser.conftest import link_path


def test_the_qr_code_on_the_link_page_scans_to_the_link(signed_in_page, server, tmp_path):
    page = signed_in_page("officer")
    page.goto(f"{server}/officer/links/new")
    page.select_option("#stage", "at_report")
    page.select_option("#crime_category", "burglary")
    page.click("main button[type=submit]")
    url = server + link_path(page.content())
    assert page.locator("img.qr").get_attribute("src").endswith("/qr.svg")
    shot = tmp_path / "shown.png"
    page.locator("img.qr").screenshot(path=str(shot))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert decoded == url
