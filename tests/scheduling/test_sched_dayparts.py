"""Named dayparts: a catalogue of Vietnamese office dayparts, expanded into rules."""

from datetime import time

import pytest
from sched_helpers import HANOI, keys_at, local, rule

from signage.scheduling import (
    STANDARD_DAYPARTS,
    Daypart,
    RuleError,
    apply_daypart,
    daypart_named,
    validate_daypart,
    validate_rule,
)

OFFICE = daypart_named("Giờ hành chính")


def test_catalogue_is_valid_and_names_are_unique():
    names = [d.name.casefold() for d in STANDARD_DAYPARTS]
    assert len(names) == len(set(names))
    for daypart in STANDARD_DAYPARTS:
        assert validate_daypart(daypart) == []
        assert validate_rule(apply_daypart(rule(1, "a"), daypart), HANOI) == []


def test_office_hours_are_monday_to_friday_0730_to_1700():
    expected = Daypart("Giờ hành chính", frozenset({1, 2, 3, 4, 5}), time(7, 30), time(17))
    assert expected == OFFICE
    assert daypart_named("  giờ HÀNH chính ") is OFFICE
    with pytest.raises(KeyError):
        daypart_named("Giờ ăn sáng")


def test_office_hours_campaign_plays_in_office_hours_only():
    rules = [apply_daypart(rule(1, "office"), OFFICE)]
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 31, 7, 30)) == ["office"]  # Thursday
    assert keys_at(rules, HANOI, local(HANOI, 2026, 12, 31, 17)) == ["fallback"]
    assert keys_at(rules, HANOI, local(HANOI, 2027, 1, 2, 9)) == ["fallback"]  # Saturday


def test_weekend_and_overnight_dayparts():
    weekend = [apply_daypart(rule(1, "weekend"), daypart_named("Cuối tuần"))]
    assert keys_at(weekend, HANOI, local(HANOI, 2027, 1, 2, 0)) == ["weekend"]
    assert keys_at(weekend, HANOI, local(HANOI, 2027, 1, 3, 23, 59)) == ["weekend"]
    assert keys_at(weekend, HANOI, local(HANOI, 2027, 1, 4, 0)) == ["fallback"]
    night = [apply_daypart(rule(1, "night"), daypart_named("Ban đêm"))]
    assert keys_at(night, HANOI, local(HANOI, 2026, 12, 31, 23, 30)) == ["night"]
    assert keys_at(night, HANOI, local(HANOI, 2027, 1, 1, 5, 59)) == ["night"]
    assert keys_at(night, HANOI, local(HANOI, 2027, 1, 1, 6)) == ["fallback"]


def test_apply_replaces_days_and_window_and_keeps_the_rest():
    base = rule(7, "a", days=frozenset({6}), time_from=time(1), time_to=time(2), priority=40)
    evening = apply_daypart(base, daypart_named("Buổi tối"))
    assert (evening.days, evening.time_from, evening.time_to) == (None, time(17), time(22))
    assert (evening.id, evening.priority, evening.items) == (7, 40, base.items)


def test_every_day_daypart_keeps_an_rrule_but_days_conflict_with_it():
    last_friday = rule(1, "a", rrule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1")
    evening = apply_daypart(last_friday, daypart_named("Buổi tối"))
    assert evening.rrule == last_friday.rrule and evening.time_from == time(17)
    with pytest.raises(RuleError) as info:
        apply_daypart(last_friday, OFFICE)
    assert (info.value.field, info.value.code) == ("days", "daypart_days_with_rrule")
    assert info.value.params == {"daypart": OFFICE.name}


def test_days_are_normalised_and_dayparts_are_hashable():
    daypart = Daypart("Sáng thứ Hai", [1], time(7), time(9))
    assert daypart.days == frozenset({1})
    assert hash(daypart) == hash(Daypart("Sáng thứ Hai", {1}, time(7), time(9)))


@pytest.mark.parametrize(
    ("daypart", "field", "code"),
    [
        (Daypart("", None), "name", "required"),
        (Daypart("x", frozenset()), "days", "not_weekdays"),
        (Daypart("x", {0, 1}), "days", "not_weekdays"),
        (Daypart("x", {True}), "days", "not_weekdays"),
        (Daypart("x", 5), "days", "not_weekdays"),
        (Daypart("x", None, time(7)), "time_to", "times_go_together"),
        (Daypart("x", None, None, time(7)), "time_from", "times_go_together"),
        (Daypart("x", None, "07:00", time(9)), "time_from", "not_a_time_of_day"),
    ],
)
def test_invalid_dayparts_name_their_field_and_code(daypart, field, code):
    assert [(name, p.code) for name, p in validate_daypart(daypart)] == [(field, code)]
    with pytest.raises(RuleError) as info:
        apply_daypart(rule(1, "a"), daypart)
    assert (info.value.field, info.value.code) == (field, code)
    assert info.value.params["daypart"] == str(daypart.name)
