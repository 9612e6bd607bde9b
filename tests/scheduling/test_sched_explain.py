"""explain(): what plays at an instant and why every other schedule does not."""

from datetime import date, time, timedelta

import pytest
from sched_helpers import FALLBACK, HANOI, local, rule, utc

from signage.scheduling import (
    Item,
    Rule,
    RuleError,
    apply_daypart,
    daypart_named,
    explain,
    item_at,
    timeline,
)

EVE = local(HANOI, 2026, 12, 31, 23, 30)  # a Thursday
START = local(HANOI, 2026, 11, 1)


def _story() -> list[Rule]:
    office = apply_daypart(rule(1, "office", starts_at=START), daypart_named("Giờ hành chính"))
    weekend = apply_daypart(rule(2, "weekend", starts_at=START), daypart_named("Cuối tuần"))
    friday = rule(
        3,
        "reminder",
        starts_at=START,
        rrule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
        time_from=time(13, 30),
        time_to=time(17),
        priority=50,
    )
    alert = rule(4, "alert", starts_at=local(HANOI, 2027, 1, 1), emergency=True)
    night = rule(
        5,
        "night",
        starts_at=START,
        time_from=time(22),
        time_to=time(2),
        priority=20,
        exdates=frozenset({date(2026, 12, 31)}),
    )
    countdown = rule(
        6,
        "countdown",
        "night",
        starts_at=START,
        days=frozenset({4}),
        priority=30,
        time_from=time(22),
        time_to=time(2),
    )
    return [
        office,
        weekend,
        friday,
        alert,
        night,
        countdown,
        rule(7, "background", starts_at=START, priority=0),
        rule(8, "autumn", starts_at=START, ends_at=local(HANOI, 2026, 12, 1)),
        Rule(9, (Item("stale", 10, valid_until=local(HANOI, 2026, 12, 1)),), START, priority=90),
        rule(10, "monday", starts_at=START, days=frozenset({1})),
        rule(11, "tet", starts_at=START, rrule="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1"),
    ]


def _reasons(explanation):
    """rule id -> (status, reason code, the words' code and parameters)."""
    return {s.rule_id: (s.status, s.reason, s.problem.as_dict()) for s in explanation.rules}


def test_new_years_eve_answer_names_winner_and_every_reason():
    answer = explain(_story(), HANOI, FALLBACK, EVE)
    assert (answer.kind, answer.priority, answer.schedule_ids) == ("normal", 30, (6,))
    assert answer.item.key in ("countdown", "night")
    eve = {"date": "2026-12-31"}
    assert _reasons(answer) == {
        1: (
            "inactive",
            "outside_window",
            {"code": "outside_hours", "time_from": "07:30", "time_to": "17:00"},
        ),
        2: (
            "inactive",
            "not_weekday",
            {"code": "not_weekday", **eve, "weekday_code": "weekday_4"},
        ),
        3: (
            "inactive",
            "outside_window",
            {"code": "outside_hours", "time_from": "13:30", "time_to": "17:00"},
        ),
        4: (
            "inactive",
            "not_started",
            {"code": "not_started", "starts_at": "2027-01-01T00:00+07:00"},
        ),
        5: ("inactive", "exception_date", {"code": "exception_date", **eve}),
        6: ("playing", "playing", {"code": "plays_at_priority", "priority": 30}),
        7: (
            "shadowed",
            "shadowed",
            {"code": "shadowed_by", "by": [6], "priority": 30, "own_priority": 0},
        ),
        8: ("inactive", "ended", {"code": "ended", "ends_at": "2026-12-01T00:00+07:00"}),
        9: ("inactive", "no_valid_item", {"code": "no_valid_item"}),
        10: (
            "inactive",
            "not_weekday",
            {"code": "not_weekday", **eve, "weekday_code": "weekday_4"},
        ),
        11: ("inactive", "not_recurrence_date", {"code": "not_recurrence_date", **eve}),
    }


def test_answer_agrees_with_timeline_and_clock_rule():
    rules = _story()
    answer = explain(rules, HANOI, FALLBACK, EVE)
    segs = timeline(rules, HANOI, FALLBACK, local(HANOI, 2026, 12, 31), local(HANOI, 2027, 1, 2))
    (seg,) = [s for s in segs if s.start <= EVE < s.end]
    assert answer.segment == seg
    assert (answer.item, answer.item_started_at) == item_at(seg, EVE)
    assert seg.start == local(HANOI, 2026, 12, 31, 22)
    assert answer.at == EVE and answer.tz == HANOI


def test_emergency_shadows_after_midnight():
    answer = explain(_story(), HANOI, FALLBACK, local(HANOI, 2027, 1, 1, 0, 30))
    assert (answer.kind, answer.schedule_ids, answer.item.key) == ("emergency", (4,), "alert")
    reasons = _reasons(answer)
    assert reasons[6] == ("shadowed", "shadowed", {"code": "shadowed_by_emergency", "by": [4]})
    assert reasons[4] == ("playing", "playing", {"code": "plays_as_emergency", "priority": 10})
    assert reasons[11][:2] == ("shadowed", "shadowed")  # 1 January is its date
    assert reasons[5][:2] == ("inactive", "exception_date")


def test_equal_priorities_merge_and_each_names_the_other():
    rules = [rule(3, "a", "shared"), rule(1, "shared", "b"), rule(2, "low", priority=5)]
    answer = explain(rules, HANOI, FALLBACK, EVE)
    assert answer.schedule_ids == (1, 3)
    assert [i.key for i in answer.segment.items] == ["shared", "b", "a"]
    assert _reasons(answer) == {
        1: ("playing", "playing", {"code": "plays_with_others", "priority": 10, "others": [3]}),
        2: (
            "shadowed",
            "shadowed",
            {"code": "shadowed_by", "by": [1, 3], "priority": 10, "own_priority": 5},
        ),
        3: ("playing", "playing", {"code": "plays_with_others", "priority": 10, "others": [1]}),
    }
    assert [s.rule_id for s in answer.rules] == [1, 2, 3]


def test_fallback_plays_when_nothing_is_active():
    answer = explain([rule(12, "later", starts_at=utc(2030, 1, 1))], HANOI, FALLBACK, EVE)
    assert (answer.kind, answer.priority, answer.schedule_ids) == ("fallback", -1, ())
    assert answer.item.key == "fallback"
    assert answer.rules[0].params == {"starts_at": "2030-01-01T07:00+07:00"}


def test_shadowed_reason_names_the_priorities():
    rules = [rule(12, "news", priority=50), rule(3, "base")]
    (status,) = [s for s in explain(rules, HANOI, FALLBACK, EVE).rules if s.rule_id == 3]
    assert status.problem.code == "shadowed_by"
    assert status.params == {"by": [12], "priority": 50, "own_priority": 10}


def test_item_expiring_mid_segment_is_explained_at_both_sides():
    expiry = local(HANOI, 2026, 12, 31, 10, 17)
    rules = [Rule(1, (Item("old", 10, valid_until=expiry),), START, priority=50), rule(2, "base")]
    before = explain(rules, HANOI, FALLBACK, expiry - timedelta(microseconds=1))
    after = explain(rules, HANOI, FALLBACK, expiry)
    assert before.schedule_ids == (1,) and before.segment.end == expiry
    assert after.schedule_ids == (2,) and after.segment.start == expiry
    assert _reasons(after)[1][1] == "no_valid_item"


def test_explain_refuses_what_timeline_refuses():
    with pytest.raises(RuleError) as info:
        explain([rule(1, "a", priority=500)], HANOI, FALLBACK, EVE)
    assert (info.value.field, info.value.code) == ("priority", "out_of_range")
    assert info.value.params == {"low": 0, "high": 100, "schedule_id": 1}
    with pytest.raises(RuleError) as info:
        explain([], HANOI, FALLBACK, EVE.replace(tzinfo=None))
    assert (info.value.field, info.value.code) == ("t", "missing_utc_offset")
