"""Finders for ways to reach someone: email addresses, phone numbers (in digits or in
words) and social media names."""

import re

import phonenumbers

from feedback.domain.privacy.redaction.names import load_words
from feedback.domain.privacy.redaction.wordlists import FUNCTION_WORDS

_EMAIL = re.compile(r"[A-Za-z0-9._%+'’-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Spelled out to get past filters: "jane dot doe at gmail dot com", "jane [at] gmail [dot] com".
_SPELLED_EMAIL = re.compile(
    r"\b\w+(?:\s+dot\s+\w+)*\s+(?:at|\(at\)|\[at\])\s+\w+"
    r"(?:\s+(?:dot|\(dot\)|\[dot\])\s+\w+)+\b", re.IGNORECASE)
_PHONES = [
    re.compile(r"(?<![\w/])(?:(?:\+\s?44|0044)\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-)]{0,2}\d){9,10}\b"),
    re.compile(r"\b7\d{3}[\s-]?\d{6}\b"),  # a mobile without its leading 0
]

# A number read out in words, to get past filters or as it is said: "oh seven nine one
# one, double two three...". Ten digits or more make it a phone number.
_DIGIT_WORDS = {"zero": 1, "oh": 1, "o": 1, "nought": 1, "nil": 1, "one": 1, "two": 1,
                "three": 1, "four": 1, "five": 1, "six": 1, "seven": 1, "eight": 1,
                "nine": 1, "double": 0, "triple": 0}
_SPOKEN_DIGIT = r"(?:zero|oh|o|nought|nil|one|two|three|four|five|six|seven|eight|nine|\d)"
_SPOKEN_NUMBER = re.compile(
    rf"\b(?:(?:double|triple)\s+)?{_SPOKEN_DIGIT}(?:[\s,-]+(?:(?:double|triple)\s+)?"
    rf"{_SPOKEN_DIGIT})+\b", re.IGNORECASE)

# Social media names: "@jaz_x_99" anywhere, and after a word for a platform or for a
# name someone goes by ("his snapchat is dazzaboi77", "calling himself xXwolfXx"), a word
# no ordinary text has: with a digit, an underscore, a dot inside or a capital inside.
_AT_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_PLATFORM = re.compile(
    r"\b(?:instagram|insta|ig|snapchat|snap|sc|tiktok|twitter|telegram|discord|roblox|"
    r"xbox|psn|playstation|gamertag|username|user\s?name|handle|facebook|fb|youtube|"
    r"twitch|threads|onlyfans|kik|signal|whatsapp|account|profile|calling\s+(?:him|her)self|"
    r"calls\s+(?:him|her)self|goes\s+by|go\s+by|under)\b[^\w\n@]*"
    r"(?:(?:is|was|as|name|named|called|under|by|from|:)\s+)*", re.IGNORECASE)
# Ordinary words never have an underscore inside: "ghostrider_0909" is a username.
_UNDERSCORED = re.compile(r"(?<![\w@.])[A-Za-z0-9]+(?:_+[A-Za-z0-9]+)+\b")
# Nor two capitals inside a word that starts in lower case: "xXshadowfoxXx" (not "iPhone").
_MIXED = re.compile(r"(?<![\w@.])[a-z]+[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*\b")
# After "my instagram is", one word in lower case that no word list knows: "kaylajbeauty".
_PLATFORM_IS = re.compile(
    r"\b(?:instagram|insta|snapchat|snap|tiktok|twitter|telegram|discord|roblox|"
    r"facebook|youtube|twitch|kik|username|user\s?name|handle)\s+(?:name\s+)?(?:is|was|:)"
    r"\s+([a-z][a-z0-9]{5,29})\b", re.IGNORECASE)
_HANDLE_WORD = re.compile(r"[A-Za-z0-9_.]*[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9_]")


def _looks_like_handle(word):
    inner = word[1:]
    return bool(re.search(r"[\d_]", word) or re.search(r"\w\.\w", word)
                or (any(ch.isupper() for ch in inner) and any(ch.islower() for ch in inner)
                    and not word.isupper())) and not word.isdigit()


def find_emails(text):
    return [(m.start(), m.end(), "email")
            for pattern in (_EMAIL, _SPELLED_EMAIL) for m in pattern.finditer(text)]


def find_phone_numbers(text):
    spans = [(m.start(), m.end(), "phone") for pattern in _PHONES for m in pattern.finditer(text)]
    # Then any other valid number, in any format, as libphonenumber reads it.
    spans += [(m.start, m.end, "phone") for m in phonenumbers.PhoneNumberMatcher(text, "GB")]
    return spans + _spoken_numbers(text)


def _spoken_numbers(text):
    spans = []
    for match in _SPOKEN_NUMBER.finditer(text):
        words = re.findall(r"\w+", match.group().lower())
        digits = sum(len(w) if w.isdigit() else _DIGIT_WORDS[w] * (
            1 + (i and words[i - 1] == "double") + 2 * (i and words[i - 1] == "triple"))
            for i, w in enumerate(words))
        if digits >= 10 and sum(not w.isdigit() for w in words) >= 5:
            spans.append((match.start(), match.end(), "phone"))
    return spans


def find_handles(text):
    spans = [(m.start(), m.end(), "handle")
             for pattern in (_AT_HANDLE, _UNDERSCORED, _MIXED) for m in pattern.finditer(text)]
    words = load_words()
    spans += [(m.start(1), m.end(1), "handle") for m in _PLATFORM_IS.finditer(text)
              if m.group(1).islower() and m.group(1) not in words
              and m.group(1) not in FUNCTION_WORDS]
    for platform in _PLATFORM.finditer(text):
        word = _HANDLE_WORD.match(text, platform.end())
        if word and _looks_like_handle(word.group()):
            spans.append((word.start(), word.end(), "handle"))
    return spans
