"""Print how well feedback/domain/reporting/themes.py tags the labelled corpus, theme by theme.

    .venv/bin/python scripts/measure_themes.py [tune|blind|fresh|final|blind2|blind3|blind4
        |blind5|blind6|blind7|blind8|blind9|blind10|blind11 ...] [--misses]
    .venv/bin/python scripts/measure_themes.py --speed

themes_of is the rules or the model (feedback/domain/reporting/themes_model.json, made by
scripts/train_themes.py from tune, blind, fresh, final and, since round 3, blind2, since
round 4, blind3, since round 5, blind4, since round 6, blind5, since round 7, blind6
and, since round 8, blind7, since round 9, blind8, since round 10, blind9, with the labels
corrected in round 5 to docs/themes-labelling.md). --speed prints the time
per comment over every comment of the corpus and the model file's size.

For each file of the corpus (tests/themes_corpus_<name>.jsonl), per theme: how many
comments are labelled with it, how many themes_of tags with it, and its precision and
recall. --misses lists each comment whose themes differ from its labels.

How the files were used, in order (git log -- tests/themes_corpus_*.jsonl shows it):
tune (169) was written with blind (153) and both committed before any rule; the rules
were written on tune alone. Each later file was committed before the rules were measured
on it, measured once, and then tuned on. Those first measurements, on comments the rules
had not seen (recall; precision was 0.71 or more everywhere), and the one measurement
of blind2, blind3, blind4 and blind5 with the model (r1 to r7: the rules of each
version, +m: with the model, precision / recall; blind4 also with round 3's version,
r5+m, from its files at a14ae62 run in a temporary folder, and blind5 with round 4's,
r6+m, from its files at e0a8ef4 likewise):

| theme           | blind r1 | fresh r2 | final r3 |
|-----------------|----------|----------|----------|
| Kept informed   | 0.70     | 0.47     | 0.36     |
| Time to attend  | 0.82     | 0.31     | 0.67     |
| Empathy         | 0.79     | 0.58     | 0.68     |
| Believed        | 0.71     | 0.46     | 0.54     |
| Professionalism | 0.84     | 0.69     | 0.54     |
| Outcome         | 0.89     | 0.71     | 0.62     |
| Access          | 0.88     | 0.75     | 0.83     |
| Support         | 0.86     | 0.80     | 0.89     |
| Contact         | 0.75     | 0.36     | 0.36     |

With the model (precision / recall):

| theme           | blind2 r4+m | blind3 r5+m | blind4 r6+m | blind4 r5+m |
|-----------------|-------------|-------------|-------------|-------------|
| Kept informed   | 0.74 / 0.81 | 0.86 / 0.75 | 0.79 / 0.86 | 0.82 / 0.84 |
| Time to attend  | 0.79 / 0.83 | 0.91 / 0.84 | 0.84 / 0.89 | 0.81 / 0.83 |
| Empathy         | 0.87 / 0.96 | 0.88 / 0.81 | 0.86 / 0.75 | 0.85 / 0.69 |
| Believed        | 0.71 / 0.88 | 0.64 / 0.70 | 0.89 / 0.80 | 0.81 / 0.85 |
| Professionalism | 0.76 / 0.76 | 0.76 / 0.80 | 0.88 / 0.71 | 0.91 / 0.69 |
| Outcome         | 0.91 / 0.91 | 0.88 / 0.81 | 0.93 / 0.90 | 0.90 / 0.90 |
| Access          | 1.00 / 0.81 | 0.88 / 0.91 | 0.91 / 0.83 | 0.88 / 0.83 |
| Support         | 1.00 / 1.00 | 0.87 / 1.00 | 0.91 / 0.97 | 0.91 / 0.97 |
| Contact         | 0.78 / 0.86 | 0.78 / 0.88 | 0.84 / 0.84 | 0.78 / 0.84 |

blind5 (labelled by docs/themes-labelling.md; the labels of blind2 to blind4 above are
those before round 5 corrected them):

| theme           | blind5 r7+m | blind5 r6+m | blind6 r8+m | blind7 r9+m |
|-----------------|-------------|-------------|-------------|-------------|
| Kept informed   | 0.69 / 0.78 | 0.61 / 0.69 | 0.92 / 0.82 | 0.79 / 0.69 |
| Time to attend  | 0.76 / 0.85 | 0.76 / 0.82 | 0.84 / 0.84 | 0.88 / 0.65 |
| Empathy         | 0.80 / 0.73 | 0.81 / 0.58 | 0.84 / 0.71 | 0.85 / 0.78 |
| Believed        | 0.68 / 0.65 | 0.71 / 0.55 | 0.86 / 0.75 | 0.86 / 0.63 |
| Professionalism | 0.68 / 0.76 | 0.69 / 0.55 | 0.86 / 0.77 | 0.74 / 0.64 |
| Outcome         | 0.75 / 0.65 | 0.76 / 0.63 | 0.94 / 0.81 | 0.79 / 0.65 |
| Access          | 0.82 / 0.90 | 0.90 / 0.84 | 0.97 / 0.86 | 0.90 / 0.77 |
| Support         | 1.00 / 0.97 | 0.97 / 0.94 | 0.94 / 0.91 | 0.97 / 0.94 |
| Contact         | 0.68 / 0.56 | 0.68 / 0.62 | 0.81 / 0.83 | 0.84 / 0.82 |

blind8 with round 8 final (r10+m) and round 7's version (r9+m):

| theme           | blind8 r10+m | blind8 r9+m |
|-----------------|--------------|-------------|
| Kept informed   | 0.88 / 0.88  | 0.86 / 0.84 |
| Time to attend  | 0.76 / 0.88  | 0.76 / 0.76 |
| Empathy         | 0.89 / 0.92  | 0.92 / 0.86 |
| Believed        | 0.76 / 0.81  | 0.89 / 0.76 |
| Professionalism | 0.80 / 0.86  | 0.81 / 0.81 |
| Outcome         | 0.85 / 0.89  | 0.92 / 0.88 |
| Access          | 0.97 / 0.97  | 0.97 / 0.97 |
| Support         | 0.97 / 0.97  | 0.97 / 0.94 |
| Contact         | 0.86 / 0.82  | 0.85 / 0.76 |

blind6 (300 comments, written and labelled by docs/themes-labelling.md blind to the
tagger, adc2ee9) was measured once with round 6 final (r8+m, 9cd841a): `.venv/bin/python
scripts/measure_themes.py blind6 --misses`. Since round 7 it is trained and tuned on.
blind7 (300 comments, likewise, written in situations unlike the other files': a stolen
work van, fraud by phone, hate crime on a bus, carers writing for someone, 79186ae) was
measured once with round 7 final (r9+m, cae8c19): `.venv/bin/python
scripts/measure_themes.py blind7 --misses`. Six themes of nine reached 0.8 of each on
blind6, two on blind7: recall is what falls on wording and situations the rules have
not met (0.63 to 0.78 for six themes), while precision stays 0.74 or more.

So the rules find well what they have seen, and miss much wording they have not: on a
new comment, expect them to find roughly half to two thirds of each theme. The figures
this script prints now for every file are on files the rules were tuned on and the
model trained on (blind5 too, since round 6, blind6 since round 7 and blind7 since
round 8). blind3 (224
comments) was written and committed before round 3 changed anything, and measured once
with round 3 final (a14ae62); blind4 (312 comments) before round 4 was measured on it,
and measured once with round 4 final (e0a8ef4): `.venv/bin/python
scripts/measure_themes.py blind4 --misses`; blind5 (285 comments) before round 5 was
final, and measured once with round 5 final (8914658): `.venv/bin/python
scripts/measure_themes.py blind5 --misses`; blind6 (300 comments) likewise with round 6
final (9cd841a).

Round 8: blind7, measured once above, joined training and tuning; the rules gained
families of the guide's meaning from its misses (59 tags put right by the rules alone,
49 of them on blind7, none wrong on any file), and the model, retrained on the ten
files, aims precision equal to recall instead of 0.05 above it. Leaving one file out
(`.venv/bin/python scripts/train_themes.py --cv`, last column, each file with the rules
before it), the lowest precision or recall of any theme went from 0.76 to 0.79, and on
blind7's own row from 0.58 to 0.67 (blind6's 0.72 to 0.74). So on the next blind file
expect recall a little higher and precision a little lower than on blind7, both nearer
0.8; the figures this script prints for blind7 now are on comments tuned on.
blind8 (300 comments, written and labelled by the guide blind to the tagger, 3a63109,
in the voices and crimes of a year's comments) was measured once with round 8 final
(r10+m, 30fac85): `.venv/bin/python scripts/measure_themes.py blind8 --misses`. Seven
themes of nine reached 0.8 of each; time to attend and believed fell short on
precision (0.76 each). Round 7's version (r9+m) on the same comments, from its files at
445c23b: six themes, short on recall for time to attend, believed and contact (0.76 each).

Round 9: blind8, measured once above, joined training and tuning; its misses narrowed the
rules that took a word in another sense (time to attend: "the PC who came out", "came
round to tell me", "took years to come forward", "smoke coming out of", "took ages to
connect"; believed: "a civil matter" or "no point" said plainly) and gave a few families
("weren't a priority", "low level", "same day visit"): 32 tags put right by the rules
alone, 16 of them on blind8 and 13 on blind4 to blind7, 2 lost (still tagged by the
model). The model is round 8's kind retrained on the eleven files. Leaving one file out
(`.venv/bin/python scripts/train_themes.py --cv`, last column) the lowest figure of any
theme is 0.80 (0.79 over ten files in round 8); blind8's own row, with round 8's rules
as measured, 0.76. The figures this script prints for blind8 now are on comments tuned
on. blind9 (300 comments, written and labelled blind to the tagger by another hand,
2f606f9) was measured once with round 9 final (r11+m, 9f440be): `.venv/bin/python
scripts/measure_themes.py blind9 --misses`. Support alone reached 0.8 of each; round 8's
version (r10+m, e69bae4) likewise:

| theme           | blind9 r11+m | blind9 r10+m |
|-----------------|--------------|--------------|
| Kept informed   | 0.78 / 0.77  | 0.79 / 0.79  |
| Time to attend  | 0.74 / 0.85  | 0.66 / 0.82  |
| Empathy         | 0.76 / 0.90  | 0.77 / 0.90  |
| Believed        | 0.75 / 0.68  | 0.76 / 0.70  |
| Professionalism | 0.62 / 0.73  | 0.61 / 0.73  |
| Outcome         | 0.89 / 0.70  | 0.89 / 0.71  |
| Access          | 0.78 / 0.94  | 0.78 / 0.94  |
| Support         | 0.91 / 0.97  | 0.91 / 0.97  |
| Contact         | 0.72 / 0.81  | 0.72 / 0.81  |

Round 10: blind9, measured once above, joined training and tuning; its wrong tags
narrowed the rules that took a word in another sense (professionalism: "took my statement
at the kitchen table", "used my photos", "the doorbell goes", "careful with me"; contact:
"texted me when he was remanded", "someone rang claiming"; "my hearing aid", "community
support officer") and its misses gave families of the guide's meaning (the outcome in
everyday words, blamed and brushed off, told at every step, a call promised, nobody
coming): 77 tags put right by the rules alone, 54 of them on blind9 and 23 on blind3 to
blind8, none lost, none wrong. The model is round 9's kind retrained on the twelve files.
Leaving one file out (`.venv/bin/python scripts/train_themes.py --cv`, last column) the
lowest figure of any theme is 0.79 (0.80 over eleven files in round 9); blind9's own row,
with round 9's rules as measured, 0.64. The figures this script prints for blind9 now are
on comments tuned on. blind10 (300 comments, written and labelled blind to the tagger by
another hand, e70efdb, with the 73 whose labels the guide does not settle listed in
tests/themes_corpus_blind10_unsettled.tsv) was measured once with round 10 final
(r12+m, 110902e): `.venv/bin/python scripts/measure_themes.py blind10 --misses`. Five
themes of nine reached 0.8 of each; round 9's version (r11+m, 442cf24) three:

| theme           | blind10 r12+m | blind10 r11+m |
|-----------------|---------------|---------------|
| Kept informed   | 0.77 / 0.86   | 0.78 / 0.83   |
| Time to attend  | 0.74 / 0.84   | 0.74 / 0.81   |
| Empathy         | 0.82 / 0.88   | 0.79 / 0.90   |
| Believed        | 0.77 / 0.88   | 0.71 / 0.85   |
| Professionalism | 0.82 / 0.82   | 0.74 / 0.80   |
| Outcome         | 0.84 / 0.73   | 0.85 / 0.69   |
| Access          | 0.93 / 0.81   | 0.84 / 0.84   |
| Support         | 0.94 / 0.94   | 0.94 / 0.94   |
| Contact         | 0.80 / 0.85   | 0.80 / 0.85   |

On the 227 comments whose labels the guide settles, round 10 reaches 0.8 of each for
four themes: the open cases are not what keeps the others short.

Round 11: blind10, measured once above, joined training and tuning; its wrong tags
narrowed the rules that took a word in another sense (time to attend: "officers attending
were fantastic", "asked to come in", "came round specially", "he turned up at my door",
"waited 6 weeks for a first call"; kept informed: "never heard of my case", "got told it
was"; the outcome: "arrested myself", "what happens after you report") and its misses gave
the outcome's everyday words ("nothing would be done", "still no one caught", "a
protection order", "too late to do anything"): 30 tags put right by the rules alone, 20
of them on blind10 and 10 on blind5 to blind9, none lost, none wrong. The model is round
10's kind retrained on the thirteen files. Leaving one file out (`.venv/bin/python
scripts/train_themes.py --cv`, last column) the lowest figure of any theme is 0.79 (0.79
over twelve files in round 10); blind10's own row, with round 10's rules as measured,
0.73. The figures this script prints for blind10 now are on comments tuned on.
blind11 (300 comments, another hand, b2da2c2; the 40 whose labels the guide does not
settle in tests/themes_corpus_blind11_unsettled.tsv) was measured once with round 11
final (r13+m, 5e3d19e): `.venv/bin/python scripts/measure_themes.py blind11 --misses`.
All nine themes reached 0.8 of each; round 10's version (r12+m, 680c38a) did too:

| theme           | blind11 r13+m | blind11 r12+m |
|-----------------|---------------|---------------|
| Kept informed   | 0.86 / 0.98   | 0.83 / 0.98   |
| Time to attend  | 0.81 / 0.94   | 0.81 / 0.94   |
| Empathy         | 0.88 / 0.88   | 0.88 / 0.90   |
| Believed        | 0.92 / 0.86   | 0.90 / 0.83   |
| Professionalism | 0.88 / 0.86   | 0.86 / 0.86   |
| Outcome         | 0.80 / 0.87   | 0.81 / 0.91   |
| Access          | 0.94 / 0.94   | 0.94 / 0.94   |
| Support         | 0.94 / 0.97   | 0.94 / 0.97   |
| Contact         | 0.83 / 0.88   | 0.81 / 0.88   |

Pooled over the four blind files each measured once with the version before it was
tuned on (blind8 to blind11, 1,200 comments), five themes reach 0.8 of each; believed's
precision (0.799), time to attend's (0.76), professionalism's (0.77) and the outcome's
recall (0.79) do not. feedback/domain/reporting/themes.py has the measurements and what
still misses.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.domain.reporting.themes import LABELS, MODEL_PATH, _themes_of, themes_of  # noqa: E402
from tests.domain.test_themes import HALVES, load, measure  # noqa: E402


def print_table(half, items):
    print(f"\n{half}: {len(items)} comments")
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


def print_speed():
    texts = [item["text"] for half in HALVES for item in load(half)]
    themes_of(texts[0])  # reads the model once, as the service does on its first comment
    tag = _themes_of.__wrapped__  # the work itself: themes_of remembers comments it saw
    start = time.perf_counter()
    for _ in range(5):
        for text in texts:
            tag(text)
    each = (time.perf_counter() - start) / (5 * len(texts))
    print(f"{each * 1000:.2f} ms a comment over {len(texts)} comments (5 runs); "
          f"{MODEL_PATH.name}: {MODEL_PATH.stat().st_size:,} bytes")


def main(args):
    if "--speed" in args:
        print_speed()
        return
    halves = [half for half in HALVES if half in args] or list(HALVES)
    for half in halves:
        items = load(half)
        print_table(half, items)
        if "--misses" in args:
            print_misses(items)


if __name__ == "__main__":
    main(sys.argv[1:])
