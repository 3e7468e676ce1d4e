"""Print how well free-text redaction does on the labelled corpus, kind by kind.

    .venv/bin/python scripts/redaction_report.py [--details] [--fresh-details]

For each kind of detail: how many the corpus holds, the share removed, and the share
of ordinary words wrongly removed under that kind's marker; for the whole corpus, then
for each later batch alone (batch 1 was written first and guided the rules; batches 2
and 3 were written after them, so their first measurement was the fairer test); then
for the corpora of batches 4 to 8 (docs/redaction.md: 4 to 7 tuned the rules, 8 was
written by someone else, blind to round 4's rules, and is the figure). --details lists
the misses and the comments that lost an ordinary word in all but batch 8;
--fresh-details in batch 8, to be read only when the rules are final. Then it times
redaction per comment, the figure to watch for the survey page.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.domain.privacy.anonymise import (  # noqa: E402
    DEFAULT_CRIME_REFERENCE_PATTERNS,
    compile_patterns,
    redact,
)
from tests.redaction_corpus import (  # noqa: E402
    BATCH7,
    BATCH8,
    BLIND,
    FRESH,
    TUNING,
    load_corpus,
    measure,
)


def print_table(title, result):
    table = result["table"]
    print(f"\n{title}: {result['comments']} comments, {result['ordinary_words']} ordinary words")
    print("| kind | details | detected | ordinary words removed |\n|---|---|---|---|")
    for kind, row in table.items():
        detected = f"{row['detected']:.1%}" if row["details"] else "–"
        print(f"| {kind} | {row['details']} | {detected} | "
              f"{row['ordinary_removed']:.2%} ({row['wrongly_removed']}) |")
    details = sum(row["details"] for row in table.values())
    removed = sum(row["removed"] for row in table.values())
    wrongly = sum(row["wrongly_removed"] for row in table.values())
    print(f"| all | {details} | {removed / details:.1%} | "
          f"{wrongly / result['ordinary_words']:.2%} ({wrongly}) |")
    print(f"comments that lost an ordinary word: {len(result['false_positives'])}")


def print_details(title, result):
    print(f"\nmisses in {title}:")
    for comment_id, kind, redacted in result["misses"]:
        print(f"  {comment_id} {kind}: {redacted}")
    print("\ncomments that lost an ordinary word:")
    for comment_id, redacted in result["false_positives"]:
        print(f"  {comment_id}: {redacted}")


def timing(corpus, patterns, rounds=20):
    start = time.perf_counter()
    for _ in range(rounds):
        for comment in corpus:
            redact(comment["text"], patterns, 500)
    per_comment = (time.perf_counter() - start) / (rounds * len(corpus))
    full = " ".join(comment["text"] for comment in corpus)[:500]
    start = time.perf_counter()
    for _ in range(rounds):
        redact(full, patterns, 500)
    return per_comment, (time.perf_counter() - start) / rounds


def main():
    start = time.perf_counter()
    patterns = compile_patterns(DEFAULT_CRIME_REFERENCE_PATTERNS)
    loading = time.perf_counter() - start
    corpus = load_corpus()
    result = measure(corpus, patterns)
    print_table("whole corpus", result)
    for batch in sorted({comment["batch"] for comment in corpus} - {1}):
        part = [comment for comment in corpus if comment["batch"] == batch]
        print_table(f"batch {batch} only", measure(part, patterns))
    later = {title: measure(load_corpus(path), patterns) for title, path in (
        ("tuning corpus (batch 4)", TUNING), ("first blind corpus (batch 5)", BLIND),
        ("second blind corpus (batch 6)", FRESH), ("third blind corpus (batch 7)", BATCH7),
        ("fourth blind corpus (batch 8)", BATCH8))}
    for title, part in later.items():
        print_table(title, part)
    for title, part in list(later.items())[:4] if "--details" in sys.argv else ():
        print_details(title, part)
    if "--fresh-details" in sys.argv:
        print_details("the fourth blind corpus (batch 8)", later["fourth blind corpus (batch 8)"])
    everything = corpus + [comment for path in (TUNING, BLIND, FRESH, BATCH7, BATCH8)
                           for comment in load_corpus(path)]
    per_comment, full = timing(everything, patterns)
    print(f"\nloading the name list: {loading * 1000:.0f} ms, once at start-up")
    print(f"redaction: {per_comment * 1000:.2f} ms per corpus comment, "
          f"{full * 1000:.2f} ms for a 500-character comment full of details")


if __name__ == "__main__":
    main()
