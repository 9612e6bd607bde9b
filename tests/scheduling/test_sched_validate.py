"""validate_rule: every problem as (field, message)."""

from datetime import time

import pytest
from sched_helpers import HANOI, rule, utc

from signage.scheduling import Item, Rule, RuleError, timeline, validate_rule
from signage.scheduling.validation import check_rule


def fields(r, tz=HANOI):
    return [name for name, _ in validate_rule(r, tz)]


def test_valid_rules_have_no_problems():
    assert validate_rule(rule(1, "a"), HANOI) == []
    full = rule(
        2,
        "b",
        ends_at=utc(2026, 2, 1),
        days=frozenset({1, 7}),
        time_from=time(22),
        time_to=time(2),
        priority=0,
    )
    assert validate_rule(full, HANOI) == []
    assert (
        validate_rule(rule(3, "c", rrule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1", priority=100), HANOI)
        == []
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ends_at": utc(2026, 1, 1)}, "ends_at"),
        ({"ends_at": utc(2025, 12, 1)}, "ends_at"),
        ({"days": frozenset({0, 1})}, "days"),
        ({"days": frozenset({8})}, "days"),
        ({"days": frozenset()}, "days"),
        ({"days": frozenset({1}), "rrule": "FREQ=DAILY"}, "rrule"),
        ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
        ({"rrule": "not a rule"}, "rrule"),
        ({"rrule": "FREQ=HOURLY"}, "rrule"),
        ({"rrule": "DTSTART:20200101T000000\nRRULE:FREQ=DAILY"}, "rrule"),
        ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rrule"),
        ({"rrule": "FREQ=YEARLY;BYEASTER=0"}, "rrule"),
        ({"rrule": "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29"}, "rrule"),  # 2026, 2030..
        ({"time_from": time(9)}, "time_to"),
        ({"time_to": time(9)}, "time_from"),
        ({"priority": -1}, "priority"),
        ({"priority": 101}, "priority"),
    ],
)
def test_each_problem_names_its_field(kwargs, field):
    assert fields(rule(1, "a", **kwargs)) == [field]


def test_unknown_time_zone():
    assert fields(rule(1, "a"), "Mars/Olympus") == ["timezone"]
    assert fields(rule(1, "a", rrule="FREQ=DAILY"), "Nowhere/Else") == ["timezone"]


def test_naive_starts_at():
    assert fields(Rule(1, (), utc(2026, 1, 1).replace(tzinfo=None))) == ["starts_at"]


def test_non_positive_duration():
    assert fields(Rule(1, (Item("a", 0),), utc(2026, 1, 1))) == ["items"]


def test_naive_item_validity():
    naive = Item("a", 5, valid_until=utc(2026, 2, 1).replace(tzinfo=None))
    assert fields(Rule(1, (naive,), utc(2026, 1, 1))) == ["items"]


def test_leap_day_every_four_years_from_a_leap_year_is_valid():
    starts = utc(2028, 1, 1)
    assert (
        validate_rule(
            rule(1, "a", starts_at=starts, rrule="FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29"),
            HANOI,
        )
        == []
    )


def test_several_problems_at_once():
    bad = rule(1, "a", ends_at=utc(2020, 1, 1), priority=500, time_from=time(1))
    assert sorted(fields(bad)) == ["ends_at", "priority", "time_to"]


def test_rule_error_carries_the_field():
    with pytest.raises(RuleError) as info:
        check_rule(rule(4, "a", priority=200), HANOI)
    assert info.value.field == "priority" and "schedule 4" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_timeline_refuses_invalid_rules_and_zones():
    with pytest.raises(RuleError) as info:
        timeline(
            [rule(1, "a", days=frozenset({9}))],
            HANOI,
            (Item("f", 5),),
            utc(2026, 3, 1),
            utc(2026, 3, 2),
        )
    assert info.value.field == "days"
    with pytest.raises(RuleError) as info:
        timeline([], "Bad/Zone", (Item("f", 5),), utc(2026, 3, 1), utc(2026, 3, 2))
    assert info.value.field == "timezone"
