"""The service themes of comments (feedback/themes.py) against the labelled corpus,
tests/themes_corpus_*.jsonl. Each file after the first was committed before the rules
were measured on it, measured once, then tuned on: the figures of those first
measurements are in scripts/measure_themes.py. So this test holds the rules to what they
do on every comment written so far; it is no measure of comments nobody has seen.
"""

import json
from pathlib import Path

import pytest

from feedback.themes import LABELS, THEMES, themes_of

HALVES = ("tune", "blind", "fresh", "final")
LEAST = 0.8  # precision and recall every theme must reach on each half


def load(half):
    path = Path(__file__).with_name(f"themes_corpus_{half}.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def measure(items):
    """{theme: {labelled, found, right, precision, recall}} of themes_of on items."""
    table = {theme.code: {"labelled": 0, "found": 0, "right": 0} for theme in THEMES}
    for item in items:
        found, labelled = set(themes_of(item["text"])), set(item["themes"])
        for code, row in table.items():
            row["labelled"] += code in labelled
            row["found"] += code in found
            row["right"] += code in found and code in labelled
    for row in table.values():
        row["precision"] = row["right"] / row["found"] if row["found"] else 0.0
        row["recall"] = row["right"] / row["labelled"] if row["labelled"] else 0.0
    return table


def test_the_corpus_has_300_comments_labelled_with_known_themes():
    items = [item for half in HALVES for item in load(half)]
    assert len(items) >= 300
    assert len({item["text"] for item in items}) == len(items)
    assert {code for item in items for code in item["themes"]} == set(LABELS)
    assert all(row["labelled"] >= 40 for row in measure(items).values())


@pytest.mark.parametrize("half", HALVES)
def test_every_theme_is_found_with_precision_and_recall_of_at_least_0_8(half):
    table = measure(load(half))
    short = {code: (round(row["precision"], 2), round(row["recall"], 2))
             for code, row in table.items()
             if row["precision"] < LEAST or row["recall"] < LEAST}
    assert short == {}


@pytest.mark.parametrize("text, themes", [
    ("Kept me updated, and the officer was kind.", ["kept_informed", "empathy"]),
    ("No updates at all since I reported it.", ["kept_informed"]),
    ("I needed an interpreter and had to wait for one.", ["access"]),
    ("I didn't need an interpreter, my English is fine.", []),
    ("No need for support services, I have my family.", []),
    ("Offered victim support but I didn't need it.", ["support"]),
    ("Thank you.", []),
])
def test_a_comment_has_the_themes_it_speaks_of_and_not_what_it_did_not_need(text, themes):
    assert themes_of(text) == themes
