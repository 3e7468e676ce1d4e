"""Redaction of free text and coarse attributes for stored responses.

A comment is stored only as redact() returns it: one Unicode form, no control
characters, at most the configured length, and every identifying detail the finders in
feedback/domain/privacy/redaction/ recognise replaced by a marker such as "[name]" or "[address]".
"""

import re
from dataclasses import dataclass

from feedback.domain.privacy.redaction import contact, names, numbers, places
from feedback.domain.privacy.redaction.text import MARKER, MARKERS, fit, normalise, replace

KINDS = list(MARKERS)

DEFAULT_CRIME_REFERENCE_PATTERNS = [
    r"\b\d{7}/\d{2}\b",          # CRIS-style 1234567/26
    r"\bCAD\s?\d{3,6}(?:/\d{2}[A-Z]{3}\d{2})?\b",
    r"\b\d{3,6}/\d{2}[A-Z]{3}\d{2}\b",  # a CAD number alone: 6623/21JAN26
    r"\b\d{2}/\d{5,7}/\d{2}\b",  # other forces' 01/123456/26
    r"\bNFRC\s?\d{6,14}\b",       # Action Fraud's NFRC260112345678
    # An incident log by its number and day: "incident 5531 of 4 October", "CAD 412 of
    # 03/10".
    r"(?:(?<=\bincident )|(?<=\bcad )|(?<=\blog )|(?<=\bnumber )|(?<=\bno\. ))"
    r"\d{2,6}\s+of\s+(?:the\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[a-z]{3,9}\b|\d{1,2}/\d{1,2}(?:/\d{2,4})?)",
]
_FINDERS = [
    contact.find_emails, numbers.find_cards, numbers.find_bank_details,
    numbers.find_nhs_numbers, numbers.find_ni_numbers, numbers.find_passports,
    numbers.find_licences, numbers.find_birth_dates, places.find_vehicles,
    places.find_postcodes, places.find_addresses, contact.find_phone_numbers,
    contact.find_handles, places.find_workplaces,
]
# Where finders claim overlapping text, all of it goes, under the longest claim's marker;
# on a tie, the kind listed first (a crime reference is not half a phone number).
_PRIORITY = {kind: rank for rank, kind in enumerate(
    ["reference", "email", "card", "bank", "nhs", "ni", "passport", "licence", "dob",
     "vehicle", "postcode", "address", "phone", "handle", "workplace", "name"])}
# Read this far past the limit, so a detail the limit cuts through is still recognised.
_WINDOW = 100
_PASSES = 4


@dataclass(frozen=True)
class Patterns:
    references: tuple
    names: dict
    words: frozenset = frozenset()


def compile_patterns(crime_reference_patterns=()):
    """Compile once at start-up (a bad configured pattern fails loudly then) and load
    the lists of names and of other words, which every request then shares."""
    references = tuple(re.compile(p, re.IGNORECASE) for p in crime_reference_patterns)
    return Patterns(references, names.load_names(), names.load_words())


def _merge(spans):
    merged = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], s[0] - s[1], _PRIORITY[s[2]])):
        if merged and start < merged[-1][1]:
            first, last, chosen, length = merged[-1]
            better = (end - start, -_PRIORITY[kind]) > (length, -_PRIORITY[chosen])
            merged[-1] = (first, max(last, end), kind if better else chosen,
                          max(length, end - start))
        else:
            merged.append((start, end, kind, end - start))
    return [(start, end, kind) for start, end, kind, _ in merged]


def find_details(text, patterns):
    """(start, end, kind) of each identifying detail in a normalised text, in order and
    not overlapping. Markers already there (the text was redacted before) are hidden
    from the finders, so "[NHS number]" is never taken for a name."""
    masked = MARKER.sub(lambda m: "\ue000" * len(m.group()), text)
    spans = [(m.start(), m.end(), "reference")
             for pattern in patterns.references for m in pattern.finditer(masked)]
    for finder in _FINDERS:
        spans += finder(masked)
    spans += names.find_names(masked, patterns.names, patterns.words)
    return _merge([span for span in spans if span[1] > span[0]])


def _redact_once(text, patterns, max_length):
    text = normalise(text)
    return fit(replace(text, find_details(text, patterns)), max_length)


def redact(text, patterns, max_length):
    """Normalise, redact and cut a free-text answer to max_length characters.

    Repeated until nothing changes, so redacting a stored comment again leaves it as
    it is: a marker can make the text longer, and the cut that follows can leave a new
    end that reads differently."""
    current = normalise(text)[:max_length + _WINDOW]
    for _ in range(_PASSES):
        redacted = _redact_once(current, patterns, max_length)
        if redacted == current:
            return redacted
        current = redacted
    # Only text built to defeat the cut gets here: store nothing rather than a detail.
    return ""


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
