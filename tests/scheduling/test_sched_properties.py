"""Property tests: segment shape, agreement with a pointwise oracle, phase independence."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from sched_strategies import FAST, boards, oracle, oracle_active, probe, segment_at, valid

from signage.scheduling import timeline


@FAST
@given(boards())
def test_segments_are_contiguous_nonempty_and_cover_the_window(board):
    rule_list, tz, fallback, start, end = board
    segs = timeline(rule_list, tz, fallback, start, end)
    assert segs[0].start <= start and segs[-1].end >= end
    for seg in segs:
        assert seg.items and seg.start < seg.end
        assert seg.start.utcoffset() == timedelta(0)
    for before, after in zip(segs, segs[1:], strict=False):
        assert before.end == after.start
        assert (before.kind, before.priority, before.items, before.schedule_ids) != (
            after.kind,
            after.priority,
            after.items,
            after.schedule_ids,
        )


@FAST
@given(boards(), st.lists(st.floats(0, 1), min_size=1, max_size=6))
def test_content_matches_pointwise_oracle(board, fractions):
    rule_list, tz, fallback, start, end = board
    segs = timeline(rule_list, tz, fallback, start, end)
    probes = [probe(start, end, f) for f in fractions] + [s.start for s in segs if s.start >= start]
    for t in (p for p in probes if start <= p < end):
        seg = segment_at(segs, t)
        assert (seg.kind, seg.priority, [i.key for i in seg.items], seg.schedule_ids) == oracle(
            rule_list, tz, fallback, t
        )


@FAST
@given(boards(), st.floats(0, 1))
def test_higher_priority_active_rule_always_wins(board, fraction):
    rule_list, tz, fallback, start, end = board
    t = probe(start, end, fraction)
    seg = segment_at(timeline(rule_list, tz, fallback, start, end), t)
    for r in rule_list:
        if oracle_active(r, tz, t) and any(valid(i, t) for i in r.items):
            assert seg.kind != "fallback"
            assert (seg.kind == "emergency", seg.priority) >= (r.emergency, r.priority)


@FAST
@given(boards(), st.floats(0, 1))
def test_segment_start_does_not_depend_on_when_you_ask(board, fraction):
    rule_list, tz, fallback, start, end = board
    segs = timeline(rule_list, tz, fallback, start, end)
    t = probe(start, end, fraction)
    again = timeline(rule_list, tz, fallback, t, end)
    assert again[0].start == segment_at(segs, t).start
    assert again[0].items == segment_at(segs, t).items
    assert again[1:] == segs[segs.index(segment_at(segs, t)) + 1 :]
