"""RRULE recurrences: the dates a window starts on, DTSTART = starts_at in the board zone."""

from datetime import time

from sched_helpers import FALLBACK, HANOI, keys_at, local, rule, spans, utc

from signage.scheduling import timeline

LAST_FRIDAY = "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1"


def test_last_friday_of_the_month():
    rules = [rule(1, "payday", rrule=LAST_FRIDAY, time_from=time(8), time_to=time(12))]
    # Last Fridays of 2026: 30 Jan, 27 Feb, 27 Mar.
    assert keys_at(rules, HANOI, local(HANOI, 2026, 1, 30, 9)) == ["payday"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 2, 27, 11, 59)) == ["payday"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 2, 20, 9)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 2, 27, 12)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 27, 8)) == ["payday"]


def test_last_friday_timeline_over_a_month():
    rules = [rule(1, "payday", rrule=LAST_FRIDAY)]
    segs = timeline(rules, HANOI, FALLBACK, utc(2026, 2, 1), utc(2026, 3, 31))
    played = [(s.start, s.end) for s in segs if s.kind == "normal"]
    assert played == [
        (local(HANOI, 2026, 2, 27), local(HANOI, 2026, 2, 28)),
        (local(HANOI, 2026, 3, 27), local(HANOI, 2026, 3, 28)),
    ]


def test_last_day_of_month():
    rules = [rule(1, "eom", rrule="FREQ=MONTHLY;BYMONTHDAY=-1")]
    for day in [(2026, 1, 31), (2026, 2, 28), (2026, 4, 30), (2028, 2, 29)]:
        assert keys_at(rules, HANOI, local(HANOI, *day, 12)) == ["eom"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 4, 29, 12)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2028, 2, 28, 12)) == ["fallback"]


def test_last_day_of_month_window_crossing_into_next_month():
    rules = [
        rule(1, "eom", rrule="FREQ=MONTHLY;BYMONTHDAY=-1", time_from=time(20), time_to=time(6))
    ]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 1, 5, 59)) == ["eom"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 1, 20)) == ["fallback"]


def test_29_february_only_in_leap_years():
    rules = [rule(1, "leap", rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")]
    assert keys_at(rules, HANOI, local(HANOI, 2028, 2, 29, 12)) == ["leap"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 2, 28, 12)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 3, 1, 12)) == ["fallback"]
    segs = timeline(rules, HANOI, FALLBACK, utc(2027, 3, 1), utc(2027, 3, 3))
    # No leap day since the rule started: the fallback has played since forever (epoch anchor)
    # and runs until the next 29 February.
    assert spans(segs) == [(utc(2000, 1, 1), local(HANOI, 2028, 2, 29), ["fallback"])]


def test_rrule_dtstart_is_starts_at_in_board_zone():
    # Every other day from starts_at: the parity follows the local start date.
    starts = local(HANOI, 2026, 3, 2, 6)  # 2026-03-01T23:00Z, but 2 March in Hanoi
    rules = [rule(1, "odd", starts_at=starts, rrule="FREQ=DAILY;INTERVAL=2")]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 4, 12)) == ["odd"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 3, 12)) == ["fallback"]
    # On the start date the window began at midnight but plays only from starts_at.
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 2, 5)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 3, 2, 6)) == ["odd"]


def test_rrule_count_and_utc_until():
    counted = [rule(1, "c", rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=2")]
    assert keys_at(counted, HANOI, local(HANOI, 2026, 1, 12, 9)) == ["c"]
    assert keys_at(counted, HANOI, local(HANOI, 2026, 1, 19, 9)) == ["fallback"]
    until = [rule(1, "u", rrule="RRULE:FREQ=DAILY;UNTIL=20260110T000000Z")]
    assert keys_at(until, HANOI, local(HANOI, 2026, 1, 9, 9)) == ["u"]
    assert keys_at(until, HANOI, local(HANOI, 2026, 1, 11, 9)) == ["fallback"]
