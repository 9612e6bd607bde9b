"""Timelines for many boards at once: boards with identical inputs are computed once.

Many boards share their time zone, their schedules and their fallback (a group of 1,000 boards
in one district). ``timelines_for`` groups the boards by value, ``(rules sorted by id, tz,
fallback)``, and computes one timeline per distinct input. Items compare without their
``payload``, so the segments a board gets may carry the payload objects of another board with
equal inputs; use payloads as lookups by item key, not as per-board state.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from .model import Item, Rule, Segment
from .timeline import timeline

K = TypeVar("K", bound=Hashable)
BoardInput = tuple[Sequence[Rule], str, Sequence[Item]]


class _Signature:
    """A board's inputs as a dict key, hashed once (rules and items hash all their fields)."""

    __slots__ = ("hash", "value")

    def __init__(self, value: tuple) -> None:
        self.value = value
        self.hash = hash(value)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Signature):
            return NotImplemented
        return self.hash == other.hash and self.value == other.value


def _signature(rules: Sequence[Rule], tz: str, fallback: Sequence[Item]) -> _Signature | None:
    """A key equal for equal inputs, or None when some value is unhashable."""
    try:
        return _Signature((tuple(sorted(rules, key=lambda r: r.id)), tz, tuple(fallback)))
    except TypeError:
        return None


def _compute(
    rules: Sequence[Rule], tz: str, fallback: Sequence[Item], span: tuple, by_value: dict
) -> list[Segment]:
    signature = _signature(rules, tz, fallback)
    if signature is None:
        return timeline(rules, tz, fallback, *span)
    if signature not in by_value:
        by_value[signature] = timeline(rules, tz, fallback, *span)
    return by_value[signature]


def timelines_for(
    groups: Mapping[K, BoardInput], start: datetime, end: datetime
) -> dict[K, list[Segment]]:
    """``{key: timeline(rules, tz, fallback, start, end)}`` for each ``key: (rules, tz, fallback)``.

    Equal inputs are computed once (each key gets its own list of the shared, immutable
    segments). Passing the very same ``rules`` and ``fallback`` objects for boards that share
    them also skips comparing them by value. Errors are those of ``timeline``, raised for the
    first failing input.
    """
    by_value: dict[_Signature, list[Segment]] = {}
    # id() of inputs already seen -> (the inputs, kept alive so ids stay unique, segments)
    by_identity: dict[tuple[int, str, int], tuple[object, object, list[Segment]]] = {}
    out: dict[K, list[Segment]] = {}
    for key, (rules, tz, fallback) in groups.items():
        same = (id(rules), tz, id(fallback))
        if same not in by_identity:
            segments = _compute(rules, tz, fallback, (start, end), by_value)
            by_identity[same] = (rules, fallback, segments)
        out[key] = list(by_identity[same][2])
    return out
