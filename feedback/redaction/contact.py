"""Finders for ways to reach someone: email addresses and phone numbers."""

import re

import phonenumbers

_EMAIL = re.compile(r"[A-Za-z0-9._%+'’-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Spelled out to get past filters: "jane dot doe at gmail dot com", "jane [at] gmail [dot] com".
_SPELLED_EMAIL = re.compile(
    r"\b\w+(?:\s+dot\s+\w+)*\s+(?:at|\(at\)|\[at\])\s+\w+"
    r"(?:\s+(?:dot|\(dot\)|\[dot\])\s+\w+)+\b", re.IGNORECASE)
_PHONES = [
    re.compile(r"(?<![\w/])(?:(?:\+\s?44|0044)\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-)]{0,2}\d){9,10}\b"),
    re.compile(r"\b7\d{3}[\s-]?\d{6}\b"),  # a mobile without its leading 0
]


def find_emails(text):
    return [(m.start(), m.end(), "email")
            for pattern in (_EMAIL, _SPELLED_EMAIL) for m in pattern.finditer(text)]


def find_phone_numbers(text):
    spans = [(m.start(), m.end(), "phone") for pattern in _PHONES for m in pattern.finditer(text)]
    # Then any other valid number, in any format, as libphonenumber reads it.
    spans += [(m.start, m.end, "phone") for m in phonenumbers.PhoneNumberMatcher(text, "GB")]
    return spans
