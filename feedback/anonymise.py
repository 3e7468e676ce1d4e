"""Redaction of free text and coarse attributes for stored responses."""

import re

# Order matters: longer, more specific patterns first so that, say, a phone
# number inside an email address is removed as the email.
_BUILT_IN = [
    ("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    # Broader than the valid prefixes on purpose: removing too much is harmless.
    ("national insurance number", r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),
    ("postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    ("phone number", r"(?<![\w/])(?:\+\s?44\s?\(?0?\)?|0)(?:[\s-]?\d){9,10}\b"),
]

DEFAULT_CRIME_REFERENCE_PATTERNS = [
    r"\b\d{7}/\d{2}\b",          # CRIS-style 1234567/26
    r"\bCAD\s?\d{3,6}(?:/\d{2}[A-Z]{3}\d{2})?\b",
    r"\b\d{2}/\d{5,7}/\d{2}\b",  # other forces' 01/123456/26
]


def compile_patterns(crime_reference_patterns=()):
    """Compile once at start-up; a bad configured pattern fails loudly then."""
    compiled = [(label, re.compile(p, re.IGNORECASE)) for label, p in _BUILT_IN]
    for pattern in crime_reference_patterns:
        compiled.append(("reference", re.compile(pattern, re.IGNORECASE)))
    # References go first: a reference like 1234567/26 must not be half-eaten
    # by the phone pattern.
    return compiled[4:] + compiled[:4]


def redact(text, patterns, max_length):
    """Trim, cut to max_length and replace identifying details with a label."""
    text = (text or "").strip()[:max_length]
    for label, pattern in patterns:
        text = pattern.sub(f"[{label} removed]", text)
    return text


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
