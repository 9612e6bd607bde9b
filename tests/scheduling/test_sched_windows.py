"""Daily windows: weekdays, crossing midnight, whole days, equal times."""

from datetime import time, timedelta

from sched_helpers import BERLIN, FALLBACK, HANOI, keys_at, local, rule, spans, utc

from signage.scheduling import OPEN_END, timeline

FRIDAY_NIGHT = dict(days=frozenset({5}), time_from=time(22), time_to=time(2))


def test_window_crossing_midnight_belongs_to_its_start_day():
    rules = [rule(1, "late", **FRIDAY_NIGHT)]
    # 2026-03-06 is a Friday.
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 6, 21, 59)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 6, 22, 0)) == ["late"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 7, 1, 0)) == ["late"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 7, 2, 0)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 7, 23, 0)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 5, 23, 0)) == ["fallback"]


def test_crossing_midnight_with_saturday_counted():
    rules = [rule(1, "late", days=frozenset({5, 6}), time_from=time(22), time_to=time(2))]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 7, 23, 0)) == ["late"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 8, 1, 59)) == ["late"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 8, 23, 0)) == ["fallback"]


def test_window_is_half_open():
    rules = [rule(1, "office", time_from=time(9), time_to=time(17))]
    segs = timeline(rules, HANOI, FALLBACK, utc(2026, 3, 2, 3), utc(2026, 3, 2, 4))
    assert spans(segs) == [(utc(2026, 3, 2, 2), utc(2026, 3, 2, 10), ["office"])]


def test_weekday_list():
    rules = [rule(1, "mwf", days=frozenset({1, 3, 5}))]
    monday = local(HANOI, 2026, 3, 2, 12)
    expected = {0: "mwf", 1: "fallback", 2: "mwf", 3: "fallback", 4: "mwf", 5: "fallback"}
    for offset, key in expected.items():
        assert keys_at(rules, HANOI, monday + timedelta(days=offset)) == [key]


def test_consecutive_whole_days_merge_into_one_segment():
    rules = [rule(1, "week", days=frozenset({1, 2, 3, 4, 5}))]
    segs = timeline(rules, HANOI, FALLBACK, utc(2026, 3, 3), utc(2026, 3, 5))
    monday, saturday = local(HANOI, 2026, 3, 2), local(HANOI, 2026, 3, 7)
    assert spans(segs) == [(monday, saturday, ["week"])]


def test_every_day_rule_is_one_segment_for_its_whole_life():
    rules = [rule(1, "always", starts_at=utc(2026, 1, 1), ends_at=utc(2026, 6, 1))]
    segs = timeline(rules, BERLIN, FALLBACK, utc(2026, 3, 1), utc(2026, 3, 3))
    assert spans(segs) == [(utc(2026, 1, 1), utc(2026, 6, 1), ["always"])]


def test_equal_times_mean_a_full_day_from_that_time():
    rules = [rule(1, "day", days=frozenset({1}), time_from=time(8), time_to=time(8))]
    monday_8 = local(HANOI, 2026, 3, 2, 8)
    segs = timeline(rules, HANOI, FALLBACK, monday_8, monday_8 + timedelta(hours=1))
    assert spans(segs)[0] == (monday_8, monday_8 + timedelta(days=1), ["day"])


def test_rule_life_clips_windows():
    starts = local(HANOI, 2026, 3, 2, 10)
    ends = local(HANOI, 2026, 3, 2, 15)
    rules = [rule(1, "x", starts_at=starts, ends_at=ends, time_from=time(9), time_to=time(17))]
    segs = timeline(rules, HANOI, FALLBACK, starts, ends)
    assert spans(segs) == [(starts, ends, ["x"])]
    assert segs[0].start == utc(2026, 3, 2, 3)


def test_fallback_only_board_is_anchored_at_epoch_and_open_ended():
    segs = timeline([], HANOI, FALLBACK, utc(2026, 3, 2), utc(2026, 3, 4))
    assert spans(segs) == [(utc(2000, 1, 1), OPEN_END, ["fallback"])]
    assert segs[0].kind == "fallback" and segs[0].priority == -1 and segs[0].schedule_ids == ()


def test_segments_are_utc():
    rules = [rule(1, "x", starts_at=local(HANOI, 2026, 3, 2, 10))]
    for seg in timeline(rules, HANOI, FALLBACK, utc(2026, 3, 1), utc(2026, 3, 4)):
        assert seg.start.utcoffset() == timedelta(0) and seg.start.tzname() == "UTC"
        assert seg.end.tzname() == "UTC"
