"""Small helpers shared by the scheduling tests (plain values, explicit datetimes)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from signage.scheduling import Item, Rule, timeline

BERLIN = "Europe/Berlin"
HANOI = "Asia/Ho_Chi_Minh"
FALLBACK = (Item("fallback", 10),)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


def rule(rule_id: int, *keys: str, starts_at: datetime | None = None, **kwargs) -> Rule:
    items = tuple(Item(key, 10) for key in keys) or (Item(f"r{rule_id}", 10),)
    return Rule(rule_id, items, starts_at or utc(2026, 1, 1), **kwargs)


def segment_at(segments, t: datetime):
    hits = [s for s in segments if s.start <= t < s.end]
    assert len(hits) == 1, (t, segments)
    return hits[0]


def playing(rules, tz: str, t: datetime, fallback=FALLBACK):
    """(kind, priority, item keys, schedule ids) playing at ``t``."""
    seg = segment_at(timeline(rules, tz, fallback, t, t.replace(microsecond=1)), t)
    return seg.kind, seg.priority, [i.key for i in seg.items], seg.schedule_ids


def keys_at(rules, tz: str, t: datetime, fallback=FALLBACK) -> list:
    return playing(rules, tz, t, fallback)[2]


def spans(segments):
    """Segments as (start, end, keys) for compact assertions."""
    return [(s.start, s.end, [i.key for i in s.items]) for s in segments]
