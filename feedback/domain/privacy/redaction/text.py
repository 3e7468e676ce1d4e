"""Clean-up around redaction: one Unicode form, no control characters, a length limit.

Every finder in this package returns spans (start, end, kind) over the cleaned text;
the markers below are what a span is replaced with.
"""

import re
import unicodedata

MARKERS = {
    "name": "[name]",
    "address": "[address]",
    "vehicle": "[vehicle registration]",
    "dob": "[date of birth]",
    "card": "[card number]",
    "bank": "[bank details]",
    "nhs": "[NHS number]",
    "passport": "[passport number]",
    "licence": "[driving licence number]",
    "email": "[email]",
    "phone": "[phone number]",
    "postcode": "[postcode]",
    "ni": "[National Insurance number]",
    "reference": "[reference]",
    "handle": "[username]",
    "workplace": "[workplace or school]",
}
MARKER = re.compile("|".join(re.escape(marker) for marker in MARKERS.values()))
# Characters that end up in no stored comment: controls (Cc), invisible format
# characters such as zero-width spaces and bidi overrides (Cf), which can hide a number
# from the patterns or reorder text, lone surrogates (Cs), which SQLite cannot store as
# UTF-8, and private-use or unassigned code points (Co, Cn).
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_BREAKS = str.maketrans({"\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n",
                              "\u2028": "\n", "\u2029": "\n", "\t": " "})


def normalise(text):
    """NFC, line breaks as \\n only, no control or invisible characters, trimmed."""
    text = (text or "").replace("\r\n", "\n").translate(_LINE_BREAKS)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in _DROPPED)
    # NFC after dropping: a removed character may have separated a letter from its accent.
    return unicodedata.normalize("NFC", text).strip()


def replace(text, spans):
    """Replace each (start, end, kind) span, spans sorted and not overlapping."""
    pieces, position = [], 0
    for start, end, kind in spans:
        pieces += [text[position:start], MARKERS[kind]]
        position = end
    return "".join(pieces) + text[position:]


def fit(text, limit):
    """Cut to limit characters without leaving half a marker or half a word."""
    if len(text) <= limit:
        return text
    cut = limit
    for marker in MARKER.finditer(text, 0, limit + 40):
        if marker.start() < limit < marker.end():
            cut = marker.start()
    if not text[cut].isspace():
        # A fragment of a word could be half a detail ("07700 90") or read as
        # another one; drop it when there is an earlier place to stop.
        space = max(text.rfind(" ", 0, cut), text.rfind("\n", 0, cut))
        cut = space if space > 0 else cut
    return text[:cut].rstrip()
