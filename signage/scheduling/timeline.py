"""A board's timeline: contiguous segments, each anchored where its content began.

``timeline`` covers ``[start, end)``. The first segment starts at the last instant at or before
``start`` where the content changed (possibly long before ``start``), so the rotation phase never
depends on when one asks. Content that never changed (fallback since forever) is anchored at
``EPOCH`` (2000-01-01Z), or a whole number of rotation cycles before it when ``start`` is earlier.

The last segment ends at its true end: the first content change after ``end``, looked up to
``LOOKAHEAD`` past ``end``. When the content provably never changes again (no rule can start,
stop or recur any more), or does not change within the lookahead, it ends at ``OPEN_END``
(9999-01-01Z). So a rebuild that changes nothing returns identical segments.

The searches beyond ``[start, end)`` use growing chunks and consider only rules whose layer is at
least the layer of the content being extended: lower rules cannot change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from .content import Content
from .localtime import require_aware, zone
from .model import EPOCH, OPEN_END, Item, Rule, RuleError, Segment
from .sweep import Piece, pieces
from .validation import check_rule, has_naive_validity
from .windows import last_change

FIRST_CHUNK = timedelta(days=3)
LOOKAHEAD = timedelta(days=5 * 366)  # longer than the usual gap between two 29 Februaries
_MARGIN = timedelta(days=1)
_FIRST = datetime(1, 1, 2, tzinfo=UTC)
_LAST = datetime(9999, 12, 30, tzinfo=UTC)


def _shift(t: datetime, delta: timedelta) -> datetime:
    """``t + delta``, clamped to the representable range."""
    if delta < timedelta(0):
        return t + delta if t - _FIRST > -delta else _FIRST
    return t + delta if _LAST - t > delta else _LAST


def _validity_instants(items: Sequence[Item]) -> list[datetime]:
    return [e for item in items for e in (item.valid_from, item.valid_until) if e is not None]


def _relevant(rules: Sequence[Rule], content: Content) -> list[Rule]:
    return [rule for rule in rules if rule.layer >= content.layer]


def _earliest_change(rules: Sequence[Rule], fallback: Sequence[Item]) -> datetime | None:
    instants = [rule.starts_at for rule in rules] + _validity_instants(fallback)
    for rule in rules:
        instants += _validity_instants(rule.items)
    return min(instants, default=None)


def _latest_change(rules: Sequence[Rule], tz: str, fallback: Sequence[Item]) -> datetime | None:
    """An instant after which nothing changes, or None when some rule recurs forever."""
    instants = _validity_instants(fallback)
    for rule in rules:
        if not any(item.duration_s >= 1 for item in rule.items):
            continue
        last = last_change(rule, tz)
        if last is None:
            return None
        instants += [last, *_validity_instants(rule.items)]
    return max(instants, default=None)


def _epoch_anchor(content: Content, start: datetime) -> datetime:
    if start >= EPOCH:
        return EPOCH
    cycle = timedelta(seconds=sum(item.duration_s for item in content.items))
    return EPOCH - cycle * -(-(EPOCH - start) // cycle)


def _anchor(ctx: _Board, content: Content, start: datetime) -> datetime:
    """Where the run of ``content`` that reaches ``start`` began."""
    rules = _relevant(ctx.rules, content)
    earliest = _earliest_change(rules, ctx.fallback)
    floor = None if earliest is None else _shift(earliest, -_MARGIN)
    hi, chunk = start, FIRST_CHUNK
    while floor is not None and hi > floor:
        lo = max(_shift(hi, -chunk), floor)
        run = pieces(rules, ctx.tz, ctx.fallback, lo, hi)[-1]
        if run.content != content or run.start > lo:
            return hi if run.content != content else run.start
        hi, chunk = lo, chunk * 2
    return _epoch_anchor(content, start)


def _true_end(ctx: _Board, content: Content, end: datetime) -> datetime:
    """Where the run of ``content`` that reaches ``end`` stops."""
    rules = _relevant(ctx.rules, content)
    latest = _latest_change(rules, ctx.tz, ctx.fallback)
    ceiling = _shift(end, LOOKAHEAD)
    if latest is not None:
        ceiling = min(ceiling, _shift(latest, _MARGIN))
    lo, chunk = end, FIRST_CHUNK
    while lo < ceiling:
        hi = min(_shift(lo, chunk), ceiling)
        run = pieces(rules, ctx.tz, ctx.fallback, lo, hi)[0]
        if run.content != content or run.end < hi:
            return lo if run.content != content else run.end
        lo, chunk = hi, chunk * 2
    return max(OPEN_END, end)


class _Board:
    """The inputs of one timeline computation, checked."""

    def __init__(self, rules: Sequence[Rule], tz: str, fallback: Sequence[Item]) -> None:
        zone(tz)
        for rule in rules:
            check_rule(rule, tz)
        if not any(item.duration_s >= 1 for item in fallback):
            raise RuleError("fallback", "no_playable_item")
        if has_naive_validity(fallback):
            raise RuleError("fallback", "validity_not_aware")
        self.rules = list(rules)
        self.tz = tz
        self.fallback = tuple(fallback)


def _segment(piece: Piece) -> Segment:
    content = piece.content
    start, end = piece.start.astimezone(UTC), piece.end.astimezone(UTC)
    return Segment(start, end, content.priority, content.kind, content.items, content.schedule_ids)


def timeline(
    rules: Sequence[Rule], tz: str, fallback: Sequence[Item], start: datetime, end: datetime
) -> list[Segment]:
    """Segments covering ``[start, end)`` for a board in zone ``tz`` (see module docstring)."""
    start, end = require_aware(start, "start"), require_aware(end, "end")
    if end <= start:
        raise RuleError("end", "not_after", other_code="field_start")
    ctx = _Board(rules, tz, fallback)
    found = pieces(ctx.rules, tz, ctx.fallback, start, end)
    first, last = found[0], found[-1]
    found[0] = Piece(_anchor(ctx, first.content, start), first.end, first.content)
    found[-1] = Piece(found[-1].start, _true_end(ctx, last.content, end), last.content)
    return [_segment(piece) for piece in found]
