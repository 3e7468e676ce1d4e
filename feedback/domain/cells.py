"""Spreadsheet cells that stay text: what every CSV file of the service passes
each cell through before writing it."""

import functools
import unicodedata

# A cell starting with one of these can run as a formula in Excel, LibreOffice or
# Google Sheets (OWASP "CSV injection"); tab and CR/LF can smuggle one in.
_TRIGGERS = frozenset("=+-@|%\t\r\n")

# Spreadsheets skip or drop characters nobody sees: LibreOffice opened "\x00=1+1"
# as a formula (issue 8). So the first *visible* character decides. These Unicode
# categories are whitespace, controls and format characters (zero-width, BOM, word
# joiner, bidi marks, soft hyphen), plus combining marks, which have nothing to
# combine with at the start: derived, not listed, so later additions are covered.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
# Default-ignorable or blank letters outside those categories (Hangul fillers,
# Braille blank): they render as nothing, so they hide a trigger as well.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# What a visible first character may fold to: the triggers, and the signs NFKC
# keeps apart from ASCII but a person reads as minus or plus (superscript minus
# folds to U+2212, not to "-").
_FOLDED_TRIGGERS = _TRIGGERS | frozenset("\u2212\u2796\u2795")


def neutralise(value):
    """Prefix a quote so spreadsheets show the text instead of evaluating it."""
    if value is None:
        return ""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    # Quick path: most cells start with a printable ASCII character.
    if "!" <= first <= "~":
        return "'" + value if first in _TRIGGERS else value
    return "'" + value if _hides_a_trigger(value) else value


def _hides_a_trigger(value):
    """True when the first character a person would see is a trigger, in any form
    (full-width ＝, small ﹦, superscript ⁺, ...), after invisible ones."""
    for char in value:
        kind = _kind(char)
        if kind is not _INVISIBLE_CHAR:
            return kind is _TRIGGER_CHAR
    return False


_TRIGGER_CHAR, _INVISIBLE_CHAR, _TEXT_CHAR = "trigger", "invisible", "text"


@functools.lru_cache(maxsize=4096)  # a cell's first character repeats across rows
def _kind(char):
    if char in _TRIGGERS:  # before the categories: tab, CR and LF are controls
        return _TRIGGER_CHAR
    if char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE:
        return _INVISIBLE_CHAR
    if unicodedata.normalize("NFKC", char)[:1] in _FOLDED_TRIGGERS:
        return _TRIGGER_CHAR
    return _TEXT_CHAR
