"""Rough reading age of the victim-facing English text (run by hand).

Flesch-Kincaid grade over every catalogue string of six words or more, with a
simple vowel-group syllable count: a guide, not a substitute for reading it.
Usage: .venv/bin/python scripts/readability.py
"""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "feedback/translations/messages.pot"


def syllables(word):
    word = word.lower().strip("'’")
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def main():
    with CATALOGUE.open("rb") as file:
        texts = [m.id for m in read_po(file) if isinstance(m.id, str) and len(m.id.split()) >= 6]
    text = " ".join(t if t.rstrip().endswith((".", "?", "!", ":")) else t + "." for t in texts)
    text = re.sub(r"%\(\w+\)s", "500", text)
    words = re.findall(r"[A-Za-z’']+", text)
    sentences = len(re.findall(r"[.?!:]", text))
    grade = (0.39 * len(words) / sentences
             + 11.8 * sum(map(syllables, words)) / len(words) - 15.59)
    print(f"{len(texts)} strings, {len(words) / sentences:.1f} words a sentence, "
          f"Flesch-Kincaid grade {grade:.1f}, reading age about {grade + 5:.0f}")


if __name__ == "__main__":
    main()
