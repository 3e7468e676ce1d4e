from datetime import date

import pytest

from feedback.anonymise import DEFAULT_CRIME_REFERENCE_PATTERNS, compile_patterns, iso_week, redact

PATTERNS = compile_patterns(DEFAULT_CRIME_REFERENCE_PATTERNS)


@pytest.mark.parametrize("text, expected", [
    ("mail sam.jones+x@example.co.uk now", "mail [email removed] now"),
    ("call 07700 900982", "call [phone number removed]"),
    ("call 07700900982.", "call [phone number removed]."),
    ("call +44 7700 900982", "call [phone number removed]"),
    ("call +44 (0)20 7946 0000", "call [phone number removed]"),
    ("landline 020 7946 0000", "landline [phone number removed]"),
    ("I live at NW1 2DB", "I live at [postcode removed]"),
    ("postcode sw1a1aa", "postcode [postcode removed]"),
    ("NI QQ 12 34 56 C", "NI [national insurance number removed]"),
    ("NI AB123456D", "NI [national insurance number removed]"),
    ("crime ref 1234567/26", "crime ref [reference removed]"),
    ("CAD 4321 was raised", "[reference removed] was raised"),
    ("ref 01/123456/26", "ref [reference removed]"),
    ("ring (020) 7946 0958", "ring [phone number removed]"),
    ("ring 0044 7700 900982", "ring [phone number removed]"),
    ("ring 7700 900982", "ring [phone number removed]"),
    ("ring +1 202-555-0143 today", "ring [phone number removed] today"),
    ("mail jane dot doe at gmail dot com", "mail [email removed]"),
    ("mail jane [at] gmail [dot] com", "mail [email removed]"),
])
def test_identifying_details_are_removed(text, expected):
    assert redact(text, PATTERNS, 500) == expected


@pytest.mark.parametrize("text", [
    "The officer was kind and explained everything",
    "It took 2 hours for someone to come",
    "I rated it 5 out of 10",
    "They came on 12/10/2026 at 10:30",
    "Room 101",
    "Team B2 were great",
    "I paid 150000 pounds in 2026 and 2025",
    "They arrived at home at 10pm",
])
def test_ordinary_feedback_is_kept(text):
    assert redact(text, PATTERNS, 500) == text


def test_text_is_cut_to_the_limit_before_redaction():
    assert redact("  " + "a" * 600, PATTERNS, 500) == "a" * 500


def test_configured_reference_patterns_are_used():
    patterns = compile_patterns([r"\bMET-\d{4}\b"])
    assert redact("see MET-1234", patterns, 100) == "see [reference removed]"


@pytest.mark.parametrize("day, week", [
    (date(2026, 11, 28), "2026-W48"),
    (date(2026, 1, 1), "2026-W01"),
    (date(2027, 1, 1), "2026-W53"),
    (date(2024, 12, 30), "2025-W01"),
])
def test_submissions_are_dated_only_by_iso_week(day, week):
    assert iso_week(day) == week
