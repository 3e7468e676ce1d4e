"""Redaction of free text and coarse attributes for stored responses."""

import re

import phonenumbers

# Order matters: longer, more specific patterns first so that, say, a phone
# number inside an email address is removed as the email.
_BUILT_IN = [
    ("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    # "jane dot doe at gmail dot com"
    ("email", r"\b\w+(?:\s+dot\s+\w+)*\s+(?:at|\(at\)|\[at\])\s+\w+"
              r"(?:\s+(?:dot|\(dot\)|\[dot\])\s+\w+)+\b"),
    # Broader than the valid prefixes on purpose: removing too much is harmless.
    ("national insurance number", r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),
    ("postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    ("phone number", r"(?<![\w/])(?:(?:\+\s?44|0044)\s?(?:\(0\)\s?)?|\(?0)"
                     r"(?:[\s\-)]{0,2}\d){9,10}\b"),
    ("phone number", r"\b7\d{3}[\s-]?\d{6}\b"),  # a mobile without its leading 0
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
    built_in = len(_BUILT_IN)
    return compiled[built_in:] + compiled[:built_in]


def redact(text, patterns, max_length):
    """Trim, cut to max_length and replace identifying details with a label."""
    text = (text or "").strip()[:max_length]
    for label, pattern in patterns:
        text = pattern.sub(f"[{label} removed]", text)
    # Then any other valid number, in any format, as libphonenumber reads it.
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, "GB"))):
        text = text[:match.start] + "[phone number removed]" + text[match.end:]
    return text


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
