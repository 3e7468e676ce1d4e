"""Redaction measured on tests/redaction_corpus.jsonl: for each kind of detail, at least
95% removed and at most 5% of ordinary words removed in its name (issue 7); the same on
the corpora of batches 4, 5 and 6, which the rules were tuned on (batch 6 measured 92.9%
when it was still unseen, then tuned round 3: docs/redaction.md); and on batch 7, written
before round 3 and measured once after it, the figures it measured: at most 5% of
ordinary words, but 83.7% of details, short of the 95% target.

Round 4 tuned on batch 7 (now held to the 200 of 203 it reached), and batch 8, written by
someone else blind to the rules and measured once when round 4 was final (c65fa24), is
held to what it measured: 264 of 277 details (95.3%), at most 5% of ordinary words.

scripts/redaction_report.py prints the same figures as a table."""

import functools

import pytest

from feedback.domain.privacy.anonymise import (
    DEFAULT_CRIME_REFERENCE_PATTERNS,
    KINDS,
    compile_patterns,
)
from tests.redaction_corpus import (
    BATCH7,
    BATCH8,
    BLIND,
    FRESH,
    TUNING,
    load_corpus,
    measure,
    measure_comment,
)

PATTERNS = compile_patterns(DEFAULT_CRIME_REFERENCE_PATTERNS)
CORPUS = load_corpus()
LATER = {batch: load_corpus(path)
         for batch, path in ((4, TUNING), (5, BLIND), (6, FRESH), (7, BATCH7), (8, BATCH8))}


# Measured when a test first asks, not at import: every pytest run imports this module,
# and most (the PostgreSQL and date runs) select none of its tests.
@functools.cache
def corpus_result():
    return measure(CORPUS, PATTERNS)


@functools.cache
def later_result(batch):
    return measure(LATER[batch], PATTERNS)


def test_the_corpus_is_big_and_varied_enough_to_measure():
    kinds = {detail["kind"] for comment in CORPUS for detail in comment["details"]}
    ordinary = [comment for comment in CORPUS if not comment["details"]]
    assert len(CORPUS) >= 300
    # Usernames and workplaces became kinds after this corpus was written (batch 4).
    assert kinds == set(KINDS) - {"handle", "workplace"}
    assert len(ordinary) >= 150
    assert {comment["language"] for comment in CORPUS} == {"en", "pl", "ro"}


@pytest.mark.parametrize("kind", KINDS)
def test_at_least_95_percent_of_each_kind_of_detail_is_removed(kind):
    measured = corpus_result()
    row = measured["table"][kind]
    misses = [miss for miss in measured["misses"] if miss[1] == kind]
    assert row["detected"] >= 0.95, misses


@pytest.mark.parametrize("kind", KINDS)
def test_at_most_5_percent_of_ordinary_words_are_removed_as_each_kind(kind):
    measured = corpus_result()
    assert measured["table"][kind]["ordinary_removed"] <= 0.05, measured["false_positives"]


def test_at_most_5_percent_of_ordinary_words_are_removed_in_all():
    measured = corpus_result()
    wrongly = sum(row["wrongly_removed"] for row in measured["table"].values())
    assert wrongly / measured["ordinary_words"] <= 0.05, measured["false_positives"]


def test_the_measure_counts_a_detail_left_in_place_as_a_miss():
    # "zzyzx" is in no list, in lower case and after no trigger word: redaction keeps it.
    comment = {"id": 0, "text": "zzyzx was rude, call 07700 900982",
               "details": [{"kind": "name", "value": "zzyzx"},
                           {"kind": "phone", "value": "07700 900982"}]}
    redacted, details, ordinary = measure_comment(comment, PATTERNS)
    assert redacted == "zzyzx was rude, call [phone number]"
    assert details == [("name", False), ("phone", True)]
    assert ordinary == [None, None, None]


def test_the_measure_charges_an_ordinary_word_removed_to_the_marker_that_took_it():
    comment = {"id": 0, "text": "I told Sarah the officer was kind", "details": []}
    redacted, details, ordinary = measure_comment(comment, PATTERNS)
    assert redacted == "I told [name] the officer was kind"
    # Words for each ordinary word, "officer" aside: titles count neither way.
    assert ordinary == [None, None, ("name",), None, None, None]


@pytest.mark.parametrize("batch", sorted(LATER))
def test_each_later_corpus_is_big_and_varied_enough_to_measure(batch):
    corpus = LATER[batch]
    details = [detail for comment in corpus for detail in comment["details"]]
    assert {comment["batch"] for comment in corpus} == {batch}
    assert len(corpus) >= 120 and len(details) >= 150
    assert {detail["kind"] for detail in details} == set(KINDS)
    assert sum(not comment["details"] for comment in corpus) >= 20


@pytest.mark.parametrize("batch, kind", [(batch, kind) for batch in (4, 5, 6) for kind in KINDS])
def test_at_least_95_percent_of_each_kind_is_removed_in_the_corpora_the_rules_were_tuned_on(
        batch, kind):
    result = later_result(batch)
    misses = [miss for miss in result["misses"] if miss[1] == kind]
    assert result["table"][kind]["detected"] >= 0.95, misses


def test_the_third_blind_corpus_keeps_what_round_4_reached_on_it():
    # 170 of 203 details when it was blind (round 3); round 4 was tuned on it: 200.
    result = later_result(7)
    removed = sum(row["removed"] for row in result["table"].values())
    assert removed >= 200, result["misses"]


def test_the_fourth_blind_corpus_keeps_what_it_measured_when_the_rules_were_final():
    # 264 of 277 details (95.3%): the target of 95% met on text the rules never saw.
    result = later_result(8)
    removed = sum(row["removed"] for row in result["table"].values())
    assert removed >= 264, result["misses"]


def test_a_detail_listed_out_of_order_is_still_found():
    # Batch 8 lists a postcode after an address that comes after it in the text.
    comment = {"id": 0, "text": "it should be 9A Oak Place N4 3QP not 9 Oak Place.",
               "details": [{"kind": "address", "value": "9A Oak Place"},
                           {"kind": "address", "value": "9 Oak Place"},
                           {"kind": "postcode", "value": "N4 3QP"}]}
    redacted, details, ordinary = measure_comment(comment, PATTERNS)
    assert redacted == "it should be [address] [postcode] not [address]."
    assert details == [("address", True), ("address", True), ("postcode", True)]
    assert ordinary == [None, None, None, None]


@pytest.mark.parametrize("batch, kind", [(batch, kind) for batch in sorted(LATER)
                                         for kind in KINDS])
def test_at_most_5_percent_of_ordinary_words_are_removed_as_each_kind_in_later_corpora(
        batch, kind):
    result = later_result(batch)
    assert result["table"][kind]["ordinary_removed"] <= 0.05, result["false_positives"]


@pytest.mark.parametrize("batch", sorted(LATER))
def test_at_most_5_percent_of_ordinary_words_are_removed_in_all_in_later_corpora(batch):
    result = later_result(batch)
    wrongly = sum(row["wrongly_removed"] for row in result["table"].values())
    assert wrongly / result["ordinary_words"] <= 0.05, result["false_positives"]
