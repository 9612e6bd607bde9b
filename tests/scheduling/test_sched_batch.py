"""timelines_for: many boards at once, equal inputs computed once; caches keyed by value."""

from dataclasses import replace
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from sched_helpers import BERLIN, FALLBACK, HANOI, rule, utc

from signage.scheduling import Item, RuleError, timeline, timelines_for

START, END = utc(2026, 12, 30), utc(2027, 1, 1)
NEW_YEARS_EVE = date(2026, 12, 31)


def _rules():
    return [
        rule(3, "night", time_from=time(22), time_to=time(2), exdates=frozenset({NEW_YEARS_EVE})),
        rule(1, "office", days=frozenset(range(1, 6)), time_from=time(7, 30), time_to=time(17)),
        rule(2, "payday", rrule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1", priority=50),
    ]  # fmt: skip


def test_each_board_gets_what_timeline_gives():
    boards = {
        "a": (_rules(), HANOI, FALLBACK),
        "b": (list(reversed(_rules())), HANOI, FALLBACK),  # same set, other order, new objects
        "c": (_rules(), BERLIN, FALLBACK),
        "d": (_rules()[:1], HANOI, (Item("other", 5),)),
        "e": ([], HANOI, FALLBACK),
    }
    found = timelines_for(boards, START, END)
    assert list(found) == list(boards)
    for key, (rules, tz, fallback) in boards.items():
        assert found[key] == timeline(rules, tz, fallback, START, END)


def test_equal_inputs_are_computed_once_but_lists_are_separate():
    found = timelines_for({n: (_rules(), HANOI, FALLBACK) for n in range(50)}, START, END)
    assert all(found[n][0] is found[0][0] for n in range(50))
    found[1].clear()
    assert found[2] and found[0]


def test_unhashable_inputs_are_computed_alone():
    odd = replace(rule(1, "a"), days={1, 2, 3}, exdates={date(2026, 12, 30)})
    found = timelines_for({1: ([odd], HANOI, FALLBACK), 2: ([odd], HANOI, FALLBACK)}, START, END)
    assert found[1] == found[2] == timeline([odd], HANOI, FALLBACK, START, END)


def test_errors_are_those_of_timeline():
    with pytest.raises(RuleError):
        timelines_for({1: ([rule(1, "a", priority=-5)], HANOI, FALLBACK)}, START, END)
    assert timelines_for({}, START, END) == {}


def test_window_cache_is_keyed_by_instant_not_by_how_it_is_written():
    instant = utc(2026, 3, 1, 20)  # 2 March 03:00 in Hanoi, 1 March 21:00 in Berlin
    every_other = "FREQ=DAILY;INTERVAL=2"
    first = rule(1, "x", starts_at=instant.astimezone(ZoneInfo(HANOI)), rrule=every_other)
    second = rule(1, "y", starts_at=instant, rrule=every_other)  # other items, same pattern
    lo, hi = utc(2026, 3, 1), utc(2026, 3, 10)

    def played(r, tz):
        return [(s.start, s.end) for s in timeline([r], tz, FALLBACK, lo, hi) if s.kind == "normal"]

    assert played(first, HANOI) == played(second, HANOI)
    assert played(first, HANOI)[0] == (instant, utc(2026, 3, 2, 17))  # 2 March, 4 March, ...
    assert played(second, BERLIN)[0] == (instant, utc(2026, 3, 1, 23))  # 1 March, 3 March, ...
