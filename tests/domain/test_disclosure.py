"""The small-number rules every figure a trainer sees passes through."""

import pytest

from feedback.domain.privacy import disclosure


@pytest.mark.parametrize("count, expected", [
    (10, 10), (12, 10), (13, 15), (17, 15), (18, 20), (22, 20), (23, 25), (1000, 1000)])
def test_shown_counts_are_rounded_to_the_nearest_5(count, expected):
    assert disclosure.shown(count, 10) == expected


@pytest.mark.parametrize("count", [0, 1, 5, 9])
def test_counts_under_the_threshold_are_never_shown(count):
    assert disclosure.shown(count, 10) is None


def test_a_single_small_cell_in_a_row_takes_the_next_smallest_with_it():
    published = disclosure.protect_row({"a": 40, "b": 4, "c": 12, "d": 30}, 10)
    assert published == {"a": 40, "b": None, "c": None, "d": 30}


def test_small_cells_that_add_up_to_the_threshold_hide_nothing_more():
    published = disclosure.protect_row({"a": 40, "b": 6, "c": 5, "d": 30}, 10)
    assert published == {"a": 40, "b": None, "c": None, "d": 30}


def test_a_row_with_nothing_small_is_only_rounded():
    assert disclosure.protect_row({"a": 11, "b": 13}, 10) == {"a": 10, "b": 15}


@pytest.mark.parametrize("counts", [
    {"a": 40, "b": 4, "c": 12, "d": 30}, {"a": 3, "b": 2, "c": 100},
    {"a": 9, "b": 9, "c": 9}, {"a": 50, "b": 0, "c": 50},
])
def test_the_hidden_cells_of_a_row_never_add_up_to_fewer_than_the_threshold(counts):
    published = disclosure.protect_row(counts, 10)
    hidden = [counts[key] for key, value in published.items() if value is None]
    assert not hidden or sum(hidden) >= 10 or len(hidden) == len(counts)


@pytest.mark.parametrize("part, whole, expected", [
    (30, 40, 75), (0, 40, 0), (12, 12, 100), (3, 9, None), (13, 20, 75)])
def test_shares_rest_on_the_whole_and_use_rounded_counts(part, whole, expected):
    assert disclosure.share(part, whole, 10) == expected


@pytest.mark.parametrize("atoms, safe", [
    ([0, 10, 25], True), ([10, 9], False), ([1], False), ([], True), ([0, 0], True)])
def test_a_view_is_safe_only_if_no_atom_is_small(atoms, safe):
    assert disclosure.view_is_safe(atoms, 10) is safe


def test_a_cell_is_unsafe_when_taking_it_out_of_its_view_leaves_a_few_people():
    # (month, filter flags, (team,), count): team A has 12 in January, and the
    # view's other teams 4: the view minus team A would single out those 4.
    rows = [("2026-01", (1,), ("A",), 12), ("2026-01", (1,), ("B",), 4),
            ("2026-01", (0,), ("A",), 30)]
    assert disclosure.cell_is_safe(rows, ("A",), 10) is False
    rows[1] = ("2026-01", (1,), ("B",), 10)
    assert disclosure.cell_is_safe(rows, ("A",), 10) is True
