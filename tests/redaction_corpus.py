"""Measures redaction against tests/redaction_corpus.jsonl, for the corpus test and
scripts/redaction_report.py.

Each line of the corpus is a comment written for this ("text"), its language, and the
identifying details in it ("details": kind and value, exactly as in the text). Four more
were written later (docs/redaction.md): TUNING (batch 4), whose misses guided the rules;
BLIND (batch 5), written with it and measured once the rules were final, whose misses
then guided a second round; FRESH (batch 6), written after that round and measured once,
whose misses then guided a third; BATCH7, written before that third round changed
any rule and measured once after it, whose misses then guided a fourth; and BATCH8,
written by someone else, blind to the rules, and measured once when round 4 was final,
the figure reported. A detail counts as removed
when none of its words is left in the redacted text, titles and street types aside
("PC", "Road": they identify nobody). An ordinary word is any other word of the text; it
counts as wrongly removed when it is missing from the redacted text, and is charged to
the kind of marker that took its place.
"""

import difflib
import json
import re
from collections import Counter
from pathlib import Path

from feedback.domain.privacy.anonymise import KINDS, redact
from feedback.domain.privacy.redaction.places import STREET_TYPES
from feedback.domain.privacy.redaction.text import MARKERS, normalise
from feedback.domain.privacy.redaction.wordlists import STRONG_TITLES, WEAK_TITLES

CORPUS = Path(__file__).with_name("redaction_corpus.jsonl")
TUNING = Path(__file__).with_name("redaction_corpus_tuning.jsonl")
BLIND = Path(__file__).with_name("redaction_corpus_blind.jsonl")
FRESH = Path(__file__).with_name("redaction_corpus_fresh.jsonl")
BATCH7 = Path(__file__).with_name("redaction_corpus_batch7.jsonl")
BATCH8 = Path(__file__).with_name("redaction_corpus_batch8.jsonl")
GENERIC = STRONG_TITLES | WEAK_TITLES | set(STREET_TYPES.split("|")) | {"flat", "apartment"}
_WORD = re.compile(r"[^\W_]+")
_MARKER_KIND = {marker: kind for kind, marker in MARKERS.items()}
_MARKER = re.compile("|".join(re.escape(marker) for marker in MARKERS.values()))


def load_corpus(path=CORPUS):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _output_tokens(redacted):
    """Words of the redacted text, each marker one token naming its kind."""
    tokens, position = [], 0
    for marker in _MARKER.finditer(redacted):
        tokens += _WORD.findall(redacted[position:marker.start()])
        tokens.append("\0" + _MARKER_KIND[marker.group()])
        position = marker.end()
    return tokens + _WORD.findall(redacted[position:])


def _fate(words, redacted):
    """For each input word, None if it survived, or the kinds of marker that replaced it."""
    output = _output_tokens(redacted)
    fate = [()] * len(words)
    matcher = difflib.SequenceMatcher(None, words, output, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kinds = tuple(sorted({t[1:] for t in output[j1:j2] if t.startswith("\0")}))
        for i in range(i1, i2):
            fate[i] = None if tag == "equal" else kinds
    return fate


def _detail_positions(text, details):
    """(start, end, kind) of each detail, found in order in the text; a detail listed
    out of order (batch 8 lists a postcode after the address that follows it) is found
    from the start, where no detail already found is."""
    spans, position = [], 0
    for detail in details:
        value = normalise(detail["value"])
        start = text.find(value, position)
        while start < 0 or any(s < start + len(value) and start < e for s, e, _ in spans):
            start = text.find(value, 0 if start < 0 else start + 1)
            if start < 0:
                raise ValueError(f"{detail['value']!r} is not in {text!r}")
        spans.append((start, start + len(value), detail["kind"]))
        position = max(position, spans[-1][1])
    return spans


def measure_comment(comment, patterns, max_length=500):
    text = normalise(comment["text"])
    redacted = redact(comment["text"], patterns, max_length)
    matches = list(_WORD.finditer(text))
    fate = _fate([m.group() for m in matches], redacted)
    details, ordinary = [], []
    spans = _detail_positions(text, comment["details"])
    for start, end, kind in spans:
        inside = [i for i, m in enumerate(matches) if start <= m.start() < end
                  and m.group().lower() not in GENERIC]
        details.append((kind, all(fate[i] is not None for i in inside)))
    for i, match in enumerate(matches):
        if match.group().lower() in GENERIC or any(s <= match.start() < e for s, e, _ in spans):
            continue
        ordinary.append(fate[i])
    return redacted, details, ordinary


def measure(corpus, patterns):
    """Per kind: details found, details removed, ordinary words it wrongly removed;
    and the number of ordinary words."""
    found, removed, wrongly = Counter(), Counter(), Counter()
    ordinary_words, misses, false_positives = 0, [], []
    for comment in corpus:
        redacted, details, ordinary = measure_comment(comment, patterns)
        for kind, gone in details:
            found[kind] += 1
            removed[kind] += gone
            if not gone:
                misses.append((comment["id"], kind, redacted))
        ordinary_words += len(ordinary)
        for kinds in ordinary:
            for kind in kinds or ():
                wrongly[kind] += 1
        if any(ordinary):
            false_positives.append((comment["id"], redacted))
    # A kind the corpus labels but no finder has a marker for yet is measured too.
    kinds = KINDS + sorted(set(found) - set(KINDS))
    table = {kind: {"details": found[kind], "removed": removed[kind],
                    "detected": removed[kind] / found[kind] if found[kind] else 1.0,
                    "wrongly_removed": wrongly[kind],
                    "ordinary_removed": wrongly[kind] / ordinary_words} for kind in kinds}
    return {"table": table, "ordinary_words": ordinary_words, "misses": misses,
            "false_positives": false_positives, "comments": len(corpus)}
