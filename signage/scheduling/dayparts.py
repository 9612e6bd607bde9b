"""Named dayparts: reusable "which days, which hours" for schedules ("Giờ hành chính").

A daypart is plain data, so the app can store its own and expand one into a schedule with
``apply_daypart``. It sets the rule's ``days``, ``time_from`` and ``time_to``; ``days=None``
means every day (a rule's RRULE is then kept, so "last Friday, evening" works), and no times mean
the whole day. A daypart that names days cannot be applied to a rule with an RRULE (the contract
refuses ``days`` together with ``rrule``).

``STANDARD_DAYPARTS`` is a starting catalogue for Vietnamese public offices. Office hours are
07:30-17:00 Monday to Friday: the common schedule of state bodies (7:30-11:30 and 13:30-17:00,
eight hours a day, five days a week); the lunch break is its own daypart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import time

from .model import Rule, RuleError

Problem = tuple[str, str]


@dataclass(frozen=True)
class Daypart:
    """A named pattern of ISO weekdays (1 = Monday; None = every day) and a local time window."""

    name: str
    days: frozenset[int] | None
    time_from: time | None = None
    time_to: time | None = None

    def __post_init__(self) -> None:
        if self.days is not None and not isinstance(self.days, frozenset):
            object.__setattr__(self, "days", _frozen(self.days))


def _frozen(days: Iterable[int]) -> frozenset[int] | Iterable[int]:
    try:
        return frozenset(days)
    except TypeError:
        return days  # not iterable: validate_daypart reports it


def _is_weekday(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7


def _check_days(days) -> list[Problem]:
    if days is None:
        return []
    if not isinstance(days, frozenset) or not days or not all(_is_weekday(d) for d in days):
        return [("days", "must be ISO weekdays 1 (Monday) to 7 (Sunday), at least one")]
    return []


def _check_times(daypart: Daypart) -> list[Problem]:
    problems = []
    for name in ("time_from", "time_to"):
        value = getattr(daypart, name)
        if value is not None and (not isinstance(value, time) or value.tzinfo is not None):
            problems.append((name, "must be a local time of day without time zone"))
    if (daypart.time_from is None) != (daypart.time_to is None):
        missing = "time_to" if daypart.time_to is None else "time_from"
        problems.append((missing, "time_from and time_to must be given together"))
    return problems


def validate_daypart(daypart: Daypart) -> list[Problem]:
    """All problems with ``daypart`` as ``(field, message)`` pairs; empty when it is valid."""
    problems = []
    if not isinstance(daypart.name, str) or not daypart.name.strip():
        problems.append(("name", "must be a non-empty name"))
    return problems + _check_days(daypart.days) + _check_times(daypart)


def apply_daypart(rule: Rule, daypart: Daypart) -> Rule:
    """``rule`` with the days and time window of ``daypart`` (see the module docstring).

    Raises ``RuleError`` for an invalid daypart, or one naming days for a rule with an RRULE.
    """
    problems = validate_daypart(daypart)
    if problems:
        field, message = problems[0]
        raise RuleError(field, f"daypart {daypart.name!r}: {message}")
    if daypart.days is not None and rule.rrule is not None:
        raise RuleError("days", f"daypart {daypart.name!r} names days; the rule has an rrule")
    return replace(rule, days=daypart.days, time_from=daypart.time_from, time_to=daypart.time_to)


WEEKDAYS = frozenset(range(1, 6))
WEEKEND = frozenset({6, 7})

#: Common dayparts of Vietnamese offices, in the board's local time.
STANDARD_DAYPARTS: tuple[Daypart, ...] = (
    Daypart("Giờ hành chính", WEEKDAYS, time(7, 30), time(17)),
    Daypart("Buổi sáng", None, time(6), time(11, 30)),
    Daypart("Giờ nghỉ trưa", WEEKDAYS, time(11, 30), time(13, 30)),
    Daypart("Buổi chiều", None, time(13, 30), time(17)),
    Daypart("Buổi tối", None, time(17), time(22)),
    Daypart("Ban đêm", None, time(22), time(6)),
    Daypart("Cuối tuần", WEEKEND, None, None),
    Daypart("Cả ngày", None, None, None),
)


def daypart_named(name: str, catalogue: Iterable[Daypart] = STANDARD_DAYPARTS) -> Daypart:
    """The daypart called ``name`` (case-insensitive); ``KeyError`` when there is none."""
    wanted = name.strip().casefold()
    for daypart in catalogue:
        if daypart.name.casefold() == wanted:
            return daypart
    raise KeyError(name)
