"""Plain value types of the scheduling core: items, rules (schedules) and segments."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from signage.problems import Problem

#: Anchor of content that never changed (pure fallback since forever): rotation phase is
#: measured from here, so it is deterministic.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

#: End of a last segment whose content never changes again (see ``timeline``).
OPEN_END = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    """One playable thing. ``key`` is its identity, e.g. ``(slide_id, revision)``."""

    key: Hashable
    duration_s: int
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    payload: Any = field(default=None, compare=False, hash=False)

    def valid_at(self, t: datetime) -> bool:
        """True when the item may play at ``t``: positive duration, inside its validity."""
        if self.duration_s < 1:
            return False
        if self.valid_from is not None and t < self.valid_from:
            return False
        return self.valid_until is None or t < self.valid_until


@dataclass(frozen=True)
class Rule:
    """One schedule: a playlist, a life span, and daily windows in the board's time zone.

    ``exdates`` are local dates (board zone) whose window is skipped: the window that *starts*
    on that date, so one exception date removes one occurrence, even one crossing midnight.
    """

    id: int
    items: tuple[Item, ...]
    starts_at: datetime
    ends_at: datetime | None = None
    days: frozenset[int] | None = None
    time_from: time | None = None
    time_to: time | None = None
    rrule: str | None = None
    priority: int = 10
    emergency: bool = False
    exdates: frozenset[date] = frozenset()

    @property
    def layer(self) -> tuple[int, int]:
        """Rank of the rule's layer: emergencies first, then priority."""
        return (int(self.emergency), self.priority)


@dataclass(frozen=True)
class Segment:
    """A stretch of time in which the same items play in rotation (clock rule)."""

    start: datetime
    end: datetime
    priority: int
    kind: str
    items: tuple[Item, ...]
    schedule_ids: tuple[int, ...]


#: One problem with a rule or a daypart: the field it concerns and what is wrong, as a code.
RuleProblem = tuple[str, Problem]


class RuleError(ValueError):
    """An unusable rule, daypart or input: ``field`` names what is wrong (for a 422 ``details``
    entry) and ``code`` with ``params`` say what (see ``signage.problems``)."""

    def __init__(self, field: str, code: str, **params: Any) -> None:
        super().__init__(f"{field}: {code} {params or ''}".strip())
        self.field = field
        self.code = code
        self.params = params

    @property
    def problem(self) -> Problem:
        return Problem(self.code, self.params)

    @classmethod
    def from_problem(cls, found: RuleProblem, **context: Any) -> RuleError:
        field, problem = found
        return cls(field, problem.code, **problem.params, **context)
