"""Measure by hand (not in tests): nanoseconds per neutralise call, the function
every cell of a CSV export passes through (up to 1M rows x ~20 columns).

    .venv/bin/python scripts/bench_cells.py
"""

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.domain.cells import neutralise  # noqa: E402

CASES = {
    "attribute (plain ASCII)": "Response Team 1",
    "answer id": "very_satisfied",
    "empty cell": "",
    "ASCII trigger": "=1+1",
    "non-ASCII letter first": "Żółw was kind",
    "Arabic text": "شكرا جزيلا",
    "invisible prefix + trigger": "\u200b\u00a0=HYPERLINK(1)",
    "full-width trigger": "\uff1d1+1",
    "None": None,
}


def main(number=1_000_000):
    for name, value in CASES.items():
        best = min(timeit.repeat(lambda v=value: neutralise(v), number=number, repeat=5))
        print(f"{name:28} {best / number * 1e9:6.0f} ns per call")
    empty = min(timeit.repeat(lambda: None, number=number, repeat=5))
    print(f"{'(empty lambda, overhead)':28} {empty / number * 1e9:6.0f} ns per call")


if __name__ == "__main__":
    main()
