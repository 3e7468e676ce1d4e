"""Weeks belong to the month holding their Thursday; quarters to their months."""

from datetime import date

import pytest

from feedback import periods


@pytest.mark.parametrize("week, month", [
    ("2026-W01", "2026-01"),  # Thursday 1 January 2026
    ("2025-W01", "2025-01"),  # Thursday 2 January 2025, though it starts in December
    ("2026-W05", "2026-01"),  # 26 Jan - 1 Feb: Thursday 29 January
    ("2026-W53", "2026-12"),
    ("2027-W01", "2027-01"),
])
def test_a_week_belongs_to_the_month_of_its_thursday(week, month):
    assert periods.month_of_week(week) == month


def test_the_weeks_of_a_quarter_are_a_range_that_sorts_in_time_order():
    assert periods.weeks_of_months("2026-01", "2026-03") == ("2026-W01", "2026-W13")
    assert periods.weeks_of_months("2026-10", "2026-12") == ("2026-W40", "2026-W53")
    first, last = periods.weeks_of_months("2026-04", "2026-06")
    assert periods.month_of_week(first) == "2026-04" and periods.month_of_week(last) == "2026-06"


def test_recent_months_cross_the_new_year():
    assert periods.recent_months(date(2026, 2, 3), 3) == ["2025-12", "2026-01", "2026-02"]


@pytest.mark.parametrize("quarter, today, ended", [
    # 30 September 2026 is a Wednesday, so Q3's last week ends Sunday 27 September.
    ("2026-Q3", date(2026, 9, 27), False),
    ("2026-Q3", date(2026, 9, 28), True),
    ("2026-Q4", date(2026, 11, 28), False),
])
def test_a_quarter_has_ended_once_its_last_week_is_over(quarter, today, ended):
    assert periods.quarter_ended(quarter, today) is ended


def test_labels_read_as_words():
    assert periods.month_label("2026-10") == "October 2026"
    assert periods.quarter_label("2026-Q1") == "January to March 2026"
