"""Languages of the victim pages: which ones, how a page's language is chosen,
and how survey wording (TOML data files) gets into the message catalogues.

Staff pages are English only. Catalogues live in feedback/translations; see the
README there and scripts/i18n for updating them.
"""

import tomllib

from flask import g, request, session

from feedback.domain.surveys import SCALE_CHOICES, YES_NO_CHOICES

# code -> the name an officer picks from when creating a link.
LANGUAGES = {
    "en": "English",
    "pl": "Polish (Polski)",
    "ro": "Romanian (Română)",
    "ar": "Arabic (العربية)",
}
# code -> the language's own name, for the switch on victim pages.
NATIVE_NAMES = {"en": "English", "pl": "Polski", "ro": "Română", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})
DEFAULT = "en"


def supported(code):
    """code if the victim pages are offered in it, else the default."""
    return code if code in LANGUAGES else DEFAULT


def select_locale():
    """Flask-Babel's locale selector.

    Victim pages (marked by g.victim_page, set before anything else runs for them)
    use the language chosen on the page, else the link's language, else the
    browser's. Everything else is English.
    """
    if not g.get("victim_page"):
        return DEFAULT
    chosen = session.get("lang") or g.get("link_lang")
    if chosen in LANGUAGES:
        return chosen
    # Best first; "ro-RO" counts as Romanian even when English is also accepted.
    for value, _quality in request.accept_languages:
        code = value.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


def text_direction(locale):
    return "rtl" if str(locale).split("_")[0] in RIGHT_TO_LEFT else "ltr"


# Babel extractor for survey definitions, registered in babel.cfg. --------------

# What each kind of string is, for translators.
_ROLES = {"text": "A survey question", "hint": "Help text under a survey question",
          "error": "Error message: tells the person what to do"}
_ANSWER = "An answer the person can choose"


def extract_survey(fileobj, keywords, comment_tags, options):
    """Yield (line, funcname, message, comments) for every victim-facing string
    in one survey file, including the fixed scale and yes/no answer labels."""
    source = fileobj.read().decode("utf-8")
    lines = source.splitlines()
    for question in tomllib.loads(source).get("questions", []):
        here = _line_of(lines, f'id = "{question.get("id", "")}"', 0)
        texts = [(question[key], role) for key, role in _ROLES.items() if question.get(key)]
        labels = [choice["label"] for choice in question.get("choices", [])]
        labels += [label for _, label in _FIXED_CHOICES.get(question.get("type"), ())]
        texts += [(label, _ANSWER) for label in labels]
        for text, role in texts:
            # Built-in answer labels are not in the file: they point at the question.
            yield _line_of(lines, text, here), "gettext", text, [role]


_FIXED_CHOICES = {"scale": SCALE_CHOICES, "yes_no": YES_NO_CHOICES}


def _line_of(lines, text, default):
    for number, line in enumerate(lines, start=1):
        if text in line:
            return number
    return default
