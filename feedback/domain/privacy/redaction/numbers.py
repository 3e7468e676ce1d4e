"""Finders for identity and money numbers: card, bank, NHS, NI, passport, licence, birth date.

Numbers with a check digit (cards, IBANs, NHS numbers) are found anywhere and
confirmed by it, so an ordinary long number is left alone. Numbers without one
(passports, account numbers, dates) are taken only next to a word that says what they
are ("passport", "account", "born").
"""

import re

# Runs of digit groups separated by one space or hyphen: "4539 5260 1815 9083".
_DIGIT_RUN = re.compile(r"(?<![\d])\d+(?:[ -]\d+)*(?![\d])")
_NHS = re.compile(r"(?<![\d\w])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d\w])")
NHS_AFTER_WORD = re.compile(
    r"\bnhs\b[^\d\n]{0,20}?(?<![\d\w])(\d{3}[ -]?\d{3}[ -]?\d{4})(?![\d\w])", re.IGNORECASE)
_NI = re.compile(r"\b[A-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b", re.IGNORECASE)
_IBAN_START = re.compile(r"\b[A-Z]{2}\d{2}(?=[ ]?[A-Z0-9])", re.IGNORECASE)
_IBAN_LENGTHS = {"GB": 22, "IE": 22, "DE": 22, "PL": 28, "RO": 24, "FR": 27, "ES": 24,
                 "IT": 27, "NL": 18, "BE": 16, "PT": 25, "LT": 20, "BG": 22, "HU": 28}
# "sort code", "s/c", or "sort" alone ("Account 00812475, sort 60-16-13").
_SORT_CODE = (r"(?:\bsort(?:[\s-]?code)?|s/c)\b[^\d\n]{0,20}?"
              r"(\d{2}[- ]\d{2}[- ]\d{2}|\d{6})(?!\d)")
_ACCOUNT = (r"\b(?:account|acc|a/c|acct|konta|konto|contul|cont)\b[^\d\n]{0,25}?"
            r"(\d{4}[ ]?\d{4})(?!\d)")
# A sort code and account number together: "20-45-77, 53004219", "60 83 71 / 30091155".
_PAIR = r"(?<![\d/])(\d{2}([- ])\d{2}\2\d{2}[ ,/]+\d{8})(?![\d/])"
# The number can come a few words later: "Passport was stolen in the burglary, number ...".
# "no." and "nr." are abbreviations, not the end of a sentence: "Passport no. 547120983".
_PASSPORT = (r"\b(?:passport|paszport\w*|pa[sș]aport\w*)\b(?:[^\d\n.!?]|(?<=\bno)\.|"
             r"(?<=\bnr)\.){0,50}?"
             r"\b([A-Z]{0,2}\d{2,9}(?:[ -]\d{2,4}){0,3})\b")
# UK licence: 5 letters of the surname (9s pad it), 6 digits (decade, month, day,
# year), 2 initials (9s pad them), a digit and 2 check characters.
_UK_LICENCE = r"\b[A-Z9]{5}[ ]?\d{6}[ ]?[A-Z9]{2}\d[ ]?[A-Z0-9]{2}\b"
_LICENCE = (r"\b(?:licen[cs]e|prawo jazdy|prawa jazdy|permis\w*)\b[^\d\n]{0,25}?"
            r"\b((?=[A-Z0-9]*\d)[A-Z0-9]{8,18})\b")

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
           r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
           # Polish (genitive, as in "3 marca 1990") and Romanian month names
           r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze[sś]nia|"
           r"pa[zź]dziernika|listopada|grudnia|"
           r"ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august|septembrie|"
           r"octombrie|noiembrie|decembrie)")
_DATE = (r"(\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\.?,?\s+\d{{4}}"
         rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
_BIRTH = (r"\b(?:d\.o\.b\.?|(?:born|dob|date\s+of\s+birth|birth\s*date|birthday|"
          r"urodzi\w*|urodzon\w*|data\s+urodzenia|n[aă]scut\w*|"
          r"data\s+na[sș]terii)\b)")
_BIRTH_DATE = rf"{_BIRTH}[^\n.!?]{{0,60}}?\b{_DATE}"


def _compiled(pattern):
    return re.compile(pattern, re.IGNORECASE)


SORT_CODE, ACCOUNT, PAIR = _compiled(_SORT_CODE), _compiled(_ACCOUNT), _compiled(_PAIR)
PASSPORT, LICENCE = _compiled(_PASSPORT), _compiled(_LICENCE)
UK_LICENCE, BIRTH_DATE = _compiled(_UK_LICENCE), _compiled(_BIRTH_DATE)


def luhn_valid(digits):
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def nhs_valid(digits):
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    return check != 10 and check % 11 == int(digits[9])


def iban_valid(characters):
    rearranged = characters[4:] + characters[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def find_cards(text):
    """13 to 19 digits that pass the Luhn check, in groups or not."""
    spans = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(re.finditer(r"\d+", run.group()))
        for i, first in enumerate(groups):
            digits, candidates = "", []
            for group in groups[i:]:
                digits += group.group()
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and digits[0] != "0" and luhn_valid(digits):
                    candidates.append(group.end())
            if candidates:  # the longest, so "4539 5260 1815 9083" is taken whole
                spans.append((run.start() + first.start(), run.start() + candidates[-1], "card"))
    return spans


def find_nhs_numbers(text):
    """Ten digits with a valid check digit, or any ten digits written after "NHS"
    (a number typed with a slip still points to one person)."""
    spans = [(m.start(), m.end(), "nhs") for m in _NHS.finditer(text)
             if nhs_valid(re.sub(r"\D", "", m.group()))]
    return spans + [(m.start(1), m.end(1), "nhs") for m in NHS_AFTER_WORD.finditer(text)]


def find_ni_numbers(text):
    return [(m.start(), m.end(), "ni") for m in _NI.finditer(text)]


def _alnum(ch):
    return ch.isascii() and ch.isalnum()


def _iban_at(text, start):
    """The end of a valid IBAN starting at start, or None."""
    country, characters, position, ends = text[start:start + 2].upper(), "", start, []
    while position < len(text) and len(characters) < 34:
        if text[position] == " " and position + 1 < len(text) and _alnum(text[position + 1]):
            position += 1
        if not _alnum(text[position]):
            break
        characters += text[position].upper()
        position += 1
        if position == len(text) or not _alnum(text[position]):
            ends.append((characters, position))
    wanted = _IBAN_LENGTHS.get(country)
    for characters, end in reversed(ends):
        if (len(characters) == wanted or (wanted is None and len(characters) >= 15)) \
                and _iban_groups(text[start:end]) and iban_valid(characters):
            return end
    return None


def _iban_groups(written):
    """Whether the groups of a written IBAN could be one: at most one group without a
    digit (a bank's code, "NWBK"), of four letters at most. Otherwise words ran on:
    "SE15 near the park" once checked out as a Swedish IBAN."""
    wordlike = [group for group in written.split()[1:] if not any(ch.isdigit() for ch in group)]
    return len(wordlike) <= 1 and all(len(group) <= 4 for group in wordlike)


def find_ibans(text):
    spans = []
    for match in _IBAN_START.finditer(text):
        end = _iban_at(text, match.start())
        if end:
            spans.append((match.start(), end, "bank"))
    return spans


def find_bank_details(text):
    spans = find_ibans(text)
    for pattern in (SORT_CODE, ACCOUNT, PAIR):
        spans += [(m.start(1), m.end(1), "bank") for m in pattern.finditer(text)]
    return spans


def find_passports(text):
    return [(m.start(1), m.end(1), "passport") for m in PASSPORT.finditer(text)
            if 6 <= sum(ch.isdigit() for ch in m.group(1)) <= 9]


def find_licences(text):
    spans = [(m.start(), m.end(), "licence") for m in UK_LICENCE.finditer(text)
             if any(ch.isdigit() for ch in m.group()[5:11])]
    return spans + [(m.start(1), m.end(1), "licence") for m in LICENCE.finditer(text)]


def find_birth_dates(text):
    return [(m.start(1), m.end(1), "dob") for m in BIRTH_DATE.finditer(text)]
