"""Every CSV cell passes through neutralise: a cell a spreadsheet could run as a
formula gets a leading quote; everything else is written as it is."""

import pytest

from feedback.domain.cells import neutralise
from tests.formula_corpus import PREFIXES, TRIGGERS

INVISIBLE = [prefix for prefix in PREFIXES if prefix]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=ascii)
def test_a_cell_starting_with_any_form_of_a_trigger_is_neutralised(trigger):
    assert neutralise(trigger + "1+1") == "'" + trigger + "1+1"


@pytest.mark.parametrize("prefix", INVISIBLE, ids=ascii)
def test_a_trigger_behind_invisible_characters_is_neutralised(prefix):
    # Issue 8: "\x00=HYPERLINK(...)" was written as it was and ran in LibreOffice.
    for payload in ("=HYPERLINK(\"https://evil.example\")", "@SUM(1;2)", "-1+1", "＝1+1"):
        assert neutralise(prefix + payload) == "'" + prefix + payload


@pytest.mark.parametrize("value", [
    "Kind officer", "5 stars", "", "'quoted", "a=b", "Zoë", "Żółw", "Dziękuję", "شكرا جزيلا",
    " kept me informed", "\u200bfine", "\u00a0\u3000ok", "— not great", "(1) slow", "£5",
    "\x00", " ", "\u2800x",
], ids=ascii)
def test_text_whose_first_visible_character_is_not_a_trigger_is_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value, written", [(None, ""), (3, 3), (-1, -1), (2.5, 2.5)])
def test_empty_and_numeric_cells_are_written_as_they_are(value, written):
    assert neutralise(value) == written
