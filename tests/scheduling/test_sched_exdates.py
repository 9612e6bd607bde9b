"""Exception dates: the window that starts on an exdate (board-local) is skipped, once."""

from datetime import date, datetime, time

import pytest
from sched_helpers import BERLIN, FALLBACK, HANOI, keys_at, local, rule, spans, utc

from signage.scheduling import Rule, RuleError, timeline, validate_rule

NEW_YEAR = frozenset({date(2026, 12, 31)})


def test_exdate_skips_one_weekday_occurrence():
    weekdays = frozenset(range(1, 6))
    rules = [
        rule(1, "office", days=weekdays, time_from=time(7, 30), time_to=time(17), exdates=NEW_YEAR)
    ]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 30, 9)) == ["office"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 31, 9)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 1, 9)) == ["office"]


def test_exdate_skips_the_whole_window_crossing_midnight():
    rules = [rule(1, "night", time_from=time(22), time_to=time(2), exdates=NEW_YEAR)]
    # The window starting on 30 December reaches into the 31st and still plays.
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 31, 1, 59)) == ["night"]
    # The one starting on the 31st is skipped, including its part in the new year.
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 31, 23, 30)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 1, 1)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 1, 22)) == ["night"]


def test_exdate_is_a_local_date_of_the_board():
    # 31 December in Hanoi starts at 17:00Z on the 30th; in Berlin at 23:00Z on the 30th.
    rules = [rule(1, "all", exdates=NEW_YEAR)]
    hanoi = timeline(rules, HANOI, FALLBACK, utc(2026, 12, 31, 12), utc(2026, 12, 31, 13))
    assert spans(hanoi) == [(local(HANOI, 2026, 12, 31), local(HANOI, 2027, 1, 1), ["fallback"])]
    assert keys_at(rules, BERLIN, utc(2026, 12, 30, 22, 30)) == ["all"]
    assert keys_at(rules, BERLIN, utc(2026, 12, 30, 23, 30)) == ["fallback"]


def test_exdate_on_an_rrule_occurrence():
    last_friday = "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1"
    rules = [rule(1, "payday", rrule=last_friday, exdates=frozenset({date(2026, 12, 25)}))]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 11, 27, 12)) == ["payday"]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 25, 12)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 29, 12)) == ["payday"]


def test_exdate_that_is_no_occurrence_changes_nothing():
    rules = [rule(1, "sat", days=frozenset({6}), exdates=frozenset({date(2026, 12, 31)}))]
    plain = [rule(1, "sat", days=frozenset({6}))]
    lo, hi = utc(2026, 12, 20), utc(2027, 1, 10)
    assert timeline(rules, HANOI, FALLBACK, lo, hi) == timeline(plain, HANOI, FALLBACK, lo, hi)


def test_every_day_rule_with_an_exdate_has_a_gap():
    rules = [rule(1, "always", exdates=NEW_YEAR)]
    segs = timeline(rules, HANOI, FALLBACK, utc(2026, 12, 29), utc(2027, 1, 3))
    assert spans(segs) == [
        (utc(2026, 1, 1), local(HANOI, 2026, 12, 31), ["always"]),
        (local(HANOI, 2026, 12, 31), local(HANOI, 2027, 1, 1), ["fallback"]),
        (local(HANOI, 2027, 1, 1), segs[-1].end, ["always"]),
    ]


@pytest.mark.parametrize(
    "exdates",
    [
        frozenset({datetime(2026, 12, 31, 0, 0)}),
        frozenset({"2026-12-31"}),
        [date(2026, 12, 31)],
    ],
)
def test_exdates_must_be_a_set_of_dates(exdates):
    bad = rule(1, "a", exdates=exdates)
    assert [(name, p.code) for name, p in validate_rule(bad, HANOI)] == [
        ("exdates", "not_a_date_list")
    ]
    with pytest.raises(RuleError) as info:
        timeline([bad], HANOI, FALLBACK, utc(2026, 3, 1), utc(2026, 3, 2))
    assert info.value.field == "exdates"


def test_exdates_default_empty_and_rule_stays_hashable():
    plain = Rule(1, (), utc(2026, 1, 1))
    assert plain.exdates == frozenset()
    assert hash(rule(1, "a", exdates=NEW_YEAR)) == hash(rule(1, "a", exdates=NEW_YEAR))
    assert validate_rule(rule(1, "a", exdates=set(NEW_YEAR)), HANOI) == []
