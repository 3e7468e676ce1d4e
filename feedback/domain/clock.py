"""The service's one clock. Every part of the service (web requests, commands, demo
data, use cases, retention, periods) asks `now()` for the current moment and passes it
down as a plain value; nothing else reads the machine's date.

Tests, and a development set-up that wants to show another day, pin the clock to a
fixed moment (`CLOCK_PINNED_AT`, refused in production by feedback.config), so that a
test written on one day passes on every other.
"""

from datetime import UTC, datetime

_pinned = None


def now():
    """The current moment, timezone-aware in UTC."""
    return _pinned if _pinned is not None else datetime.now(UTC)


def pin(moment):
    """Stop the clock at moment (an aware datetime) until unpin(), or move it there."""
    global _pinned
    if moment.tzinfo is None:
        raise ValueError("a pinned moment needs a timezone")
    _pinned = moment.astimezone(UTC)


def unpin():
    global _pinned
    _pinned = None


def parse_moment(text):
    """An ISO 8601 moment with its offset ("2027-01-01T00:05:00+00:00" or "...Z")."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        raise ValueError("the moment needs an offset, like +00:00 or Z")
    return moment
