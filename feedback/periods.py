"""Calendar periods for reporting. Responses carry only an ISO week; a week
belongs to the month (and so the quarter) that holds its Thursday, the same rule
ISO 8601 uses to give a week its year."""

from datetime import date, timedelta
from functools import lru_cache

from feedback.anonymise import iso_week

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def _thursday(week):
    return date.fromisocalendar(int(week[:4]), int(week[6:8]), 4)


@lru_cache(maxsize=1024)  # a few hundred weeks are ever in use
def month_of_week(week):
    return f"{_thursday(week):%Y-%m}"


def quarter_of_month(month):
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def quarter_of_week(week):
    return quarter_of_month(month_of_week(week))


def _first_day(month):
    return date(int(month[:4]), int(month[5:7]), 1)


def next_month(month):
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def months_between(first, last):
    """Every month from first to last inclusive ('2026-01' style)."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def recent_months(today, count):
    """The count months ending with today's."""
    month = f"{today:%Y-%m}"
    months = [month]
    while len(months) < count:
        year, number = int(month[:4]), int(month[5:7])
        month = f"{year - (number == 1)}-{(number - 2) % 12 + 1:02d}"
        months.insert(0, month)
    return months


def months_of_quarter(quarter):
    first = (int(quarter[-1]) - 1) * 3 + 1
    return [f"{quarter[:4]}-{first + offset:02d}" for offset in range(3)]


def weeks_of_months(first, last):
    """(first week, last week) whose Thursdays fall from month first to month last.
    Week labels sort in time order, so the pair bounds a range query."""
    start = _first_day(first)
    end = _first_day(next_month(last)) - timedelta(days=1)
    # The first Thursday on or after start, the last on or before end.
    start += timedelta(days=(3 - start.weekday()) % 7)
    end -= timedelta(days=(end.weekday() - 3) % 7)
    return iso_week(start), iso_week(end)


def quarter_ended(quarter, today):
    """True once every week of the quarter is over: its data can no longer change."""
    _, last_week = weeks_of_months(*months_of_quarter(quarter)[::2])
    return today > date.fromisocalendar(int(last_week[:4]), int(last_week[6:8]), 7)


def quarters_between(first_month, last_month):
    quarters = []
    for month in months_between(first_month, last_month):
        quarter = quarter_of_month(month)
        if quarter not in quarters:
            quarters.append(quarter)
    return quarters


def month_label(month):
    return f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"


def quarter_label(quarter):
    first, _, last = months_of_quarter(quarter)
    return f"{MONTH_NAMES[int(first[5:7]) - 1]} to {month_label(last)}"
