"""Piecewise-constant content over a UTC range, by a sweep over the sorted boundary set.

Boundaries are rule window edges (already clipped to each rule's life) and item validity edges.
The active set is updated once per boundary and the content evaluated once per interval between
boundaries; equal neighbours are merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .content import Content, resolve
from .model import Item, Rule
from .windows import active_intervals


@dataclass(frozen=True)
class Piece:
    start: datetime
    end: datetime
    content: Content


def may_play(rule: Rule, lo: datetime, hi: datetime) -> bool:
    """Cheap pre-filter: can the rule have a valid item while alive inside ``[lo, hi)``?"""
    if rule.starts_at >= hi or (rule.ends_at is not None and rule.ends_at <= lo):
        return False
    return any(_item_overlaps(item, lo, hi) for item in rule.items)


def _item_overlaps(item: Item, lo: datetime, hi: datetime) -> bool:
    if item.duration_s < 1:
        return False
    if item.valid_from is not None and item.valid_from >= hi:
        return False
    return item.valid_until is None or item.valid_until > lo


def _validity_edges(items: Sequence[Item], lo: datetime, hi: datetime) -> set[datetime]:
    edges = set()
    for item in items:
        for edge in (item.valid_from, item.valid_until):
            if edge is not None and lo < edge < hi:
                edges.add(edge)
    return edges


def _events(rules: Sequence[Rule], tz: str, lo: datetime, hi: datetime):
    """Map boundary -> (rules starting, rules ending) and the set of validity edges."""
    events: dict[datetime, tuple[list[Rule], list[Rule]]] = {}
    edges: set[datetime] = set()
    for rule in rules:
        if not may_play(rule, lo, hi):
            continue
        intervals = active_intervals(rule, tz, lo, hi)
        for start, end in intervals:
            events.setdefault(start, ([], []))[0].append(rule)
            events.setdefault(end, ([], []))[1].append(rule)
        if intervals:
            edges |= _validity_edges(rule.items, lo, hi)
    return events, edges


def _append(pieces: list[Piece], start: datetime, end: datetime, content: Content) -> None:
    if pieces and pieces[-1].content == content and pieces[-1].end == start:
        pieces[-1] = Piece(pieces[-1].start, end, content)
    else:
        pieces.append(Piece(start, end, content))


def pieces(
    rules: Sequence[Rule], tz: str, fallback: Sequence[Item], lo: datetime, hi: datetime
) -> list[Piece]:
    """Contiguous merged pieces covering exactly ``[lo, hi)``."""
    events, edges = _events(rules, tz, lo, hi)
    edges |= _validity_edges(fallback, lo, hi)
    bounds = sorted({lo, hi} | edges | {b for b in events if lo <= b <= hi})
    layers: dict[tuple[int, int], dict[int, Rule]] = {}
    out: list[Piece] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        _apply(layers, *events.get(start, ((), ())))
        view = {layer: active.values() for layer, active in layers.items() if active}
        _append(out, start, end, resolve(view, fallback, start))
    return out


def _apply(layers: dict, starting: Sequence[Rule], ending: Sequence[Rule]) -> None:
    """Update the active rules, grouped by layer, at one boundary."""
    for rule in ending:
        layers.get(rule.layer, {}).pop(id(rule), None)
    for rule in starting:
        layers.setdefault(rule.layer, {})[id(rule)] = rule
