"""Property tests: explain() agrees with timeline() and the oracle; emergencies always win."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from sched_strategies import FAST, boards, oracle_active, probe, segment_at, valid

from signage.scheduling import explain, item_at, timeline


@FAST
@given(boards(), st.lists(st.floats(0, 1), min_size=1, max_size=4))
def test_explain_agrees_with_the_timeline_segment_at_t(board, fractions):
    rule_list, tz, fallback, start, end = board
    segs = timeline(rule_list, tz, fallback, start, end)
    for t in {probe(start, end, f) for f in fractions} | {
        s.start for s in segs if s.start >= start
    }:
        seg = segment_at(segs, t)
        answer = explain(rule_list, tz, fallback, t)
        assert (answer.kind, answer.priority, answer.schedule_ids) == (
            seg.kind,
            seg.priority,
            seg.schedule_ids,
        )
        assert answer.segment.items == seg.items
        assert (answer.item, answer.item_started_at) == item_at(seg, t)


def _check_inactive_reason(rule, status, t):
    alive = t >= rule.starts_at and (rule.ends_at is None or t < rule.ends_at)
    assert (status.reason == "not_started") == (t < rule.starts_at)
    assert (status.reason == "ended") == (t >= rule.starts_at and not alive)
    if status.reason == "exception_date":
        assert date.fromisoformat(status.params["date"]) in rule.exdates
    if status.reason == "not_recurrence_date":
        assert rule.rrule is not None
    if status.reason == "not_weekday":
        assert rule.days is not None
    if status.reason == "outside_window":
        assert rule.time_from is not None and rule.time_from != rule.time_to


def _layer(rule):
    return (rule.emergency, rule.priority)


@FAST
@given(boards(), st.floats(0, 1))
def test_every_status_is_true_of_the_rule(board, fraction):
    rule_list, tz, fallback, start, end = board
    t = probe(start, end, fraction)
    answer = explain(rule_list, tz, fallback, t)
    by_id = {r.id: r for r in rule_list}
    assert sorted(s.rule_id for s in answer.rules) == sorted(by_id)
    winner = (answer.kind == "emergency", answer.priority)
    for status in answer.rules:
        rule = by_id[status.rule_id]
        active = oracle_active(rule, tz, t)
        playable = active and any(valid(i, t) for i in rule.items)
        assert (status.status == "playing") == (rule.id in answer.schedule_ids)
        if status.status == "shadowed":
            assert playable and _layer(rule) < winner and answer.kind != "fallback"
        elif status.reason == "no_valid_item":
            assert active and not playable
        elif status.status == "inactive":
            assert not active
            _check_inactive_reason(rule, status, t)
        else:
            assert playable and _layer(rule) == winner


@FAST
@given(boards(), st.floats(0, 1))
def test_an_active_emergency_always_wins(board, fraction):
    rule_list, tz, fallback, start, end = board
    t = probe(start, end, fraction)
    seg = segment_at(timeline(rule_list, tz, fallback, start, end), t)
    live = [r for r in rule_list if oracle_active(r, tz, t) and any(valid(i, t) for i in r.items)]
    emergencies = [r for r in live if r.emergency]
    if emergencies:
        assert seg.kind == "emergency"
        assert seg.priority == max(r.priority for r in emergencies)
        assert not set(seg.schedule_ids) & {r.id for r in live if not r.emergency}
    else:
        assert seg.kind != "emergency"
