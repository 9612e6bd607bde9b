"""When is one rule active? Its daily windows, clipped to its life, as UTC intervals.

A window starts on a counted local date at ``time_from`` (00:00 without a time window) and ends
at ``time_to``: on the same date when ``time_to > time_from``, on the next date when
``time_to < time_from`` (crossing midnight; the window belongs to its start date). Equal times,
and no time window at all, mean a full day from ``time_from`` to the same wall time next day
(23, 24 or 25 real hours across a DST change). A window that the DST gap turns empty is skipped.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import recurrence
from .localtime import date_range, local_date, local_naive, wall_to_utc, zone
from .model import Rule

Interval = tuple[datetime, datetime]
ALL_DAYS = frozenset(range(1, 8))
_DAY = timedelta(days=1)


def is_continuous(rule: Rule) -> bool:
    """True when the rule is active over its whole life (every day, full-day windows)."""
    full_day = rule.time_from is None or rule.time_from == rule.time_to
    every_day = rule.rrule is None and (rule.days is None or set(rule.days) >= ALL_DAYS)
    return full_day and every_day


def _life(rule: Rule, lo: datetime, hi: datetime) -> Interval | None:
    start = max(lo, rule.starts_at)
    end = hi if rule.ends_at is None else min(hi, rule.ends_at)
    return (start, end) if start < end else None


def _dtstart(rule: Rule, tz: ZoneInfo) -> datetime:
    return local_naive(rule.starts_at, tz)


def _counted_dates(rule: Rule, tz: str, first: date, last: date) -> list[date]:
    if rule.rrule is not None:
        dtstart = _dtstart(rule, zone(tz))
        return recurrence.dates_between(rule.rrule, dtstart, tz, first, last)
    days = rule.days
    return [d for d in date_range(first, last) if days is None or d.isoweekday() in days]


def window_on(rule: Rule, day: date, tz: ZoneInfo) -> Interval:
    """The UTC window that starts on local date ``day`` (may be empty after a DST gap)."""
    t_from = rule.time_from or time(0)
    t_to = rule.time_to or time(0)
    end_day = day if t_to > t_from else day + _DAY
    return wall_to_utc(day, t_from, tz), wall_to_utc(end_day, t_to, tz)


def _coalesce(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def active_intervals(rule: Rule, tz: str, lo: datetime, hi: datetime) -> list[Interval]:
    """Sorted, disjoint, non-touching UTC intervals inside ``[lo, hi)`` where ``rule`` is active."""
    life = _life(rule, lo, hi)
    if life is None:
        return []
    if is_continuous(rule):
        return [life]
    zinfo = zone(tz)
    first = local_date(life[0], zinfo) - _DAY  # a window from yesterday may reach past midnight
    last = local_date(life[1], zinfo)
    clipped = []
    for day in _counted_dates(rule, tz, first, last):
        start, end = window_on(rule, day, zinfo)
        start, end = max(start, life[0]), min(end, life[1])
        if start < end:
            clipped.append((start, end))
    return _coalesce(clipped)


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
