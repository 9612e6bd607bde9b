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

from signage.problems import Problem

from .model import Rule, RuleError, RuleProblem
from .validation import check_weekdays, check_window


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


def validate_daypart(daypart: Daypart) -> list[RuleProblem]:
    """All problems with ``daypart`` as ``(field, Problem)`` pairs; empty when it is valid."""
    problems = []
    if not isinstance(daypart.name, str) or not daypart.name.strip():
        problems.append(("name", Problem.of("required")))
    problems += check_weekdays(daypart.days)
    return problems + check_window(daypart.time_from, daypart.time_to)


def apply_daypart(rule: Rule, daypart: Daypart) -> Rule:
    """``rule`` with the days and time window of ``daypart`` (see the module docstring).

    Raises ``RuleError`` for an invalid daypart (its params name it as ``daypart``), or
    ``daypart_days_with_rrule`` for one naming days applied to a rule with an RRULE.
    """
    problems = validate_daypart(daypart)
    if problems:
        raise RuleError.from_problem(problems[0], daypart=str(daypart.name))
    if daypart.days is not None and rule.rrule is not None:
        raise RuleError("days", "daypart_days_with_rrule", daypart=daypart.name)
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
