"""What plays at one instant: the winning layer of active rules, or the fallback.

Among the active rules that have at least one item valid at ``t``, the winning layer is the
emergency rules of the highest priority if any, else the normal rules of the highest priority.
Its rules merge in ascending id order, each playlist in its own order, keeping only items valid
at ``t``; an item whose key was already contributed by an earlier rule is dropped (repeats inside
one playlist are kept, they are the editor's intent). With no such rule, the fallback items valid
at ``t`` play, or, when none is valid, the whole fallback list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .model import Item, Rule

FALLBACK_LAYER = (-1, -1)


@dataclass(frozen=True)
class Content:
    """The value of a segment, without its time span."""

    kind: str
    priority: int
    items: tuple[Item, ...]
    schedule_ids: tuple[int, ...]

    @property
    def layer(self) -> tuple[int, int]:
        if self.kind == "fallback":
            return FALLBACK_LAYER
        return (int(self.kind == "emergency"), self.priority)


def _valid(items: Iterable[Item], t: datetime) -> list[Item]:
    return [item for item in items if item.valid_at(t)]


def _merge(rules: list[Rule], t: datetime) -> tuple[Item, ...]:
    merged: list[Item] = []
    seen: set = set()
    for rule in sorted(rules, key=lambda r: r.id):
        mine = _valid(rule.items, t)
        merged.extend(item for item in mine if item.key not in seen)
        seen.update(item.key for item in mine)
    return tuple(merged)


def fallback_content(fallback: Sequence[Item], t: datetime) -> Content:
    """The board's fallback at ``t``; never empty while ``fallback`` has a playable item."""
    items = _valid(fallback, t) or [item for item in fallback if item.duration_s >= 1]
    return Content("fallback", -1, tuple(items), ())


def resolve(
    layers: Mapping[tuple[int, int], Iterable[Rule]], fallback: Sequence[Item], t: datetime
) -> Content:
    """The content at ``t`` given the rules active at ``t``, grouped by layer.

    Layers are read from the top down, so shadowed layers cost nothing.
    """
    for layer in sorted(layers, reverse=True):
        winners = [r for r in layers[layer] if any(item.valid_at(t) for item in r.items)]
        if winners:
            kind = "emergency" if layer[0] else "normal"
            ids = tuple(sorted(rule.id for rule in winners))
            return Content(kind, layer[1], _merge(winners, t), ids)
    return fallback_content(fallback, t)
