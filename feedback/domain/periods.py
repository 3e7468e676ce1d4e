"""Calendar periods for reporting. Responses carry only an ISO week; a week
belongs to the month (and so the quarter) that holds its Thursday, the same rule
ISO 8601 uses to give a week its year."""

from datetime import date, timedelta
from functools import lru_cache

from feedback.domain.privacy.anonymise import iso_week

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
    return months_up_to(f"{today:%Y-%m}", count)


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


def last_closed_week(today):
    """The last week of the newest closed month: held responses of this week or
    earlier are released (during the publication lag, and before any trainer page
    is read), so a month is whole before it is published."""
    month = previous_month(f"{today:%Y-%m}")
    if not month_closed(month, today):
        month = previous_month(month)
    _, last_week = weeks_of_months(month, month)
    return last_week


# Publication -------------------------------------------------------------------
#
# A trainer sees only published months, so that no response can ever change a
# figure, a comment list or a file they have seen: a response is counted in the
# week it is given, and every week of a published month is over.

# A month is published this many days after its last week ends: on the Thursday
# after that Sunday. The lag gives the holding area (feedback/usecases/responding.py),
# which releases responses in batches, time to release the month's last ones
# before anyone sees its figures.
PUBLICATION_LAG_DAYS = 4

# The longest a link can be used: officers choose 1 to 90 days (NewLinkForm) and
# LINK_DEFAULT_DAYS is held to the same range (feedback/config.py; a test keeps the
# three in step). A link made in a month can change the links figures (opened,
# completed) until then.
LONGEST_LINK_DAYS = 90


def _last_day(month):
    return _first_day(next_month(month)) - timedelta(days=1)


def previous_month(month):
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - (number == 1)}-{(number - 2) % 12 + 1:02d}"


def last_sunday(month):
    """The Sunday that ends the month's last week (the last whose Thursday is in it)."""
    _, last_week = weeks_of_months(month, month)
    return date.fromisocalendar(int(last_week[:4]), int(last_week[6:8]), 7)


def month_closed(month, today):
    """True once the month's last week is over: no response can join it."""
    return today > last_sunday(month)


def publication_date(month):
    """The day a month's figures, comments and files are first shown."""
    return last_sunday(month) + timedelta(days=PUBLICATION_LAG_DAYS)


def published(month, today):
    return today >= publication_date(month)


def newest_published_month(today):
    """The newest month published on today: last month from its publication date
    (the 1st to the 7th), the month before until then."""
    month = previous_month(f"{today:%Y-%m}")
    return month if published(month, today) else previous_month(month)


def months_up_to(last, count):
    """The count months ending with last, oldest first."""
    months = [last]
    while len(months) < count:
        months.insert(0, previous_month(months[0]))
    return months


def quarter_published(quarter, today):
    """True once all three months of the quarter are published."""
    return published(months_of_quarter(quarter)[-1], today)


def links_settled(month, today):
    """True once every link made in the month has expired, so the links figures
    for it can no longer change (no one can open or complete those links)."""
    return today > _last_day(month) + timedelta(days=LONGEST_LINK_DAYS)


def settled_from(month):
    """The first day links_settled(month, day) is true."""
    return _last_day(month) + timedelta(days=LONGEST_LINK_DAYS + 1)


def links_kept(month, today, link_days):
    """True while the retention purge, which deletes links made more than
    link_days ago, cannot yet have reached any link made in the month."""
    return today < _first_day(month) + timedelta(days=link_days)


def oldest_kept_quarter(today, response_days):
    """The oldest quarter the retention purge keeps on today. Responses go a whole
    quarter at a time, once every week of it is older than response_days, so no
    quarter's figures or file ever exist in two versions."""
    return quarter_of_week(iso_week(today - timedelta(days=response_days)))


def parse_month(text):
    """'YYYY-MM' as given if it names a month this calendar can handle, else None."""
    if not (isinstance(text, str) and len(text) == 7 and text[4] == "-"
            and text[:4].isdigit() and text[5:].isdigit()):
        return None
    return text if 1 <= int(text[:4]) <= 9998 and 1 <= int(text[5:]) <= 12 else None


def day_label(day):
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
