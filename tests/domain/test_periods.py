"""Weeks belong to the month holding their Thursday; quarters to their months."""

from datetime import date, timedelta

import pytest

from feedback.domain import periods
from feedback.domain.privacy.anonymise import iso_week


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


# Publication ----------------------------------------------------------------------

@pytest.mark.parametrize("month, last_sunday, published_on", [
    # Year ends: the last week of December may end in January.
    ("2025-12", date(2025, 12, 28), date(2026, 1, 1)),  # Thursday 25 December
    ("2026-12", date(2027, 1, 3), date(2027, 1, 7)),  # 2026-W53: Thursday 31 December
    ("2027-12", date(2028, 1, 2), date(2028, 1, 6)),  # Thursday 30 December
    # Leap years: 29 February 2024 is a Thursday, so its week is February's.
    ("2024-02", date(2024, 3, 3), date(2024, 3, 7)),
    ("2028-02", date(2028, 2, 27), date(2028, 3, 2)),  # 29 February 2028 is a Tuesday
    # Quarter ends.
    ("2026-09", date(2026, 9, 27), date(2026, 10, 1)),
    ("2027-03", date(2027, 3, 28), date(2027, 4, 1)),
    ("2027-06", date(2027, 6, 27), date(2027, 7, 1)),
    ("2027-09", date(2027, 10, 3), date(2027, 10, 7)),  # Thursday 30 September
])
def test_a_month_is_published_on_the_thursday_after_its_last_week(month, last_sunday,
                                                                  published_on):
    assert periods.last_sunday(month) == last_sunday
    assert periods.publication_date(month) == published_on
    assert published_on.weekday() == 3
    assert not periods.month_closed(month, last_sunday)
    assert periods.month_closed(month, last_sunday + timedelta(days=1))
    assert not periods.published(month, published_on - timedelta(days=1))
    assert periods.published(month, published_on)


@pytest.mark.parametrize("today, newest", [
    (date(2026, 11, 18), "2026-10"),
    (date(2026, 12, 31), "2026-11"),  # December's last week is still running
    (date(2027, 1, 1), "2026-11"),
    (date(2027, 1, 6), "2026-11"),
    (date(2027, 1, 7), "2026-12"),
    (date(2028, 2, 29), "2028-01"),
    (date(2027, 3, 31), "2027-02"),  # March's weeks are over, but it is not published
    (date(2027, 4, 1), "2027-03"),
    (date(2027, 6, 30), "2027-05"),
    (date(2027, 7, 1), "2027-06"),
])
def test_the_newest_published_month(today, newest):
    assert periods.newest_published_month(today) == newest


def test_last_month_is_published_by_the_7th_and_no_month_before_it_closes():
    day = date(2024, 1, 1)
    while day < date(2029, 1, 1):
        newest = periods.newest_published_month(day)
        last_month = periods.previous_month(f"{day:%Y-%m}")
        assert newest == last_month if day.day >= 7 else newest in (
            last_month, periods.previous_month(last_month))
        # Every week of a published month is over, and the holding area's lag has
        # passed since; the month after it is not published.
        assert periods.month_closed(newest, day)
        assert (day - periods.last_sunday(newest)).days >= periods.PUBLICATION_LAG_DAYS
        assert not periods.published(periods.next_month(newest), day)
        # No response given today (in today's week) can count in a published month.
        assert periods.month_of_week(iso_week(day)) > newest
        day += timedelta(days=1)


def test_the_holding_area_releases_up_to_the_last_week_of_the_newest_closed_month():
    assert periods.last_closed_week(date(2027, 1, 3)) == "2026-W48"  # 23-29 November
    assert periods.last_closed_week(date(2027, 1, 4)) == "2026-W53"  # to 3 January


def test_a_months_held_responses_are_due_for_release_before_it_is_published():
    """Every day of five years: a published month's last week is due for release,
    and from the day it closes (the publication lag is the time to release it)."""
    day = date(2024, 1, 1)
    while day < date(2029, 1, 1):
        month = periods.newest_published_month(day)
        _, last_week = periods.weeks_of_months(month, month)
        assert periods.last_closed_week(day) >= last_week
        day += timedelta(days=1)


@pytest.mark.parametrize("quarter, today, published", [
    ("2026-Q4", date(2027, 1, 6), False),
    ("2026-Q4", date(2027, 1, 7), True),
    ("2027-Q1", date(2027, 3, 31), False),  # ended, not yet published
    ("2027-Q1", date(2027, 4, 1), True),
    ("2027-Q2", date(2027, 6, 30), False),
    ("2027-Q4", date(2028, 2, 29), True),
])
def test_a_quarter_is_published_with_its_last_month(quarter, today, published):
    assert periods.quarter_published(quarter, today) is published


def test_links_figures_wait_until_every_link_of_the_month_has_expired():
    # A link made at the last moment of October 2026 can be used for 90 days.
    assert periods.settled_from("2026-10") == date(2027, 1, 30)
    assert not periods.links_settled("2026-10", date(2027, 1, 29))
    assert periods.links_settled("2026-10", date(2027, 1, 30))
    assert periods.settled_from("2028-02") == date(2028, 5, 30)  # 29 February + 91 days
    # The link purge (180 days) reaches links made on 1 July 2026 on 28 December.
    assert periods.links_kept("2026-07", date(2026, 12, 27), 180)
    assert not periods.links_kept("2026-07", date(2026, 12, 28), 180)


def test_the_longest_link_life_is_the_one_officers_and_settings_allow():
    from feedback.config import ConfigError, from_environment
    from feedback.web.forms import NewLinkForm
    [limit] = [v for v in NewLinkForm.expiry_days.kwargs["validators"] if hasattr(v, "max")]
    assert limit.max == periods.LONGEST_LINK_DAYS
    env = {"APP_ENV": "development", "SECRET_KEY": "k" * 40}
    assert from_environment("instance", {**env, "LINK_DEFAULT_DAYS": "90"})[
        "LINK_DEFAULT_DAYS"] == periods.LONGEST_LINK_DAYS
    with pytest.raises(ConfigError):
        from_environment("instance", {**env, "LINK_DEFAULT_DAYS": "91"})


@pytest.mark.parametrize("today, kept", [
    (date(2026, 11, 18), "2024-Q4"),  # 18 November 2024 is in it
    (date(2026, 12, 29), "2024-Q4"),  # its last week (to 29 December 2024) is not older
    (date(2026, 12, 30), "2025-Q1"),  # now it is: the whole quarter goes
    (date(2028, 2, 29), "2026-Q1"),
    (date(2027, 3, 31), "2025-Q2"),  # 31 March 2025 is in a week of April's
    (date(2027, 6, 30), "2025-Q3"),  # so is 30 June 2025: a week of July's
])
def test_retention_keeps_whole_quarters(today, kept):
    assert periods.oldest_kept_quarter(today, 730) == kept


@pytest.mark.parametrize("text, month", [
    ("2026-12", "2026-12"), ("2026-13", None), ("2026-00", None), ("26-12", None),
    ("2026-1", None), ("last week", None), ("9999-12", None), (None, None)])
def test_only_real_months_are_read(text, month):
    assert periods.parse_month(text) == month
