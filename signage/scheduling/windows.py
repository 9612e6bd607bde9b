"""When is one rule active? Its daily windows, clipped to its life, as UTC intervals.

A window starts on a counted local date at ``time_from`` (00:00 without a time window) and ends
at ``time_to``: on the same date when ``time_to > time_from``, on the next date when
``time_to < time_from`` (crossing midnight; the window belongs to its start date). Equal times,
and no time window at all, mean a full day from ``time_from`` to the same wall time next day
(23, 24 or 25 real hours across a DST change). A window that the DST gap turns empty is skipped.
A date is counted when ``days`` (or the RRULE) names it and it is not one of ``exdates``.

Speed: the windows of a rule's *pattern* (everything but its items, priority and end) over a
range of local dates are cached across calls, keyed by value, so the many boards that share a
schedule compute its windows once; so are the windows clipped to a range, since boards built
together ask for the same ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from . import recurrence
from .localtime import date_range, local_date, local_naive, wall_to_utc, zone
from .model import Rule

Interval = tuple[datetime, datetime]
ALL_DAYS = frozenset(range(1, 8))
_DAY = timedelta(days=1)
WINDOW_CACHE_SIZE = 32768  # per cache; a few hundred bytes an entry


class Pattern(NamedTuple):
    """The fields of a rule that decide its daily windows (hashable, compared by value)."""

    starts_at: datetime
    days: frozenset[int] | None
    time_from: time | None
    time_to: time | None
    rrule: str | None
    exdates: frozenset[date]


def pattern_of(rule: Rule) -> Pattern:
    days = None if rule.days is None else frozenset(rule.days)
    exdates = frozenset(rule.exdates or ())
    return Pattern(rule.starts_at, days, rule.time_from, rule.time_to, rule.rrule, exdates)


def is_continuous(rule: Rule | Pattern) -> bool:
    """True when the rule is active over its whole life (every day, full-day windows)."""
    full_day = rule.time_from is None or rule.time_from == rule.time_to
    every_day = rule.rrule is None and (rule.days is None or set(rule.days) >= ALL_DAYS)
    return full_day and every_day and not rule.exdates


def _dtstart(rule: Rule | Pattern, tz: ZoneInfo) -> datetime:
    return local_naive(rule.starts_at, tz)


def counted_dates(rule: Rule | Pattern, tz: str, first: date, last: date) -> list[date]:
    """The local dates from ``first`` to ``last`` on which a window of ``rule`` starts."""
    if rule.rrule is not None:
        dtstart = _dtstart(rule, zone(tz))
        found = recurrence.dates_between(rule.rrule, dtstart, tz, first, last)
    else:
        days = rule.days
        found = [d for d in date_range(first, last) if days is None or d.isoweekday() in days]
    exdates = rule.exdates
    return [d for d in found if d not in exdates] if exdates else found


def window_on(rule: Rule | Pattern, day: date, tz: ZoneInfo) -> Interval:
    """The UTC window that starts on local date ``day`` (may be empty after a DST gap)."""
    t_from = rule.time_from or time(0)
    t_to = rule.time_to or time(0)
    end_day = day if t_to > t_from else day + _DAY
    return wall_to_utc(day, t_from, tz), wall_to_utc(end_day, t_to, tz)


def _windows(pattern: Pattern, tz: str, first: date, last: date) -> tuple[Interval, ...]:
    zinfo = zone(tz)
    found = (window_on(pattern, day, zinfo) for day in counted_dates(pattern, tz, first, last))
    return tuple(w for w in found if w[0] < w[1])


_cached_windows = lru_cache(maxsize=WINDOW_CACHE_SIZE)(_windows)


def windows_between(pattern: Pattern, tz: str, first: date, last: date) -> tuple[Interval, ...]:
    """Non-empty UTC windows starting on counted dates ``first``..``last`` (cached by value)."""
    try:
        return _cached_windows(pattern, tz, first, last)
    except TypeError:  # an unhashable field value (validation reports it): compute uncached
        return _windows(pattern, tz, first, last)


def _coalesce(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _active(
    pattern: Pattern, ends_at: datetime | None, tz: str, lo: datetime, hi: datetime
) -> tuple[Interval, ...]:
    start = max(lo, pattern.starts_at)
    end = hi if ends_at is None else min(hi, ends_at)
    if start >= end:
        return ()
    if is_continuous(pattern):
        return ((start, end),)
    zinfo = zone(tz)
    first = local_date(start, zinfo) - _DAY  # a window from yesterday may reach past midnight
    clipped = []
    for w_start, w_end in windows_between(pattern, tz, first, local_date(end, zinfo)):
        w_start, w_end = max(w_start, start), min(w_end, end)
        if w_start < w_end:
            clipped.append((w_start, w_end))
    return tuple(_coalesce(clipped))


_cached_active = lru_cache(maxsize=WINDOW_CACHE_SIZE)(_active)


def active_intervals(rule: Rule, tz: str, lo: datetime, hi: datetime) -> Sequence[Interval]:
    """Sorted, disjoint, non-touching UTC intervals inside ``[lo, hi)`` where ``rule`` is active."""
    if rule.starts_at >= hi or (rule.ends_at is not None and rule.ends_at <= lo):
        return ()
    pattern = pattern_of(rule)
    try:
        return _cached_active(pattern, rule.ends_at, tz, lo, hi)
    except TypeError:  # an unhashable field value: compute uncached
        return _active(pattern, rule.ends_at, tz, lo, hi)


def _rrule_last_instant(rule: Rule, tz: str) -> datetime | None:
    dtstart = _dtstart(rule, zone(tz))
    if recurrence.first_date(rule.rrule, dtstart, tz) is None:
        return rule.starts_at  # yields nothing: never active
    last = recurrence.last_date(rule.rrule, dtstart, tz)
    if last is None:
        return None
    return window_on(rule, last, zone(tz))[1]


def last_change(rule: Rule, tz: str) -> datetime | None:
    """An instant after which the rule's activity never changes; None when it recurs forever."""
    if rule.ends_at is not None:
        return rule.ends_at
    if is_continuous(rule):
        return rule.starts_at
    if rule.rrule is not None:
        return _rrule_last_instant(rule, tz)
    if rule.days is not None and not rule.days:
        return rule.starts_at
    return None
