"""Print how well feedback/domain/reporting/themes.py tags the labelled corpus, theme by theme.

    .venv/bin/python scripts/measure_themes.py [FILE ...] [--misses]
    .venv/bin/python scripts/measure_themes.py --speed
    .venv/bin/python scripts/measure_themes.py --second [blind11 blind12]

For each FILE named (a name of TRAINED_ON or BLIND in tests/domain/test_themes.py, such
as blind16; every file of the corpus if none is),
tests/themes_corpus_<name>.jsonl, per theme: how many comments are labelled with it, how
many themes_of tags with it, and its precision and recall. --misses lists each comment
whose themes differ from its labels. --speed prints the time per comment over every
comment of the corpus and the size of the model files. --second compares the labels of a file
labelled twice (tests/themes_second_<name>.jsonl: a second labeller's, from the guide
and the texts alone) with its first labels, and the tagger with each. With two files or
more, a last table pools their comments: a batch of blind files is judged on it. themes_of
is the rules, or the word model and the encoder averaged (feedback/domain/reporting/
themes_model.json and themes_encoder.onnx, made by scripts/train_themes.py and
scripts/train_themes_encoder.py from the files of TRAINED_ON in
tests/domain/test_themes.py, labelled by docs/themes-labelling.md).

How the files are used (git log -- tests/themes_corpus_*.jsonl shows it): tune was
written with blind and both committed before any rule, and the rules were written on
tune alone. Each later file is committed before the version it measures (the newer ones
written and labelled blind to the tagger); it is measured once, with that version final, by
`.venv/bin/python scripts/measure_themes.py <file> --misses`, and goes in BLIND with its
measurement in MEASURED (tests/domain/test_themes.py); then it is tuned on and moves to
TRAINED_ON. So the figures this script prints for a file tuned on are on comments tuned
on, no measure of new comments. docs/themes-measurements.md has each file's one
measurement, round by round, and the pooled figures on new comments.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.domain.reporting import themes  # noqa: E402
from feedback.domain.reporting.themes import ENCODER_PATH, LABELS, MODEL_PATH, themes_of  # noqa: E402
from tests.domain.test_themes import HALVES, LEAST, load, measure  # noqa: E402


def print_table(half, items):
    print(f"\n{half}: {len(items)} comments")
    print("| theme | labelled | found | precision | recall | both 0.8 or more |\n"
          "|---|---|---|---|---|---|")
    table = measure(items)
    reached = {code for code, row in table.items()
               if min(row["precision"], row["recall"]) >= LEAST}
    for code, row in table.items():
        print(f"| {LABELS[code]} | {row['labelled']} | {row['found']} | "
              f"{row['precision']:.2f} | {row['recall']:.2f} | "
              f"{'yes' if code in reached else 'no'} |")
    print(f"{len(reached)} themes of {len(table)} at {LEAST} of each")


def print_misses(items):
    for item, found in zip(items, themes.themes_of_all([item["text"] for item in items]),
                           strict=True):
        if set(found) != set(item["themes"]):
            missed = sorted(set(item["themes"]) - set(found))
            extra = sorted(set(found) - set(item["themes"]))
            print(f"{item['id']}: missed {missed} extra {extra}: {item['text']}")


def print_agreement(half, items, second):
    """The second labeller against the first, and the tagger against each, theme by theme."""
    labels = {row["id"]: row["themes"] for row in second}
    if [row["id"] for row in second] != [item["id"] for item in items]:
        sys.exit(f"{half}: the second labels are not of the same comments")
    relabelled = [{**item, "themes": labels[item["id"]]} for item in items]
    same = sum(set(item["themes"]) == set(labels[item["id"]]) for item in items)
    print(f"\n{half}: {len(items)} comments labelled twice, {same} with the same themes")
    print("| theme | second labeller against first | tagger against first |"
          " tagger against second |\n|---|---|---|---|")
    columns = [measure(items, found_in=lambda item: labels[item["id"]]), measure(items),
               measure(relabelled)]
    for code, label in LABELS.items():
        cells = " | ".join(f"{column[code]['precision']:.2f} / {column[code]['recall']:.2f}"
                           for column in columns)
        print(f"| {label} | {cells} |")


def print_speed():
    """The time per comment, over every comment of the corpus, of tagging them all in one
    call as the comments page does (the encoder reads two at a time), and of tagging them
    one call each; nothing remembered from one run to the next."""
    texts = [item["text"] for half in HALVES for item in load(half)]
    themes_of(texts[0])  # reads the models once, as the service does on its first comment
    for name, tag in (("together", themes.themes_of_all),
                      ("one at a time", lambda texts: [themes_of(text) for text in texts])):
        start = time.perf_counter()
        for _ in range(3):
            themes._REMEMBERED.clear()
            tag(texts)
        each = (time.perf_counter() - start) / (3 * len(texts))
        print(f"{name}: {each * 1000:.2f} ms a comment over {len(texts)} comments (3 runs)")
    print(f"{MODEL_PATH.name}: {MODEL_PATH.stat().st_size:,} bytes; "
          f"{ENCODER_PATH.name}: {ENCODER_PATH.stat().st_size:,} bytes")


def main(args):
    if "--speed" in args:
        print_speed()
        return
    halves = [half for half in HALVES if half in args] or list(HALVES)
    if "--second" in args:
        for half in halves:
            try:
                second = load(half, "second")
            except FileNotFoundError:
                continue  # labelled once
            print_agreement(half, load(half), second)
        return
    pooled = []
    for half in halves:
        items = load(half)
        pooled += items
        print_table(half, items)
        if "--misses" in args:
            print_misses(items)
    if len(halves) > 1:
        print_table(f"pooled, {len(halves)} files", pooled)


if __name__ == "__main__":
    main(sys.argv[1:])
