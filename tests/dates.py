"""The moment every test runs at, and dates written relative to it.

Tests never read the machine's date: the service's clock is pinned to NOW for each
test (conftest.py). TEST_CLOCK moves NOW; .ci/run moves it, with faketime moving the
machine's clock too, to the awkward moments of the calendar (a year's last minutes,
a leap day, a quarter's end), so a test that only passes in November fails in CI on
the day it is written.
"""

import os
from datetime import date, timedelta

from feedback.domain import clock, periods

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


def a_week_of(month):
    """a_week_in the month "YYYY-MM"."""
    return a_week_in(date.fromisoformat(f"{month}-01"))


def a_week_in_each_month(quarter):
    """[a_week_in(month) for each month of quarter], oldest first."""
    return [a_week_in(date.fromisoformat(f"{month}-01"))
            for month in periods.months_of_quarter(quarter)]


def weeks_later(week, count=1):
    """The ISO week count weeks after week."""
    monday = date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    return iso_week(monday + timedelta(weeks=count))


def wednesday(week):
    """The Wednesday of week ("YYYY-Www"): a day that lies in it."""
    return date.fromisocalendar(int(week[:4]), int(week[6:]), 3)


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


def weeks_of_quarter(quarter):
    """Every ISO week whose Thursday falls in quarter, oldest first."""
    first, last = quarter_days(quarter)
    return [iso_week(first + timedelta(weeks=n)) for n in range((last - first).days // 7 + 1)]


def month_range(quarter):
    """The dashboard's period filter for the months of quarter."""
    months = periods.months_of_quarter(quarter)
    return {"from_month": months[0], "to_month": months[-1]}


def last_ended_quarter(day, quarters_back=0):
    """The quarter before day's calendar quarter if every week of it is over (on
    1 January the last week of December may still be running), else the one before
    that; or one quarters_back before it. (On 31 March the calendar quarter's weeks
    may all be over too: this is an ended quarter, not always the newest.)"""
    back = 1 if periods.quarter_ended(quarter_of(day, 1), day) else 2
    return quarter_of(day, back + quarters_back)


def last_published_quarter(day, quarters_back=0):
    """The newest quarter whose three months are all published on day (the quarter
    before day's calendar quarter, or the one before that early in a quarter, when
    the last month of the one before is not yet published); or one quarters_back
    before it."""
    back = 1 if periods.quarter_published(quarter_of(day, 1), day) else 2
    return quarter_of(day, back + quarters_back)


def funnel_month(day, link_days=180):
    """The newest month whose links the dashboard shows on day: every link made in it
    has expired, and the link purge (RETENTION_LINK_DAYS, 180 by default) has not
    reached it."""
    month = periods.newest_published_month(day)
    while not periods.links_settled(month, day):
        month = periods.previous_month(month)
    assert periods.links_kept(month, day, link_days)
    return month


# What the trainer tests fill with responses: the newest quarter published at NOW
# (so every trainer page shows it), and the one before it.
LAST_QUARTER = last_published_quarter(TODAY)
QUARTER_BEFORE = last_published_quarter(TODAY, 1)
# The months a trainer sees at NOW without choosing: the last three published.
NEWEST_PUBLISHED = periods.newest_published_month(TODAY)
DEFAULT_MONTHS = periods.months_up_to(NEWEST_PUBLISHED, 3)
# The month after the newest published: ended or not, still to be published.
OPEN_MONTH = periods.next_month(NEWEST_PUBLISHED)
# The newest month whose links figures are shown at NOW.
FUNNEL_MONTH = funnel_month(TODAY)
# The quarter of the week running at NOW, the one today's responses count in: never
# ended. Not always TODAY's calendar quarter: on 31 March 2027 every week of January
# to March is over, and the running week, whose Thursday is 1 April, counts in the
# second quarter; on 1 January 2027 it counts in the fourth quarter of 2026.
RUNNING_QUARTER = periods.quarter_of_week(iso_week(TODAY))
# From the first day of the running quarter's weeks to today: sample responses
# that arrive after LAST_QUARTER ended, in a quarter that has not.
SO_FAR = (quarter_days(RUNNING_QUARTER)[0], TODAY)
