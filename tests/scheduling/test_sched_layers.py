"""Which rules win: priority layers, merging, emergencies, item validity, fallback."""

from datetime import UTC, datetime, time

import pytest
from sched_helpers import FALLBACK, HANOI, local, playing, rule, spans, utc

from signage.scheduling import Item, Rule, RuleError, timeline

NOON = local(HANOI, 2026, 3, 4, 12)


def test_higher_priority_shadows_lower():
    rules = [rule(1, "low", priority=5), rule(2, "high", priority=50)]
    assert playing(rules, HANOI, NOON) == ("normal", 50, ["high"], (2,))


def test_lower_priority_plays_outside_higher_window():
    rules = [
        rule(1, "low", priority=5),
        rule(2, "lunch", priority=50, time_from=time(11), time_to=time(13)),
    ]
    assert playing(rules, HANOI, NOON)[2] == ["lunch"]
    assert playing(rules, HANOI, local(HANOI, 2026, 3, 4, 13))[2] == ["low"]


def test_equal_priority_merges_by_id_and_dedupes_keys():
    rules = [
        rule(7, "b", "shared", "c"),
        rule(3, "a", "shared"),
        rule(9, "shared", "d", priority=1),
    ]
    assert playing(rules, HANOI, NOON) == ("normal", 10, ["a", "shared", "b", "c"], (3, 7))


def test_repeats_inside_one_playlist_are_kept():
    rules = [rule(1, "a", "b", "a"), rule(2, "a", "c")]
    assert playing(rules, HANOI, NOON)[2] == ["a", "b", "a", "c"]


def test_first_occurrence_wins_on_duplicate_key():
    first = Rule(1, (Item("x", 5),), utc(2026, 1, 1))
    second = Rule(2, (Item("x", 30), Item("y", 10)), utc(2026, 1, 1))
    seg = timeline([second, first], HANOI, FALLBACK, NOON, NOON.replace(minute=1))[0]
    assert [(i.key, i.duration_s) for i in seg.items] == [("x", 5), ("y", 10)]


def test_emergency_beats_any_priority():
    rules = [rule(1, "top", priority=100), rule(2, "alert", priority=0, emergency=True)]
    assert playing(rules, HANOI, NOON) == ("emergency", 0, ["alert"], (2,))


def test_emergencies_rank_among_themselves_by_priority():
    rules = [rule(1, "a", priority=0, emergency=True), rule(2, "b", priority=3, emergency=True)]
    assert playing(rules, HANOI, NOON) == ("emergency", 3, ["b"], (2,))


def test_emergency_and_normal_of_same_priority_do_not_merge():
    rules = [rule(1, "normal", priority=10), rule(2, "alert", priority=10, emergency=True)]
    assert playing(rules, HANOI, NOON)[2] == ["alert"]


def test_rule_without_valid_items_shadows_nothing():
    expired = Item("old", 10, valid_until=utc(2026, 2, 1))
    rules = [Rule(1, (expired,), utc(2026, 1, 1), priority=90), rule(2, "live")]
    assert playing(rules, HANOI, NOON)[2] == ["live"]
    assert playing(rules, HANOI, local(HANOI, 2026, 1, 15))[2] == ["old"]


def test_invalid_items_are_dropped_from_the_rotation():
    items = (Item("later", 10, valid_from=utc(2026, 6, 1)), Item("now", 10))
    assert playing([Rule(1, items, utc(2026, 1, 1))], HANOI, NOON)[2] == ["now"]


def test_item_expiry_splits_a_segment():
    expiry = local(HANOI, 2026, 3, 4, 12, 30)
    items = (Item("a", 10), Item("b", 10, valid_until=expiry))
    rules = [Rule(1, items, utc(2026, 1, 1), time_from=time(9), time_to=time(17))]
    segs = timeline(
        rules, HANOI, FALLBACK, local(HANOI, 2026, 3, 4, 10), local(HANOI, 2026, 3, 4, 16)
    )
    assert spans(segs)[:2] == [
        (local(HANOI, 2026, 3, 4, 9), expiry, ["a", "b"]),
        (expiry, local(HANOI, 2026, 3, 4, 17), ["a"]),
    ]


def test_last_item_expiring_hands_over_to_the_layer_below():
    expiry = local(HANOI, 2026, 3, 4, 12, 30)
    high = Rule(1, (Item("news", 10, valid_until=expiry),), utc(2026, 1, 1), priority=50)
    segs = timeline([high, rule(2, "base")], HANOI, FALLBACK, NOON, NOON.replace(hour=14))
    assert [(s.end, [i.key for i in s.items]) for s in segs][:1] == [(expiry, ["news"])]
    assert segs[1].start == expiry and [i.key for i in segs[1].items] == ["base"]


def test_fallback_when_nothing_applies():
    rules = [rule(1, "later", starts_at=utc(2027, 1, 1))]
    assert playing(rules, HANOI, NOON) == ("fallback", -1, ["fallback"], ())


def test_fallback_items_respect_validity():
    fallback = (Item("old", 10, valid_until=utc(2026, 2, 1)), Item("new", 10))
    assert playing([], HANOI, NOON, fallback)[2] == ["new"]


def test_fallback_all_invalid_plays_whole_list():
    fallback = (
        Item("old", 10, valid_until=utc(2026, 2, 1)),
        Item("soon", 10, valid_from=utc(2027, 1, 1)),
    )
    assert playing([], HANOI, NOON, fallback)[2] == ["old", "soon"]


def test_empty_fallback_is_an_error():
    with pytest.raises(RuleError) as info:
        timeline([rule(1, "a")], HANOI, (), NOON, NOON.replace(hour=13))
    assert (info.value.field, info.value.code) == ("fallback", "no_playable_item")


def test_bad_arguments_are_errors():
    with pytest.raises(RuleError) as info:
        timeline([], HANOI, FALLBACK, NOON, NOON)
    assert (info.value.field, info.value.code) == ("end", "not_after")
    with pytest.raises(RuleError) as info:
        timeline([], HANOI, FALLBACK, NOON.replace(tzinfo=None), NOON.replace(hour=13))
    assert (info.value.field, info.value.code) == ("start", "missing_utc_offset")
    assert isinstance(info.value, ValueError)  # callers may catch either


def test_rule_that_never_recurs_is_tolerated_and_never_plays():
    dead = rule(1, "never", rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", priority=90)
    assert playing([dead, rule(2, "live")], HANOI, NOON)[2] == ["live"]


def test_item_without_duration_is_skipped_not_fatal():
    rules = [Rule(1, (Item("zero", 0), Item("ok", 5)), utc(2026, 1, 1))]
    assert playing(rules, HANOI, NOON)[2] == ["ok"]


def test_extreme_instants_do_not_overflow():
    fallback = (Item("old", 10, valid_from=datetime(1, 1, 1, tzinfo=UTC)),)
    segs = timeline([rule(1, "x", ends_at=utc(9999, 1, 2))], HANOI, fallback, NOON, utc(9998, 1, 1))
    assert segs[-1].end == utc(9999, 1, 2)
