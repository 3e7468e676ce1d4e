"""One clock: only feedback/domain/clock.py reads the machine's date, and tests pin it
(issue 15: two tests failed in December because they wrote November's months)."""

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from feedback.domain import clock
from tests.dates import NOW, a_week_in, iso_week, month_key, month_start

ROOT = Path(__file__).resolve().parents[2]
READS_THE_MACHINE = re.compile(r"datetime\.now\(|date\.today\(|time\.time\(|utcnow\(|"
                               r"datetime\.today\(|time\.localtime\(|time\.gmtime\(")


def sources(folder):
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["feedback", "tests", "app.py"])
def test_nothing_but_the_clock_module_reads_the_machines_date(folder):
    paths = [ROOT / folder] if folder.endswith(".py") else sources(folder)
    readers = [str(path.relative_to(ROOT)) for path in paths
               if path != ROOT / "feedback" / "domain" / "clock.py"
               and READS_THE_MACHINE.search(path.read_text())]
    assert readers == []


def test_every_test_starts_at_the_pinned_moment(pinned_clock):
    assert clock.now() == NOW == pinned_clock.now()


def test_advancing_the_test_clock_moves_the_services_clock(pinned_clock):
    pinned_clock.advance(days=1, minutes=5)
    assert clock.now() == NOW + timedelta(days=1, minutes=5)


def test_a_pinned_moment_is_kept_in_utc():
    clock.pin(datetime(2027, 1, 1, 1, 5, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == datetime(2027, 1, 1, 0, 5, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_a_moment_without_a_timezone_cannot_be_pinned():
    with pytest.raises(ValueError):
        clock.pin(datetime(2027, 1, 1))


def test_an_unpinned_clock_tells_the_time_in_utc():
    clock.unpin()
    assert clock.now().tzinfo is UTC


@pytest.mark.parametrize("day, back, expected", [
    ("2027-01-01", 1, "2026-12"), ("2026-03-31", 3, "2025-12"), ("2028-02-29", 0, "2028-02"),
    ("2026-12-31", 12, "2025-12"),
])
def test_months_back_cross_years(day, back, expected):
    assert month_key(datetime.fromisoformat(day).date(), back) == expected


@pytest.mark.parametrize("month", ["2026-01", "2026-03", "2026-06", "2027-12", "2028-02"])
def test_a_week_in_a_month_lies_wholly_inside_it(month):
    first = month_start(datetime.fromisoformat(f"{month}-01").date())
    week = a_week_in(first)
    monday = datetime.fromisocalendar(int(week[:4]), int(week[6:]), 1).date()
    assert monday.strftime("%Y-%m") == (monday + timedelta(days=6)).strftime("%Y-%m") == month
    assert iso_week(monday) == week
