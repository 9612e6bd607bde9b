"""Wall-clock arithmetic in a board's time zone.

Local wall times become instants with ``fold=0`` (RFC 5545 section 3.3.5): an ambiguous time
(autumn change) is its first occurrence, and a non-existent time (spring gap) is read with the
offset in force before the gap, so it moves forward by the gap's length (Berlin 02:30 on the
spring change day is 03:30 CEST).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import RuleError


@lru_cache(maxsize=512)
def zone(tz: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; ``RuleError("timezone", "unknown_timezone")`` when it is
    unknown."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise RuleError("timezone", "unknown_timezone", name=str(tz)) from exc


def require_aware(value: datetime, name: str) -> datetime:
    """``value`` in UTC; ``RuleError(name, "missing_utc_offset")`` when it is naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise RuleError(name, "missing_utc_offset")
    return value.astimezone(UTC)


def wall_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant of local wall time ``at`` on ``day`` (fold=0 rules above), in UTC."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=tz).astimezone(UTC)


def local_date(t: datetime, tz: ZoneInfo) -> date:
    """The local calendar date at instant ``t``."""
    return t.astimezone(tz).date()


def local_naive(t: datetime, tz: ZoneInfo) -> datetime:
    """Instant ``t`` as a naive local wall time (what RRULE DTSTART expects)."""
    return t.astimezone(tz).replace(tzinfo=None, fold=0)


def date_range(first: date, last: date):
    """Every date from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
