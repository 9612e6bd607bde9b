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

Each status also carries a ``Problem`` that words it: ``plays_at_priority``,
``plays_with_others`` (``others``: schedule ids), ``plays_as_emergency``, ``shadowed_by``
(``by``: schedule ids, ``priority``, ``own_priority``), ``shadowed_by_emergency``,
``not_started`` (``starts_at``), ``ended`` (``ends_at``), ``outside_hours`` (``time_from``,
``time_to``; ``outside_window`` for a rule without hours), ``exception_date`` and
``not_recurrence_date`` (``date``), ``not_weekday`` (``date`` and ``weekday_code``, e.g.
``weekday_4`` for Thursday) and ``no_valid_item``. Instants are local ISO stamps in the board's
zone, dates ISO dates; the app replaces ids with names before wording them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from signage.problems import Problem

from .clock import item_at
from .localtime import local_date, require_aware, zone
from .model import Item, Rule, Segment
from .timeline import timeline
from .windows import active_intervals, window_on

# The names of the ISO weekdays, Monday first, as codes the wording turns into words.
WEEKDAY_CODES = tuple(f"weekday_{day}" for day in range(1, 8))

_TICK = timedelta(microseconds=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class RuleStatus:
    """Why one rule does or does not play at the instant explained."""

    rule_id: int
    status: str  # "playing" | "shadowed" | "inactive"
    reason: str  # a code from the module docstring's table
    problem: Problem  # the words for it, as a code with parameters

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.problem.params)


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


def _covering_day(rule: Rule, tz: str, t: datetime) -> date | None:
    """The latest local date whose window (counted or not) covers ``t``."""
    zinfo = zone(tz)
    today = local_date(t, zinfo)
    for day in (today, today - _DAY):
        start, end = window_on(rule, day, zinfo)
        if start <= t < end:
            return day
    return None


def _outside(rule: Rule) -> tuple[str, Problem]:
    if rule.time_from is None:
        return "outside_window", Problem.of("outside_window")
    hours = {"time_from": f"{rule.time_from:%H:%M}", "time_to": f"{rule.time_to:%H:%M}"}
    return "outside_window", Problem("outside_hours", hours)


def _calendar_reason(rule: Rule, tz: str, t: datetime) -> tuple[str, Problem]:
    """Why an alive rule is not active at ``t``: its window, exdates, recurrence or days."""
    day = _covering_day(rule, tz, t)
    if day is None:
        return _outside(rule)
    stamp = day.isoformat()
    if day in (rule.exdates or ()):
        return "exception_date", Problem.of("exception_date", date=stamp)
    if rule.rrule is not None:
        return "not_recurrence_date", Problem.of("not_recurrence_date", date=stamp)
    if rule.days is not None and day.isoweekday() not in rule.days:
        weekday = WEEKDAY_CODES[day.isoweekday() - 1]
        return "not_weekday", Problem.of("not_weekday", date=stamp, weekday_code=weekday)
    # Only reachable if the covering window is cut off by the rule's life or a DST gap.
    return _outside(rule)


def _inactive_reason(rule: Rule, tz: str, t: datetime) -> tuple[str, Problem]:
    if t < rule.starts_at:
        return "not_started", Problem.of("not_started", starts_at=_stamp(rule.starts_at, tz))
    if rule.ends_at is not None and t >= rule.ends_at:
        return "ended", Problem.of("ended", ends_at=_stamp(rule.ends_at, tz))
    return _calendar_reason(rule, tz, t)


def _playing(segment: Segment, rule: Rule) -> Problem:
    if rule.emergency:
        return Problem.of("plays_as_emergency", priority=rule.priority)
    others = [i for i in segment.schedule_ids if i != rule.id]
    if others:
        return Problem.of("plays_with_others", priority=rule.priority, others=others)
    return Problem.of("plays_at_priority", priority=rule.priority)


def _shadowed(segment: Segment, rule: Rule) -> Problem:
    by = list(segment.schedule_ids)
    if segment.kind == "emergency" and not rule.emergency:
        return Problem.of("shadowed_by_emergency", by=by)
    return Problem.of("shadowed_by", by=by, priority=segment.priority, own_priority=rule.priority)


def _status(rule: Rule, tz: str, t: datetime, segment: Segment) -> RuleStatus:
    if rule.id in segment.schedule_ids:
        return RuleStatus(rule.id, "playing", "playing", _playing(segment, rule))
    if not active_intervals(rule, tz, t, t + _TICK):
        reason, problem = _inactive_reason(rule, tz, t)
        return RuleStatus(rule.id, "inactive", reason, problem)
    if not any(item.valid_at(t) for item in rule.items):
        return RuleStatus(rule.id, "inactive", "no_valid_item", Problem.of("no_valid_item"))
    return RuleStatus(rule.id, "shadowed", "shadowed", _shadowed(segment, rule))


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
