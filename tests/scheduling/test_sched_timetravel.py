"""Time travel: instants that break calendars (year and month ends, leap days, DST, ties)."""

from datetime import time, timedelta

from sched_helpers import BERLIN, FALLBACK, HANOI, keys_at, local, playing, rule, spans, utc

from signage.scheduling import Item, Rule, timeline

NIGHT = {"time_from": time(22), "time_to": time(2)}


def _played(rules, tz, lo, hi):
    return [(s.start, s.end) for s in timeline(rules, tz, FALLBACK, lo, hi) if s.kind != "fallback"]


def test_thursday_night_window_runs_into_the_new_year():
    rules = [rule(1, "eve", days=frozenset({4}), **NIGHT)]  # 31 December 2026 is a Thursday
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 31, 23, 30)) == ["eve"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 1, 1, 59, 59)) == ["eve"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 1, 2)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 1, 23, 30)) == ["fallback"]  # Friday
    assert _played(rules, HANOI, local(HANOI, 2026, 12, 31, 12), local(HANOI, 2027, 1, 1, 12)) == [
        (local(HANOI, 2026, 12, 31, 22), local(HANOI, 2027, 1, 1, 2))
    ]


def test_every_night_window_is_one_run_per_night_across_the_year_end():
    rules = [rule(1, "night", **NIGHT)]
    lo, hi = local(HANOI, 2026, 12, 30, 12), local(HANOI, 2027, 1, 2, 12)
    assert _played(rules, HANOI, lo, hi) == [
        (local(HANOI, 2026, 12, 30, 22), local(HANOI, 2026, 12, 31, 2)),
        (local(HANOI, 2026, 12, 31, 22), local(HANOI, 2027, 1, 1, 2)),
        (local(HANOI, 2027, 1, 1, 22), local(HANOI, 2027, 1, 2, 2)),
    ]


def test_last_day_of_month_night_window_reaches_the_first():
    rules = [rule(1, "eom", rrule="FREQ=MONTHLY;BYMONTHDAY=-1", **NIGHT)]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 4, 30, 23, 30)) == ["eom"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 5, 1, 1)) == ["eom"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 4, 30, 1)) == ["fallback"]  # from 29 April
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 31, 23, 30)) == ["eom"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 1, 1)) == ["eom"]
    saturday = [rule(1, "sat", days=frozenset({6}), **NIGHT)]  # 31 January 2026 is a Saturday
    assert keys_at(saturday, HANOI, local(HANOI, 2026, 2, 1, 1)) == ["sat"]


def test_leap_day_rule_with_a_night_window():
    rules = [rule(1, "leap", rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", **NIGHT)]
    assert keys_at(rules, HANOI, local(HANOI, 2028, 2, 29, 23)) == ["leap"]
    assert keys_at(rules, HANOI, local(HANOI, 2028, 3, 1, 1)) == ["leap"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 3, 1, 1)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 2, 28, 23)) == ["fallback"]


def test_date_range_across_a_leap_day():
    starts, ends = local(HANOI, 2028, 2, 28, 12), local(HANOI, 2028, 3, 1, 12)
    rules = [rule(1, "range", starts_at=starts, ends_at=ends)]
    ((start, end),) = _played(rules, HANOI, local(HANOI, 2028, 2, 27), local(HANOI, 2028, 3, 2))
    assert (start, end) == (starts, ends) and end - start == timedelta(hours=48)
    tuesday = [rule(1, "tue", starts_at=starts, ends_at=ends, days=frozenset({2}))]
    assert _played(tuesday, HANOI, local(HANOI, 2028, 2, 27), local(HANOI, 2028, 3, 2)) == [
        (local(HANOI, 2028, 2, 29), local(HANOI, 2028, 3, 1))
    ]


def test_monday_wednesday_friday_list_over_a_week():
    rules = [rule(1, "mwf", days=frozenset({1, 3, 5}), time_from=time(8), time_to=time(9))]
    played = _played(rules, HANOI, local(HANOI, 2026, 11, 23), local(HANOI, 2026, 11, 30))
    assert played == [
        (local(HANOI, 2026, 11, day, 8), local(HANOI, 2026, 11, day, 9)) for day in (23, 25, 27)
    ]


def test_last_weekday_of_the_month_by_setpos():
    rules = [rule(1, "close", rrule="FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")]
    for day in [(2026, 1, 30), (2026, 5, 29), (2026, 8, 31), (2026, 10, 30)]:
        assert keys_at(rules, HANOI, local(HANOI, *day, 12)) == ["close"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 5, 31, 12)) == ["fallback"]  # a Sunday
    assert keys_at(rules, HANOI, local(HANOI, 2026, 5, 28, 12)) == ["fallback"]


def test_berlin_0130_to_0330_on_both_change_days():
    rules = [rule(1, "w", time_from=time(1, 30), time_to=time(3, 30))]
    spring = _played(rules, BERLIN, utc(2026, 3, 28, 22), utc(2026, 3, 29, 4))
    assert spring == [(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30))]  # one real hour
    autumn = _played(rules, BERLIN, utc(2026, 10, 24, 22), utc(2026, 10, 25, 4))
    assert autumn == [(utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 2, 30))]  # three hours
    normal = _played(rules, BERLIN, utc(2026, 3, 27, 22), utc(2026, 3, 28, 4))
    assert normal == [(utc(2026, 3, 28, 0, 30), utc(2026, 3, 28, 2, 30))]


def test_berlin_0200_to_0300_vanishes_in_the_spring_gap():
    rules = [rule(1, "gap", time_from=time(2), time_to=time(3))]
    assert _played(rules, BERLIN, utc(2026, 3, 28, 22), utc(2026, 3, 29, 4)) == []
    assert keys_at(rules, BERLIN, utc(2026, 3, 29, 1, 30)) == ["fallback"]
    assert _played(rules, BERLIN, utc(2026, 3, 29, 22), utc(2026, 3, 30, 4)) == [
        (utc(2026, 3, 30, 0), utc(2026, 3, 30, 1))
    ]
    # In autumn 02:00-03:00 starts at the first 02:00 (CEST) and lasts two real hours.
    assert _played(rules, BERLIN, utc(2026, 10, 24, 22), utc(2026, 10, 25, 4)) == [
        (utc(2026, 10, 25, 0), utc(2026, 10, 25, 2))
    ]


def test_equal_priority_overlap_merges_by_id():
    rules = [
        rule(5, "late", time_from=time(9), time_to=time(12)),
        rule(2, "early", time_from=time(11), time_to=time(14)),
    ]
    segs = timeline(
        rules, HANOI, FALLBACK, local(HANOI, 2026, 3, 4, 9), local(HANOI, 2026, 3, 4, 14)
    )
    assert [(s.start, [i.key for i in s.items], s.schedule_ids) for s in segs[:3]] == [
        (local(HANOI, 2026, 3, 4, 9), ["late"], (5,)),
        (local(HANOI, 2026, 3, 4, 11), ["early", "late"], (2, 5)),
        (local(HANOI, 2026, 3, 4, 12), ["early"], (2,)),
    ]
    assert playing(rules, HANOI, local(HANOI, 2026, 3, 4, 11, 30))[3] == (2, 5)


def test_expiry_at_1017_splits_the_segment_there():
    expiry, arrival = local(HANOI, 2026, 3, 4, 10, 17), local(HANOI, 2026, 3, 4, 15, 45)
    items = (Item("a", 10), Item("b", 10, valid_until=expiry), Item("c", 10, valid_from=arrival))
    rules = [Rule(1, items, utc(2026, 1, 1), time_from=time(8), time_to=time(17))]
    segs = timeline(
        rules, HANOI, FALLBACK, local(HANOI, 2026, 3, 4, 9), local(HANOI, 2026, 3, 4, 16)
    )
    assert spans(segs)[:3] == [
        (local(HANOI, 2026, 3, 4, 8), expiry, ["a", "b"]),
        (expiry, arrival, ["a"]),
        (arrival, local(HANOI, 2026, 3, 4, 17), ["a", "c"]),
    ]
