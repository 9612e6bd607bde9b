"""validate_rule: every problem as (field, Problem), a code with parameters."""

from datetime import time

import pytest
from sched_helpers import HANOI, rule, utc

from signage.scheduling import Item, Rule, RuleError, timeline, validate_rule
from signage.scheduling.recurrence import DATE_FREQS as DAILY_OR_COARSER
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
    ("kwargs", "field", "code"),
    [
        ({"ends_at": utc(2026, 1, 1)}, "ends_at", "not_after"),
        ({"ends_at": utc(2025, 12, 1)}, "ends_at", "not_after"),
        ({"days": frozenset({0, 1})}, "days", "not_weekdays"),
        ({"days": frozenset({8})}, "days", "not_weekdays"),
        ({"days": frozenset()}, "days", "not_weekdays"),
        ({"days": frozenset({1}), "rrule": "FREQ=DAILY"}, "rrule", "days_and_rrule"),
        ({"rrule": "FREQ=SOMETIMES"}, "rrule", "rrule_freq_unsupported"),
        ({"rrule": "not a rule"}, "rrule", "rrule_malformed_part"),
        ({"rrule": "FREQ=HOURLY"}, "rrule", "rrule_freq_unsupported"),
        ({"rrule": "DTSTART:20200101T000000\nRRULE:FREQ=DAILY"}, "rrule", "rrule_not_single"),
        ({"rrule": "FREQ=DAILY;INTERVAL=x"}, "rrule", "rrule_unparseable"),
        ({"rrule": "FREQ=DAILY;UNTIL=2026Z"}, "rrule", "rrule_unparseable"),
        ({"rrule": "BYDAY=MO"}, "rrule", "rrule_freq_required"),
        ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rrule", "rrule_no_dates"),
        ({"rrule": "FREQ=YEARLY;BYEASTER=0"}, "rrule", "rrule_byeaster"),
        # From 2026, every fourth year (2030, 2034...) has no 29 February.
        ({"rrule": "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29"}, "rrule", "rrule_no_dates"),
        ({"time_from": time(9)}, "time_to", "times_go_together"),
        ({"time_to": time(9)}, "time_from", "times_go_together"),
        ({"priority": -1}, "priority", "out_of_range"),
        ({"priority": 101}, "priority", "out_of_range"),
        ({"priority": "high"}, "priority", "not_an_integer"),
    ],
)
def test_each_problem_names_its_field_and_code(kwargs, field, code):
    assert [(name, p.code) for name, p in validate_rule(rule(1, "a", **kwargs), HANOI)] == [
        (field, code)
    ]


def test_problems_carry_the_values_they_quote():
    found = dict(validate_rule(rule(1, "a", priority=101, rrule="FREQ=HOURLY"), HANOI))
    assert found["priority"].params == {"low": 0, "high": 100}
    assert found["rrule"].params == {"freq": "HOURLY", "allowed": list(DAILY_OR_COARSER)}
    (ends,) = validate_rule(rule(1, "a", ends_at=utc(2026, 1, 1)), HANOI)
    assert ends[1].as_dict() == {"code": "not_after", "other_code": "field_starts_at"}


def test_unknown_time_zone():
    assert fields(rule(1, "a"), "Mars/Olympus") == ["timezone"]
    ((_, problem),) = validate_rule(rule(1, "a"), "Mars/Olympus")
    assert problem.as_dict() == {"code": "unknown_timezone", "name": "Mars/Olympus"}
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


def test_rule_error_carries_the_field_the_code_and_the_schedule():
    with pytest.raises(RuleError) as info:
        check_rule(rule(4, "a", priority=200), HANOI)
    assert (info.value.field, info.value.code) == ("priority", "out_of_range")
    assert info.value.params == {"low": 0, "high": 100, "schedule_id": 4}
    assert info.value.problem.as_dict() == {"code": "out_of_range", **info.value.params}
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
