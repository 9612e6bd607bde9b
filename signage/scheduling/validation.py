"""Rule validation: every problem as a ``(field, Problem)`` pair, for a 422 response."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time

from signage.problems import Problem

from . import recurrence
from .localtime import local_naive, zone
from .model import Item, Rule, RuleError, RuleProblem

PRIORITY_RANGE = (0, 100)
# Problems that make a rule pointless but not unusable: timeline() treats such a rule as never
# active (dead recurrence) or skips the item (no duration) instead of failing the whole board.
_TOLERATED = {("rrule", "rrule_no_dates"), ("items", "item_without_duration")}


def _is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def _check_life(rule: Rule) -> list[RuleProblem]:
    if not isinstance(rule.starts_at, datetime) or not _is_aware(rule.starts_at):
        return [("starts_at", Problem.of("missing_utc_offset"))]
    if rule.ends_at is None:
        return []
    if not isinstance(rule.ends_at, datetime) or not _is_aware(rule.ends_at):
        return [("ends_at", Problem.of("missing_utc_offset"))]
    if rule.ends_at <= rule.starts_at:
        return [("ends_at", Problem.of("not_after", other_code="field_starts_at"))]
    return []


def is_weekday(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7


def check_weekdays(days) -> list[RuleProblem]:
    """``days``: None (every day), or ISO weekdays, at least one (shared with dayparts)."""
    if days is None:
        return []
    if not isinstance(days, Collection) or not days or not all(is_weekday(d) for d in days):
        return [("days", Problem.of("not_weekdays"))]
    return []


def check_window(time_from, time_to) -> list[RuleProblem]:
    """A local time window: both ends or neither, each a naive time of day."""
    problems = []
    for name, value in (("time_from", time_from), ("time_to", time_to)):
        if value is not None and (not isinstance(value, time) or value.tzinfo is not None):
            problems.append((name, Problem.of("not_a_time_of_day")))
    if (time_from is None) != (time_to is None):
        missing = "time_to" if time_to is None else "time_from"
        problems.append((missing, Problem.of("times_go_together")))
    return problems


def _check_exdates(rule: Rule) -> list[RuleProblem]:
    exdates = rule.exdates
    if exdates is None:
        return []
    if not isinstance(exdates, set | frozenset):
        return [("exdates", Problem.of("not_a_date_list"))]
    if any(not isinstance(d, date) or isinstance(d, datetime) for d in exdates):
        return [("exdates", Problem.of("not_a_date_list"))]
    return []


def _check_rrule(rule: Rule, tz: str) -> list[RuleProblem]:
    if rule.rrule is None:
        return []
    if rule.days is not None:
        return [("rrule", Problem.of("days_and_rrule"))]
    if not isinstance(rule.rrule, str):
        return [("rrule", Problem.of("not_an_rrule"))]
    tz_name = tz if not _check_timezone(tz) else "UTC"  # a bad zone is reported on its own
    dtstart = local_naive(rule.starts_at, zone(tz_name))
    try:
        first = recurrence.first_date(rule.rrule, dtstart, tz_name)
    except RuleError as exc:
        return [(exc.field, exc.problem)]
    return [] if first is not None else [("rrule", Problem.of("rrule_no_dates"))]


def _check_priority(rule: Rule) -> list[RuleProblem]:
    if not isinstance(rule.priority, int) or isinstance(rule.priority, bool):
        return [("priority", Problem.of("not_an_integer"))]
    low, high = PRIORITY_RANGE
    if not low <= rule.priority <= high:
        return [("priority", Problem.of("out_of_range", low=low, high=high))]
    return []


def has_naive_validity(items: Sequence[Item]) -> bool:
    """True when some item's valid_from/valid_until is not an aware datetime."""
    edges = [e for item in items for e in (item.valid_from, item.valid_until) if e is not None]
    return not all(isinstance(e, datetime) and _is_aware(e) for e in edges)


def item_problems(items: Sequence[Item]) -> list[Problem]:
    """What is wrong with a playlist's items (also used for the board's fallback)."""
    problems = []
    if any(item.duration_s < 1 for item in items):
        problems.append(Problem.of("item_without_duration"))
    if has_naive_validity(items):
        problems.append(Problem.of("validity_not_aware"))
    return problems


def _check_items(rule: Rule) -> list[RuleProblem]:
    return [("items", problem) for problem in item_problems(rule.items)]


def _check_timezone(tz: str) -> list[RuleProblem]:
    try:
        zone(tz)
    except RuleError as exc:
        return [(exc.field, exc.problem)]
    return []


def validate_rule(rule: Rule, tz: str) -> list[RuleProblem]:
    """All problems with ``rule`` for a board in zone ``tz``; empty when the rule is valid."""
    problems = _check_timezone(tz) + _check_life(rule)
    problems += check_weekdays(rule.days) + check_window(rule.time_from, rule.time_to)
    problems += _check_priority(rule) + _check_items(rule) + _check_exdates(rule)
    if not any(name == "starts_at" for name, _ in problems):
        problems += _check_rrule(rule, tz)
    return problems


def check_rule(rule: Rule, tz: str) -> None:
    """Raise ``RuleError`` for the first problem that makes ``rule`` unusable (see _TOLERATED);
    its params name the rule as ``schedule_id``."""
    problems = [p for p in validate_rule(rule, tz) if (p[0], p[1].code) not in _TOLERATED]
    if problems:
        raise RuleError.from_problem(problems[0], schedule_id=rule.id)
