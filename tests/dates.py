"""The moment every test runs at, and dates written relative to it.

Tests never read the machine's date: the service's clock is pinned to NOW for each
test (conftest.py). TEST_CLOCK moves NOW; .ci/run moves it, with faketime moving the
machine's clock too, to the awkward moments of the calendar (a year's last minutes,
a leap day, a quarter's end), so a test that only passes in November fails in CI on
the day it is written.
"""

import os
from datetime import date, timedelta

from feedback import clock, periods

NOW = clock.parse_moment(os.environ.get("TEST_CLOCK") or "2026-11-18T10:30:00+00:00")
TODAY = NOW.date()


def month_start(day, months_back=0):
    """The first day of the month months_back before day's month."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def month_key(day, months_back=0):
    """"YYYY-MM" of the month months_back before day's month."""
    return month_start(day, months_back).strftime("%Y-%m")


def iso_week(day):
    """"YYYY-Www", as responses store their week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def a_week_in(month):
    """The ISO week of a Wednesday wholly inside month (a date on its first day):
    the week of the month's second Wednesday, so never one a month boundary cuts."""
    first_wednesday = month + timedelta(days=(2 - month.weekday()) % 7)
    return iso_week(first_wednesday + timedelta(days=7))


def quarter_of(day, quarters_back=0):
    """"YYYY-Qn" of the quarter quarters_back before day's quarter."""
    index = day.year * 4 + (day.month - 1) // 3 - quarters_back
    return f"{index // 4}-Q{index % 4 + 1}"


def quarter_days(quarter):
    """(first, last) day of the weeks whose Thursdays fall in quarter: the days
    sample responses are spread over to land in that quarter and no other."""
    months = periods.months_of_quarter(quarter)
    first, last = periods.weeks_of_months(months[0], months[-1])
    return (date.fromisocalendar(int(first[:4]), int(first[6:]), 1),
            date.fromisocalendar(int(last[:4]), int(last[6:]), 7))


def last_ended_quarter(day, quarters_back=0):
    """The newest quarter whose every week is over on day (on 1 January the last
    week of December may still be running), or one quarters_back before it."""
    back = 1 if periods.quarter_ended(quarter_of(day, 1), day) else 2
    return quarter_of(day, back + quarters_back)


# What the trainer tests fill with responses: the newest quarter that has ended at
# NOW, and the one before it.
LAST_QUARTER = last_ended_quarter(TODAY)
QUARTER_BEFORE = last_ended_quarter(TODAY, 1)
