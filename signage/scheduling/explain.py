"""What plays on a board at one instant, and why every other schedule does not.

``explain`` takes the segment at ``t`` from ``timeline`` itself, so its winners and item always
agree with the manifest. Every rule then gets one status, checked in this order:

======================  =========  ==========================================================
reason code             status     meaning
======================  =========  ==========================================================
``playing``             playing    in the winning layer (merged with its equals)
``not_started``         inactive   ``t`` is before ``starts_at``
``ended``               inactive   ``t`` is at or after ``ends_at``
``outside_window``      inactive   no window of the rule covers ``t``'s wall-clock time
``exception_date``      inactive   the covering window starts on one of its ``exdates``
``not_recurrence_date`` inactive   its RRULE does not yield the covering window's start date
``not_weekday``         inactive   its ``days`` do not name the covering window's start date
``no_valid_item``       inactive   active, but no item may play at ``t``
``shadowed``            shadowed   active with an item, but a higher layer plays
======================  =========  ==========================================================

Messages are English; the app may translate by code (``RuleStatus.params`` holds the values).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .clock import item_at
from .localtime import local_date, require_aware, zone
from .model import Item, Rule, Segment
from .timeline import timeline
from .windows import active_intervals, window_on

_TICK = timedelta(microseconds=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class RuleStatus:
    """Why one rule does or does not play at the instant explained."""

    rule_id: int
    status: str  # "playing" | "shadowed" | "inactive"
    reason: str  # a code from the module docstring's table
    message: str
    params: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Explanation:
    """The answer to "what plays here at ``at`` and why"."""

    at: datetime
    tz: str
    kind: str  # "emergency" | "normal" | "fallback"
    priority: int
    schedule_ids: tuple[int, ...]
    item: Item
    item_started_at: datetime
    segment: Segment
    rules: tuple[RuleStatus, ...]


def _stamp(t: datetime, tz: str) -> str:
    spec = "minutes" if t.second == 0 and t.microsecond == 0 else "seconds"
    return t.astimezone(zone(tz)).isoformat(timespec=spec)


def _hhmm(rule: Rule) -> str:
    t_from, t_to = rule.time_from, rule.time_to
    return "all day" if t_from is None else f"{t_from:%H:%M}\u2013{t_to:%H:%M}"


def _covering_day(rule: Rule, tz: str, t: datetime) -> date | None:
    """The latest local date whose window (counted or not) covers ``t``."""
    zinfo = zone(tz)
    today = local_date(t, zinfo)
    for day in (today, today - _DAY):
        start, end = window_on(rule, day, zinfo)
        if start <= t < end:
            return day
    return None


def _calendar_reason(rule: Rule, tz: str, t: datetime) -> tuple[str, str, dict]:
    """Why an alive rule is not active at ``t``: its window, exdates, recurrence or days."""
    day = _covering_day(rule, tz, t)
    if day is None:
        window = _hhmm(rule)
        return "outside_window", f"outside its time window ({window} {tz})", {"window": window}
    params = {"date": day.isoformat()}
    if day in (rule.exdates or ()):
        return "exception_date", f"skipped on {day.isoformat()} (exception date)", params
    if rule.rrule is not None:
        return "not_recurrence_date", "not a date of its recurrence rule", params
    if rule.days is not None and day.isoweekday() not in rule.days:
        return "not_weekday", "not on this weekday", params
    # Only reachable if the covering window is cut off by the rule's life or a DST gap.
    return "outside_window", f"outside its time window ({_hhmm(rule)} {tz})", params


def _inactive_reason(rule: Rule, tz: str, t: datetime) -> tuple[str, str, dict]:
    if t < rule.starts_at:
        stamp = _stamp(rule.starts_at, tz)
        return "not_started", f"not started yet (starts {stamp})", {"starts_at": stamp}
    if rule.ends_at is not None and t >= rule.ends_at:
        stamp = _stamp(rule.ends_at, tz)
        return "ended", f"ended at {stamp}", {"ends_at": stamp}
    return _calendar_reason(rule, tz, t)


def _shadow_message(segment: Segment, rule: Rule) -> tuple[str, dict]:
    ids = segment.schedule_ids
    who = ("schedule " if len(ids) == 1 else "schedules ") + ", ".join(map(str, ids))
    params = {"by": list(ids), "priority": segment.priority, "own_priority": rule.priority}
    if segment.kind == "emergency" and not rule.emergency:
        return f"shadowed by emergency {who}", params
    return f"shadowed by {who} (priority {segment.priority} > {rule.priority})", params


def _status(rule: Rule, tz: str, t: datetime, segment: Segment) -> RuleStatus:
    if rule.id in segment.schedule_ids:
        message = f"plays at priority {rule.priority}"
        if len(segment.schedule_ids) > 1:
            message += ", merged with " + ", ".join(
                str(i) for i in segment.schedule_ids if i != rule.id
            )
        return RuleStatus(rule.id, "playing", "playing", message, {"priority": rule.priority})
    if not active_intervals(rule, tz, t, t + _TICK):
        reason, message, params = _inactive_reason(rule, tz, t)
        return RuleStatus(rule.id, "inactive", reason, message, params)
    if not any(item.valid_at(t) for item in rule.items):
        return RuleStatus(rule.id, "inactive", "no_valid_item", "no approved item valid at t")
    message, params = _shadow_message(segment, rule)
    return RuleStatus(rule.id, "shadowed", "shadowed", message, params)


def explain(rules: Sequence[Rule], tz: str, fallback: Sequence[Item], t: datetime) -> Explanation:
    """What plays at ``t`` on a board in zone ``tz``, and a ``RuleStatus`` for every rule.

    Raises like ``timeline`` (``RuleError`` for an unusable rule or zone).
    """
    t = require_aware(t, "t")
    segment = timeline(rules, tz, fallback, t, t + _TICK)[0]
    item, began = item_at(segment, t)
    statuses = tuple(_status(rule, tz, t, segment) for rule in sorted(rules, key=lambda r: r.id))
    return Explanation(
        t,
        tz,
        segment.kind,
        segment.priority,
        segment.schedule_ids,
        item,
        began,
        segment,
        statuses,
    )


__all__ = ["Explanation", "RuleStatus", "explain"]
