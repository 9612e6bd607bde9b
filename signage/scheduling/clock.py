"""The clock rule: what a segment shows at an instant, the same on every board."""

from __future__ import annotations

from datetime import datetime, timedelta

from .model import Item, RuleError, Segment

_TICK = timedelta(microseconds=1)


def item_at(segment: Segment, t: datetime) -> tuple[Item, datetime]:
    """The item at offset ``(t - segment.start) mod sum(durations)`` and the instant it began.

    Exact (integer microseconds). ``t`` outside the segment is not refused: the rotation simply
    continues, which is what a board does until it learns about the next segment.
    """
    total = sum(item.duration_s for item in segment.items)
    if total <= 0:
        raise RuleError("items", "no_playable_item")
    offset = ((t - segment.start) // _TICK) % (total * 1_000_000)
    position = 0
    for item in segment.items:
        length = item.duration_s * 1_000_000
        if offset < position + length:
            return item, t - (offset - position) * _TICK
        position += length
    raise AssertionError("unreachable: offset is below the total duration")
