"""Print how well feedback/themes.py tags the labelled corpus, theme by theme.

    .venv/bin/python scripts/measure_themes.py [--misses]

For each half of the corpus (tests/themes_corpus_tune.jsonl, which the rules were
written on, and tests/themes_corpus_blind.jsonl, written and committed before them):
per theme, how many comments are labelled with it, and the precision and recall of the
rules. --misses lists each comment whose themes differ from its labels.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.themes import LABELS, themes_of  # noqa: E402
from tests.test_themes import HALVES, load, measure  # noqa: E402


def print_table(half, items):
    print(f"\n{half} half: {len(items)} comments")
    print("| theme | labelled | found | precision | recall |\n|---|---|---|---|---|")
    for code, row in measure(items).items():
        print(f"| {LABELS[code]} | {row['labelled']} | {row['found']} | "
              f"{row['precision']:.2f} | {row['recall']:.2f} |")


def print_misses(items):
    for item in items:
        found = themes_of(item["text"])
        if set(found) != set(item["themes"]):
            missed = sorted(set(item["themes"]) - set(found))
            extra = sorted(set(found) - set(item["themes"]))
            print(f"{item['id']}: missed {missed} extra {extra}: {item['text']}")


def main(args):
    halves = [half for half in HALVES if half in args] or list(HALVES)
    for half in halves:
        items = load(half)
        print_table(half, items)
        if "--misses" in args:
            print_misses(items)


if __name__ == "__main__":
    main(sys.argv[1:])
