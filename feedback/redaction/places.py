"""Finders for where someone lives or what they drive: street addresses, postcodes and
UK vehicle registrations.

A street without a house number ("the station on High Street") is not an address, and
the older registration formats are taken only in capitals, so "Team B2 was" stays.
"""

import re

STREET_TYPES = (
    "road|rd|street|st|lane|ln|lanes|avenue|ave|close|drive|dr|way|place|pl|gardens|gdns|"
    "crescent|cres|court|ct|terrace|tce|grove|gr|hill|square|sq|parade|walk|row|mews|rise|"
    "view|green|park|gate|yard|wharf|vale|broadway|embankment|circus|estate|house|"
    "mansions|heights|tower|buildings|passage|approach|common|end|fields|path|quay|"
    "boulevard|market|wood|villas|cottages|reach|side|hall")
# Words that cannot be part of a street's name: they mean the number before them
# counts something ("3 hours on the High Street").
_NOT_STREET = {
    "a", "an", "the", "and", "or", "of", "on", "in", "at", "to", "for", "from", "by",
    "with", "my", "his", "her", "their", "our", "your", "hours", "hour", "minutes", "mins",
    "days", "day", "weeks", "week", "months", "month", "years", "year", "times", "people",
    "officers", "officer", "police", "men", "women", "kids", "children", "calls", "letters",
    "was", "were", "is", "are", "had", "have", "then", "but", "who", "that", "this",
    "out", "stars", "pounds", "miles", "floors", "doors", "houses", "flats", "cars",
}
_FLAT = r"(?:flat|apartment|apt|unit|maisonette|room|mieszkanie|apartament(?:ul)?|ap)\.?"
_FLAT_BEFORE = re.compile(rf"\b{_FLAT}\s*\d{{1,4}}[a-z]?\s*,?\s*$", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"(?<![\w/.:,£$€-])\d{1,4}[a-z]?(?:-\d{1,4}[a-z]?)?,?(?= )",
                           re.IGNORECASE)
_WORDS = re.compile(r"(?: +[^\W\d_][\w'’-]*){1,4}")
_STREET_TYPE = re.compile(rf"(?:{STREET_TYPES})", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)

# Current format: two letters, age identifier (March 02-29, September 51-79), three letters.
_CURRENT = r"[A-HJ-PR-Y][A-HJ-PR-Y](?:0[2-9]|[12]\d|5[1-9]|[67]\d)\s?[A-HJ-PR-Z]{3}"
_VEHICLE = re.compile(rf"\b(?:{_CURRENT})\b", re.IGNORECASE)
# 1983-2001 prefix ("R123 ABC") and 1963-1983 suffix ("NUT 123R"): capitals only.
_OLDER = re.compile(r"\b(?:[A-HJ-NP-Y]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}\s?[A-HJ-NP-Y])\b")
# Any plate, even a dateless one ("1234 AB"), after a word that says it is a plate.
_PLATE_WORDS = (r"\b(?:reg|registration|number\s*plate|plate|numer\s+rejestracyjny|"
                r"rejestracja|[iî]nmatriculare)\b")
_ANY_PLATE = re.compile(
    rf"{_PLATE_WORDS}[^\w\n]*(?:(?:is|was|number|no|nr|numer|:)\s+)?"
    r"([A-Z0-9]{2,4}\s?[A-Z0-9]{1,4})\b",
    re.IGNORECASE)


def _street_end(text, position):
    """Where a street name and type starting at position ends, or None: the longest
    run of one to three name words and a street type, none of them a counting word."""
    words = _WORDS.match(text, position)
    if not words:
        return None
    found = list(re.finditer(r"\S+", words.group()))
    for count in range(len(found), 1, -1):
        *name, street_type = found[:count]
        if _STREET_TYPE.fullmatch(street_type.group()) and all(
                word.group().lower().strip(".") not in _NOT_STREET for word in name):
            return position + street_type.end()
    return None


def find_addresses(text):
    spans = []
    for number in _HOUSE_NUMBER.finditer(text):
        end = _street_end(text, number.end())
        if end:
            flat = _FLAT_BEFORE.search(text, 0, number.start())
            spans.append((flat.start() if flat else number.start(), end, "address"))
    return spans


def find_postcodes(text):
    return [(m.start(), m.end(), "postcode") for m in _POSTCODE.finditer(text)]


def find_vehicles(text):
    spans = [(m.start(), m.end(), "vehicle") for m in _VEHICLE.finditer(text)]
    spans += [(m.start(), m.end(), "vehicle") for m in _OLDER.finditer(text)]
    for match in _ANY_PLATE.finditer(text):
        plate = match.group(1)
        if any(ch.isdigit() for ch in plate) and any(ch.isalpha() for ch in plate):
            spans.append((match.start(1), match.end(1), "vehicle"))
    return spans
