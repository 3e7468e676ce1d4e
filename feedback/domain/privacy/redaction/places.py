"""Finders for where someone lives, works or drives: street addresses, postcodes,
small named workplaces and schools, and UK vehicle registrations.

A street without a house number ("the station on High Street") is not an address, and
the older registration formats are taken only in capitals, so "Team B2 was" stays.
"""

import re

from feedback.domain.privacy.redaction.wordlists import (
    DESCRIPTORS,
    FUNCTION_WORDS,
    INSTITUTIONS,
    NOT_NAMES,
    WHERE_WORK,
    WORK_AT,
)

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
# The first half of a postcode alone ("I live in SE15") narrows a victim down to a few
# streets: taken in capitals, for a real postcode area.
_AREAS = (
    "AB|AL|B|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|DN|"
    "DT|DY|E|EC|EH|EN|EX|FK|FY|G|GL|GU|HA|HD|HG|HP|HR|HS|HU|HX|IG|IP|IV|KA|KT|KW|KY|L|LA|"
    "LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|S|"
    "SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|W|WA|WC|WD|WF|"
    "WN|WR|WS|WV|YO|ZE")
_DISTRICT = re.compile(rf"(?<![\w-])(?:{_AREAS})\d[A-Z\d]?(?![\w-])")
# Not after words that label things with letters and numbers: "Team B2", "the M25".
_LABEL_BEFORE = re.compile(
    r"\b(?:the|on|off|via|junction|j|team|unit|block|flat|room|bay|gate|ward|platform|"
    r"terminal|level|zone|floor|seat|row|table|pitch|type|size|grade|form|class|year|"
    r"tier|band|group|section|bus|route|number|no|paper|vitamin)\s*$", re.IGNORECASE)
# ... unless a word after it says a place: "the LS11 area".
_AREA_AFTER = re.compile(r" +(?:area|postcode|district)\b", re.IGNORECASE)
# Welsh streets put the type first: "9 Heol y Nant", "6 Ffordd Glyndwr".
_WELSH_STREET = re.compile(
    r" +(?i:heol|ffordd|stryd|lôn|lon|rhodfa|cilgant|teras|maes|clos|llwyn|bryn|cwrt)"
    r"(?: +(?:y|yr|'r)\b)?(?: +[A-ZÂÊÎÔÛŴŶ][\w'’-]*){1,2}")
# A street named with "The" and no type: "2 The Paddocks", "14 The Maltings".
_THE_STREET = re.compile(r" +The +[A-Z][a-z]+(?:s|gate|croft|fold|garth)\b")
# A flat after its street: "16 Beech Court, Flat 4".
_FLAT_AFTER = re.compile(rf",? +{_FLAT} *\d{{1,4}}[a-z]?\b", re.IGNORECASE)
# A building often comes before its street: "Flat 12 Ashby House, Penrose Street".
_THEN_STREET = re.compile(r",? +((?:[A-Z][\w'’-]* +){1,3})")
_BUILDINGS = {"house", "court", "mansions", "heights", "tower", "buildings", "lodge",
              "point", "block", "estate"}

# Current format: two letters, age identifier (March 02-29, September 51-79), three letters.
_CURRENT = r"[A-HJ-PR-Y][A-HJ-PR-Y] ?(?:0[2-9]|[12]\d|5[1-9]|[67]\d)\s?[A-HJ-PR-Z]{3}"
_VEHICLE = re.compile(rf"\b(?:{_CURRENT})\b", re.IGNORECASE)
# 1983-2001 prefix ("R123 ABC") and 1963-1983 suffix ("NUT 123R"): capitals only.
_OLDER = re.compile(r"\b(?:[A-HJ-NP-Y]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}\s?[A-HJ-NP-Y])\b")
# Any plate, even a dateless one ("1234 AB"), after a word that says it is a plate.
_PLATE_WORDS = (r"\b(?:reg|registration|number\s*plates?|plates?|numer\s+rejestracyjny|"
                r"rejestracja|[iî]nmatriculare)\b")
# ... or part of one: "reg was something like SV15", "reg ending 8 FTD".
_ANY_PLATE = re.compile(
    rf"{_PLATE_WORDS}[^\w\n]*(?:(?:is|was|number|no|nr|numer|something|like|ending|"
    r"ends|ended|starting|starts|started|beginning|begins|began|with|in|:)\s+){0,4}"
    r"([A-Z0-9]{1,4}\s?[A-Z0-9]{1,4})\b",
    re.IGNORECASE)
_ONE_CHARACTER = re.compile(r"\w(?:\s|$)")


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


def _street_after_building(text, end):
    """Where a street named after a building ends ("..., Penrose Street"), or end."""
    if text[:end].rsplit(None, 1)[-1].lower() not in _BUILDINGS:
        return end
    words = _THEN_STREET.match(text, end)
    if words:
        street = _street_end(text, words.start(1) - 1)
        if street:
            return street
    return end


def find_addresses(text):
    spans = []
    for number in _HOUSE_NUMBER.finditer(text):
        end = _street_end(text, number.end())
        if end:
            end = _street_after_building(text, end)
        else:
            welsh = _WELSH_STREET.match(text, number.end()) \
                or _THE_STREET.match(text, number.end())
            end = welsh.end() if welsh else None
        if end:
            flat = _FLAT_BEFORE.search(text, 0, number.start())
            after = _FLAT_AFTER.match(text, end)
            spans.append((flat.start() if flat else number.start(),
                          after.end() if after else end, "address"))
    return spans


def find_postcodes(text):
    spans = [(m.start(), m.end(), "postcode") for m in _POSTCODE.finditer(text)]
    return spans + [(m.start(), m.end(), "postcode") for m in _DISTRICT.finditer(text)
                    if not _LABEL_BEFORE.search(text, 0, m.start())
                    or _AREA_AFTER.match(text, m.end())]


def _plate_case(plate):
    """A plate is written in one case: "SE16 and" is a postcode and a word."""
    letters = [ch for ch in plate if ch.isalpha()]
    return all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)


def find_vehicles(text):
    # With a space after its letters only in capitals: "KY 64 FTR", not "at 12 and".
    spans = [(m.start(), m.end(), "vehicle") for m in _VEHICLE.finditer(text)
             if _plate_case(m.group()) and (m.group()[2] != " " or m.group().isupper())]
    spans += [(m.start(), m.end(), "vehicle") for m in _OLDER.finditer(text)]
    for match in _ANY_PLATE.finditer(text):
        plate = match.group(1)
        if not _plate_case(plate):
            plate = plate.split()[0]  # "SV15 and": the word after is no part of it
        # One character before the space only in capitals: "8 FTD", not "2 days".
        short = _ONE_CHARACTER.match(plate) and not plate.isupper()
        if any(ch.isdigit() for ch in plate) and any(ch.isalpha() for ch in plate) \
                and not short:
            spans.append((match.start(1), match.start(1) + len(plate), "vehicle"))
    return spans


_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|&")
_CONNECTORS = {"&", "and", "of"}
_POSSESSIVE_S = re.compile(r"['’]s$")
_PLACE_KIND_WORDS = INSTITUTIONS | DESCRIPTORS - {"the", "a", "an", "my", "our", "his", "her",
                                                   "their", "this", "that"}
# After these the capitalised words name a workplace or school, whatever they end in:
# "my son's school, Our Lady of Lourdes", "I run a small café, The Blue Kettle".
_NAMED_AFTER = re.compile(
    r"\b(?:(?:my|his|her|their|our)\s+(?:[\w]+['’]s\s+)?(?:school|college|nursery|"
    r"work|workplace|job|office|shop|café|cafe|business|restaurant|takeaway|salon|pub|"
    r"garage|surgery|practice|gym|firm|company)|(?:i|we)\s+(?:run|own|manage)\s+"
    r"(?:a|an|the)\s+(?:small\s+|little\s+|local\s+)?[^\W\d_]+)(?:\s*[,(]\s*|\s+)"
    r"(?:is\s+)?", re.IGNORECASE)
_WORK_AT = re.compile(WORK_AT + r" +", re.IGNORECASE)
_WHERE_WORK = re.compile(WHERE_WORK, re.IGNORECASE)


def _capitalised(token):
    word = token.group()
    # "Care" is a Romanian function word, and part of "Brightwell House Care Home".
    return word[0].isupper() and (word.lower() not in FUNCTION_WORDS
                                  or word.lower() in _PLACE_KIND_WORDS)


def _distinctive(tokens):
    return any(_capitalised(t) and t.group().lower() not in DESCRIPTORS | INSTITUTIONS
               and _POSSESSIVE_S.sub("", t.group().lower()) not in NOT_NAMES for t in tokens)


def _run_before(text, tokens, last):
    """The capitalised words and connectors that run into tokens[last]."""
    first = last
    while first > 0 and re.fullmatch(r" +", text[tokens[first - 1].end():tokens[first].start()]):
        before = tokens[first - 1]
        if not (_capitalised(before) or before.group().lower() in _CONNECTORS):
            break
        first -= 1
    while tokens[first].group().lower() in _CONNECTORS:
        first += 1
    return tokens[first:last + 1]


def _run_after(text, tokens, first):
    """Up to four capitalised words (and connectors) from tokens[first]."""
    run = []
    for token in tokens[first:first + 6]:
        if run and not re.fullmatch(r" +", text[run[-1].end():token.start()]):
            break
        if not (token.group()[0].isupper() or (run and token.group().lower() in _CONNECTORS)):
            break
        run.append(token)
    while run and run[-1].group().lower() in _CONNECTORS:
        run.pop()
    return run


# Places many people pass through, named after a kind word: "Kings College Hospital".
_BIG_PLACES = {"hospital", "station", "court", "prison", "university", "airport", "police"}


def _institution(tokens, i, text):
    word = tokens[i].group().lower()
    if i + 1 < len(tokens) and tokens[i + 1].group().lower() in _BIG_PLACES \
            and text[tokens[i].end():tokens[i + 1].start()] == " ":
        return False
    return word in INSTITUTIONS or (word == "form" and i > 0
                                    and tokens[i - 1].group().lower() == "sixth")


def _run_on(text, tokens, last):
    """The end of a name that goes on after its kind word: "Kingfisher Roofing &
    Guttering", "Patel Builders and Sons"."""
    while last + 2 < len(tokens) and tokens[last + 1].group().lower() in ("&", "and") \
            and tokens[last + 2].group()[0].isupper() and all(
                re.fullmatch(r" +", text[tokens[k].end():tokens[k + 1].start()])
                for k in (last, last + 1)):
        last += 2
    return last


def find_workplaces(text):
    tokens = list(_NAME_TOKEN.finditer(text))
    starts = {token.start(): i for i, token in enumerate(tokens)}
    ends = {token.end(): i for i, token in enumerate(tokens)}
    runs = [_run_before(text, tokens, i) + tokens[i + 1:_run_on(text, tokens, i) + 1]
            for i, token in enumerate(tokens)
            if _capitalised(token) and _institution(tokens, i, text)]
    runs += [_run_before(text, tokens, ends[m.start()]) for m in _WHERE_WORK.finditer(text)
             if m.start() in ends and _capitalised(tokens[ends[m.start()]])]
    runs += [_run_after(text, tokens, starts[m.end()])
             for pattern in (_WORK_AT, _NAMED_AFTER) for m in pattern.finditer(text)
             if m.end() in starts]
    return [(run[0].start(), run[-1].end(), "workplace") for run in runs
            if run and _distinctive(run)]
