"""Daylight saving time in Europe/Berlin (2026: spring 29 March, autumn 25 October)."""

from datetime import time, timedelta

from sched_helpers import BERLIN, FALLBACK, keys_at, local, rule, utc

from signage.scheduling import timeline


def _played(rules, lo, hi):
    return [
        (s.start, s.end) for s in timeline(rules, BERLIN, FALLBACK, lo, hi) if s.kind != "fallback"
    ]


def test_office_hours_on_change_days_are_eight_local_hours():
    rules = [rule(1, "office", time_from=time(9), time_to=time(17))]
    for day, offset in [((2026, 3, 29), 2), ((2026, 10, 25), 1), ((2026, 3, 28), 1)]:
        ((start, end),) = _played(rules, utc(*day, 6), utc(*day, 18))
        assert end - start == timedelta(hours=8)
        assert start == utc(*day, 9 - offset)


def test_whole_day_is_23_or_25_hours_on_change_days():
    sunday = frozenset({7})
    rules = [rule(1, "sunday", days=sunday)]
    ((start, end),) = _played(rules, utc(2026, 3, 29, 6), utc(2026, 3, 29, 8))
    assert (start, end) == (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    assert end - start == timedelta(hours=23)
    ((start, end),) = _played(rules, utc(2026, 10, 25, 6), utc(2026, 10, 25, 8))
    assert end - start == timedelta(hours=25)


def test_overnight_window_across_spring_change():
    rules = [rule(1, "night", days=frozenset({6}), time_from=time(22), time_to=time(6))]
    ((start, end),) = _played(rules, utc(2026, 3, 28, 22), utc(2026, 3, 28, 23))
    assert end - start == timedelta(hours=7)  # 22:00 CET to 06:00 CEST


def test_nonexistent_start_moves_forward_by_the_gap():
    # 02:30 does not exist on 29 March 2026; it is read with the pre-gap offset: 03:30 CEST.
    rules = [rule(1, "gap", time_from=time(2, 30), time_to=time(4))]
    ((start, end),) = _played(rules, utc(2026, 3, 29, 0), utc(2026, 3, 29, 3))
    assert (start, end) == (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2))
    assert keys_at(rules, BERLIN, local(BERLIN, 2026, 3, 29, 3, 45)) == ["gap"]


def test_ambiguous_time_takes_first_occurrence():
    # 02:30 happens twice on 25 October 2026; the window starts at the first (CEST, 00:30Z).
    rules = [rule(1, "fold", time_from=time(2, 30), time_to=time(5))]
    ((start, end),) = _played(rules, utc(2026, 10, 25, 0), utc(2026, 10, 25, 5))
    assert start == utc(2026, 10, 25, 0, 30)
    assert end == utc(2026, 10, 25, 4)


def test_window_emptied_by_the_gap_is_skipped():
    rules = [rule(1, "void", time_from=time(2, 30), time_to=time(3))]
    assert _played(rules, utc(2026, 3, 29, 0), utc(2026, 3, 29, 3)) == []
    assert len(_played(rules, utc(2026, 3, 30, 0), utc(2026, 3, 30, 3))) == 1
