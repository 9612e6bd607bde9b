"""The clock rule: item at (t - segment.start) mod total duration."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from sched_helpers import utc

from signage.scheduling import Item, Segment, item_at

A, B, C = Item("a", 10), Item("b", 5), Item("c", 15)
SEG = Segment(utc(2026, 3, 4, 8), utc(2026, 3, 4, 10), 10, "normal", (A, B, C), (1,))


def test_rotation_offsets():
    start = SEG.start
    assert item_at(SEG, start) == (A, start)
    assert item_at(SEG, start + timedelta(seconds=9.5)) == (A, start)
    assert item_at(SEG, start + timedelta(seconds=10)) == (B, start + timedelta(seconds=10))
    assert item_at(SEG, start + timedelta(seconds=29)) == (C, start + timedelta(seconds=15))
    assert item_at(SEG, start + timedelta(seconds=30)) == (A, start + timedelta(seconds=30))
    assert item_at(SEG, start + timedelta(hours=1, seconds=12)) == (
        B,
        start + timedelta(hours=1, seconds=10),
    )


def test_payload_is_carried_through():
    seg = Segment(SEG.start, SEG.end, 1, "normal", (Item("k", 5, payload={"url": "/m.png"}),), (1,))
    assert item_at(seg, SEG.start)[0].payload == {"url": "/m.png"}


@given(st.integers(min_value=0, max_value=10**12))
def test_item_began_within_its_duration(micros):
    t = SEG.start + timedelta(microseconds=micros)
    item, began = item_at(SEG, t)
    assert began <= t < began + timedelta(seconds=item.duration_s)
    assert ((began - SEG.start) // timedelta(microseconds=1)) % 30_000_000 in (
        0,
        10_000_000,
        15_000_000,
    )
