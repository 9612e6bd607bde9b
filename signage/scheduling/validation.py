"""Rule validation: every problem as a ``(field, message)`` pair, for a 422 response."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from . import recurrence
from .localtime import local_naive, zone
from .model import Item, Rule, RuleError

Problem = tuple[str, str]

NO_DATES = "the rule yields no dates at all"
NO_DURATION = "every item needs duration_s of at least 1 second"
# Problems that make a rule pointless but not unusable: timeline() treats such a rule as never
# active (dead recurrence) or skips the item (no duration) instead of failing the whole board.
_TOLERATED = {("rrule", NO_DATES), ("items", NO_DURATION)}


def _is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def _check_life(rule: Rule) -> list[Problem]:
    if not isinstance(rule.starts_at, datetime) or not _is_aware(rule.starts_at):
        return [("starts_at", "must be a timezone-aware datetime")]
    if rule.ends_at is None:
        return []
    if not isinstance(rule.ends_at, datetime) or not _is_aware(rule.ends_at):
        return [("ends_at", "must be a timezone-aware datetime")]
    if rule.ends_at <= rule.starts_at:
        return [("ends_at", "must be later than starts_at")]
    return []


def _check_days(rule: Rule) -> list[Problem]:
    if rule.days is None:
        return []
    if not rule.days:
        return [("days", "must name at least one day (1 = Monday .. 7 = Sunday)")]
    bad = [d for d in rule.days if isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 7]
    if bad:
        return [("days", "days must be ISO weekdays 1 (Monday) to 7 (Sunday)")]
    return []


def _check_times(rule: Rule) -> list[Problem]:
    problems = []
    for name in ("time_from", "time_to"):
        value = getattr(rule, name)
        if value is not None and (not isinstance(value, time) or value.tzinfo is not None):
            problems.append((name, "must be a local time of day without time zone"))
    if (rule.time_from is None) != (rule.time_to is None):
        missing = "time_to" if rule.time_to is None else "time_from"
        problems.append((missing, "time_from and time_to must be given together"))
    return problems


def _check_exdates(rule: Rule) -> list[Problem]:
    exdates = rule.exdates
    if exdates is None:
        return []
    if not isinstance(exdates, set | frozenset):
        return [("exdates", "must be a set of local dates")]
    if any(not isinstance(d, date) or isinstance(d, datetime) for d in exdates):
        return [("exdates", "exception dates must be dates (YYYY-MM-DD), not times")]
    return []


def _check_rrule(rule: Rule, tz: str) -> list[Problem]:
    if rule.rrule is None:
        return []
    if rule.days is not None:
        return [("rrule", "give either days or rrule, not both")]
    if not isinstance(rule.rrule, str):
        return [("rrule", "must be an RFC 5545 RRULE string")]
    tz_name = tz if not _check_timezone(tz) else "UTC"  # a bad zone is reported on its own
    dtstart = local_naive(rule.starts_at, zone(tz_name))
    try:
        first = recurrence.first_date(rule.rrule, dtstart, tz_name)
    except ValueError as exc:
        return [("rrule", f"invalid RRULE: {exc}")]
    return [] if first is not None else [("rrule", NO_DATES)]


def _check_priority(rule: Rule) -> list[Problem]:
    ok = isinstance(rule.priority, int) and not isinstance(rule.priority, bool)
    if not ok or not 0 <= rule.priority <= 100:
        return [("priority", "must be an integer from 0 to 100")]
    return []


def has_naive_validity(items: Sequence[Item]) -> bool:
    """True when some item's valid_from/valid_until is not an aware datetime."""
    edges = [e for item in items for e in (item.valid_from, item.valid_until) if e is not None]
    return not all(isinstance(e, datetime) and _is_aware(e) for e in edges)


def item_problems(items: Sequence[Item]) -> list[str]:
    """What is wrong with a playlist's items (also used for the board's fallback)."""
    problems = []
    if any(item.duration_s < 1 for item in items):
        problems.append(NO_DURATION)
    if has_naive_validity(items):
        problems.append("valid_from and valid_until must be timezone-aware datetimes")
    return problems


def _check_items(rule: Rule) -> list[Problem]:
    return [("items", message) for message in item_problems(rule.items)]


def _check_timezone(tz: str) -> list[Problem]:
    try:
        zone(tz)
    except RuleError as exc:
        return [(exc.field, exc.message)]
    return []


def validate_rule(rule: Rule, tz: str) -> list[Problem]:
    """All problems with ``rule`` for a board in zone ``tz``; empty when the rule is valid."""
    problems = _check_timezone(tz) + _check_life(rule)
    problems += _check_days(rule) + _check_times(rule) + _check_priority(rule)
    problems += _check_items(rule) + _check_exdates(rule)
    if not any(name == "starts_at" for name, _ in problems):
        problems += _check_rrule(rule, tz)
    return problems


def check_rule(rule: Rule, tz: str) -> None:
    """Raise ``RuleError`` for the first problem that makes ``rule`` unusable (see _TOLERATED).

    The message names the schedule id.
    """
    problems = [p for p in validate_rule(rule, tz) if p not in _TOLERATED]
    if problems:
        field, message = problems[0]
        raise RuleError(field, f"schedule {rule.id}: {message}")
