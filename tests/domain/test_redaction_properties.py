"""Properties redaction keeps for any text at all, checked with hypothesis."""

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedback.domain.privacy.anonymise import (
    DEFAULT_CRIME_REFERENCE_PATTERNS,
    compile_patterns,
    redact,
)

pytestmark = pytest.mark.slow  # hypothesis, many examples

PATTERNS = compile_patterns(DEFAULT_CRIME_REFERENCE_PATTERNS)
# Words and numbers that finders look at, so generated text often holds details,
# markers and near-misses, not only random characters.
PIECES = ["PC", "Jones", "my", "ex", "Darren", "name", "is", "Flat", "3,", "27", "Mile",
          "End", "Road", "07700", "900982", "SW1A", "1AA", "born", "3", "July", "1992",
          "4539", "5260", "1815", "9083", "GB29", "NWBK", "6016", "1331", "9268", "19",
          "passport", "533401327", "[name]", "[phone number]", "[", "]", "Will", "May",
          "jane.doe@example.com", "at", "dot", "com", "AB12", "CDE", "1234567/26", "\n",
          "\r\n", "\t", "\x00", "\u200b", "e\u0301", "ł", "ș", "—", " ", ",", "."]
TEXT = st.one_of(
    st.text(),
    st.lists(st.sampled_from(PIECES), max_size=80).map(" ".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=60).map("".join),
)
LIMITS = st.integers(min_value=1, max_value=600)
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT, LIMITS)
@example("Al " * 200, 100)
@example("x" * 95 + " 07700 900982", 100)
def test_redaction_never_raises_and_never_passes_the_limit(text, limit):
    assert len(redact(text, PATTERNS, limit)) <= limit


@SETTINGS
@given(TEXT, LIMITS)
@example("PC Jones PC Jones PC Jones", 20)
@example("my name is Jane Doe and I live at 12 High Street", 40)
def test_redacting_a_redacted_text_again_changes_nothing(text, limit):
    once = redact(text, PATTERNS, limit)
    assert redact(once, PATTERNS, limit) == once


@SETTINGS
@given(TEXT, LIMITS)
@example("a\r\nb\x00c\x1bd\u2028e\u200bf\ud800g", 100)
def test_no_control_character_but_a_line_break_is_ever_left(text, limit):
    redacted = redact(text, PATTERNS, limit)
    assert "\r" not in redacted
    assert all(ch == "\n" or unicodedata.category(ch)[0] != "C" for ch in redacted)
    assert unicodedata.is_normalized("NFC", redacted)
    redacted.encode("utf-8")  # what SQLite stores: no lone surrogates
