"""Segment anchoring: first segment starts where its content began; last ends where it ends."""

from datetime import time, timedelta

from sched_helpers import BERLIN, FALLBACK, HANOI, local, rule, spans, utc

from signage.scheduling import EPOCH, OPEN_END, Item, item_at, timeline

OFFICE = dict(time_from=time(9), time_to=time(17))


def test_first_segment_starts_before_start():
    rules = [rule(1, "office", **OFFICE)]
    segs = timeline(rules, HANOI, FALLBACK, local(HANOI, 2026, 3, 4, 15), local(HANOI, 2026, 3, 5))
    assert segs[0].start == local(HANOI, 2026, 3, 4, 9)


def test_same_segments_whatever_start_inside_the_segment():
    rules = [rule(1, "office", **OFFICE), rule(2, "alert", emergency=True, days=frozenset({3}))]
    end = utc(2026, 3, 10)
    asked = [local(HANOI, 2026, 3, 5, h, m) for h, m in [(9, 0), (9, 1), (12, 17), (16, 59)]]
    results = [timeline(rules, HANOI, FALLBACK, t, end) for t in asked]
    assert all(r == results[0] for r in results)
    seg = results[0][0]
    assert item_at(seg, asked[2]) == item_at(results[1][0], asked[2])


def test_long_running_content_is_traced_back_across_many_chunks():
    rules = [
        rule(1, "always", starts_at=utc(2021, 6, 1, 7, 15)),
        rule(2, "weekend", days=frozenset({6, 7}), starts_at=utc(2026, 1, 1)),
    ]
    segs = timeline(rules, BERLIN, FALLBACK, utc(2025, 12, 31), utc(2026, 1, 1))
    assert segs[0].start == utc(2021, 6, 1, 7, 15)
    # The first weekend after starts_at (Saturday 3 January 2026) ends the run.
    assert segs[-1].end == local(BERLIN, 2026, 1, 3)


def test_content_change_exactly_at_start():
    rules = [rule(1, "office", **OFFICE)]
    nine = local(HANOI, 2026, 3, 4, 9)
    assert timeline(rules, HANOI, FALLBACK, nine, nine + timedelta(hours=1))[0].start == nine


def test_shadowed_lower_rules_do_not_move_the_anchor():
    rules = [rule(1, "high", priority=90), rule(2, "low", priority=5, **OFFICE)]
    segs = timeline(rules, HANOI, FALLBACK, utc(2026, 3, 4), utc(2026, 3, 6))
    assert spans(segs) == [(utc(2026, 1, 1), OPEN_END, ["high"])]


def test_last_segment_extends_to_its_true_end():
    rules = [rule(1, "office", **OFFICE)]
    segs = timeline(
        rules, HANOI, FALLBACK, local(HANOI, 2026, 3, 4, 10), local(HANOI, 2026, 3, 4, 11)
    )
    assert spans(segs) == [(local(HANOI, 2026, 3, 4, 9), local(HANOI, 2026, 3, 4, 17), ["office"])]


def test_last_segment_is_open_when_nothing_changes_again():
    rules = [
        rule(1, "gone", ends_at=utc(2026, 2, 1)),
        rule(2, "always", starts_at=utc(2026, 2, 1), priority=1),
    ]
    segs = timeline(rules, HANOI, FALLBACK, utc(2026, 3, 1), utc(2026, 3, 3))
    assert spans(segs) == [(utc(2026, 2, 1), OPEN_END, ["always"])]


def test_fallback_before_2000_keeps_the_epoch_phase():
    fallback = (Item("a", 7), Item("b", 4))
    segs = timeline([], HANOI, fallback, utc(1999, 6, 1), utc(1999, 6, 2))
    assert segs[0].start <= utc(1999, 6, 1)
    assert (EPOCH - segs[0].start).total_seconds() % 11 == 0
