"""Hypothesis strategies and a pointwise oracle shared by the scheduling property tests.

The oracle re-states the contract's semantics directly (one instant at a time, no sweep, no
caches), so the engine is checked against an independent reading of the rules.
"""

import os
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from signage.scheduling import Item, Rule

ZONES = ["UTC", "Europe/Berlin", "Asia/Ho_Chi_Minh", "America/New_York"]
RRULES = [
    "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
    "FREQ=WEEKLY;BYDAY=SA,SU",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
]
BASE = datetime(2026, 3, 20, tzinfo=UTC)  # spans the spring DST changes of Berlin and New York
KEYS = ["a", "b", "c", "d"]


def hours(lo_days: int, hi_days: int):
    return st.integers(lo_days * 24, hi_days * 24).map(lambda h: BASE + timedelta(hours=h))


def mostly_none(strategy):
    return st.one_of(st.just(None), st.just(None), strategy)


instants = hours(-10, 20)
exception_dates = st.frozensets(
    st.integers(-16, 31).map(lambda d: BASE.date() + timedelta(days=d)), max_size=3
)
times = st.sampled_from([time(h, m) for h in (0, 2, 6, 9, 17, 22, 23) for m in (0, 30)])


@st.composite
def items(draw):
    key = draw(st.sampled_from(KEYS))
    valid_from, valid_until = draw(mostly_none(instants)), draw(mostly_none(instants))
    return Item(key, draw(st.integers(1, 30)), valid_from, valid_until)


@st.composite
def rules(draw, rule_id):
    starts_at = draw(hours(-15, 10))
    life = draw(mostly_none(st.integers(1, 20 * 24)))
    window = draw(st.none() | st.tuples(times, times))
    recurrence = draw(st.sampled_from(["every", "days", "rrule"]))
    return Rule(
        rule_id,
        tuple(draw(st.lists(items(), min_size=1, max_size=3))),
        starts_at,
        None if life is None else starts_at + timedelta(hours=life),
        draw(st.frozensets(st.integers(1, 7), min_size=1)) if recurrence == "days" else None,
        window[0] if window else None,
        window[1] if window else None,
        draw(st.sampled_from(RRULES)) if recurrence == "rrule" else None,
        draw(st.sampled_from([0, 10, 10, 50])),
        draw(st.integers(0, 5)) == 0,
        draw(st.one_of(st.just(frozenset()), exception_dates)),
    )


@st.composite
def boards(draw):
    count = draw(st.integers(0, 5))
    rule_list = [draw(rules(rule_id)) for rule_id in range(1, count + 1)]
    fallback = tuple(draw(st.lists(items(), min_size=1, max_size=2)))
    start = draw(hours(-5, 20))
    end = start + timedelta(hours=draw(st.integers(1, 72)))
    return rule_list, draw(st.sampled_from(ZONES)), fallback, start, end


def _counted(rule: Rule, day: date, zone: ZoneInfo) -> bool:
    if day in rule.exdates:
        return False
    if rule.rrule:
        dtstart = rule.starts_at.astimezone(zone).replace(tzinfo=None)
        lo = datetime.combine(day, time(0))
        return bool(
            rrulestr(rule.rrule, dtstart=dtstart).between(
                lo, lo + timedelta(hours=24) - timedelta(microseconds=1), inc=True
            )
        )
    return rule.days is None or day.isoweekday() in rule.days


def _window(rule: Rule, day, zone: ZoneInfo):
    t_from, t_to = rule.time_from or time(0), rule.time_to or time(0)
    end_day = day if t_to > t_from else day + timedelta(days=1)
    start = datetime.combine(day, t_from, tzinfo=zone).astimezone(UTC)
    return start, datetime.combine(end_day, t_to, tzinfo=zone).astimezone(UTC)


def oracle_active(rule: Rule, tz: str, t: datetime) -> bool:
    if t < rule.starts_at or (rule.ends_at is not None and t >= rule.ends_at):
        return False
    zone = ZoneInfo(tz)
    today = t.astimezone(zone).date()
    for day in (today - timedelta(days=1), today):
        start, end = _window(rule, day, zone)
        if _counted(rule, day, zone) and start <= t < end:
            return True
    return False


def valid(item: Item, t: datetime) -> bool:
    return (item.valid_from is None or item.valid_from <= t) and (
        item.valid_until is None or t < item.valid_until
    )


def oracle(rule_list, tz, fallback, t):
    live = [r for r in rule_list if oracle_active(r, tz, t) and any(valid(i, t) for i in r.items)]
    if not live:
        chosen = [i for i in fallback if valid(i, t)] or list(fallback)
        return "fallback", -1, [i.key for i in chosen], ()
    top = max((r.emergency, r.priority) for r in live)
    winners = sorted((r for r in live if (r.emergency, r.priority) == top), key=lambda r: r.id)
    keys, seen = [], set()
    for r in winners:
        mine = [i.key for i in r.items if valid(i, t)]
        keys += [k for k in mine if k not in seen]
        seen.update(mine)
    return ("emergency" if top[0] else "normal"), top[1], keys, tuple(r.id for r in winners)


def probe(start, end, fraction):
    """An instant inside [start, end) (rounding never lands on ``end``)."""
    return min(start + (end - start) * fraction, end - timedelta(microseconds=1))


def segment_at(segments, t):
    (seg,) = [s for s in segments if s.start <= t < s.end]
    return seg


# SCHED_EXAMPLES=3000 for a long hunt; the default keeps the suite fast.
FAST = settings(
    max_examples=int(os.environ.get("SCHED_EXAMPLES", "70")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
