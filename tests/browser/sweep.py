"""Sweep: check a page at every width with axe-core and for sideways scrolling, and
each victim page for its language, direction, quick exit and neutral title."""

import re

from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_tables_show_all_their_columns,
)

WIDTHS = ({"width": 1280, "height": 800}, {"width": 320, "height": 256})
# Words that may stay in Latin letters on an Arabic page: key names on a keyboard,
# and the language switch, where each language is named in itself.
SERVICE_NAME = {"en": "Give feedback", "ar": "أبدِ رأيك"}  # neutral: no police, no crime
LATIN_ALLOWED = {"Esc", "Shift", "GOV", "UK", "English", "Polski", "Rom", "n"}


class Sweep:
    """Check the page at every width; collect every problem, report them together."""

    def __init__(self, page, language="en"):
        self.page, self.language, self.problems, self.seen = page, language, [], []

    def check(self, name, victim=True):
        page = self.page
        page.wait_for_load_state()
        self.seen.append(name)
        for size in WIDTHS:
            page.set_viewport_size(size)
            where = f"{name} at {size['width']} px ({self.language})"
            for check in (assert_accessible, assert_no_horizontal_scroll,
                          assert_tables_show_all_their_columns):
                try:
                    check(page, where)
                except AssertionError as problem:
                    self.problems.append(str(problem))
        page.set_viewport_size(WIDTHS[0])
        if victim:
            self._check_victim_page(name)

    def _check_victim_page(self, name):
        page, expected_dir = self.page, "rtl" if self.language == "ar" else "ltr"
        html = page.locator("html")
        found = (html.get_attribute("lang"), html.get_attribute("dir"))
        if found != (self.language, expected_dir):
            self.problems.append(f"{name}: lang/dir {found}")
        exit_link = page.locator(".exit-button")
        if not exit_link.is_visible() or exit_link.get_attribute("href") != "/exit":
            self.problems.append(f"{name}: no Leave this site control")
        if not page.title().endswith(" – " + SERVICE_NAME[self.language]):
            self.problems.append(f"{name}: title {page.title()!r} is not '… – Give feedback'")
        if self.language == "ar":
            english = set(re.findall(r"[A-Za-z]+", _visible_text(page))) - LATIN_ALLOWED
            if english:
                self.problems.append(f"{name}: untranslated {sorted(english)}")

    def assert_clean(self):
        assert self.problems == [], "\n".join(self.problems)


def _visible_text(page):
    # Web addresses and phone numbers stay as they are; so does the page title
    # separator. Everything else a reader sees or hears must be translated.
    text = page.evaluate("""() => document.title + ' ' + document.body.innerText + ' '
        + [...document.querySelectorAll('[aria-label]')].map(e => e.ariaLabel).join(' ')""")
    return re.sub(r"\b[\w.-]+\.(?:org|uk|com)(?:\.uk)?\b", "", text)
