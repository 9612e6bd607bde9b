"""The daypart service: the seeded catalogue, and rules built from dayparts and exception dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from signage import scheduling
from signage.models import Manifest
from signage.models.programming import Daypart
from signage.services import boards, dayparts, manifests, programming, slides
from signage.services.errors import Conflict, ValidationFailed
from signage.services.layouts import current_layouts
from signage.services.timelines import BoardInputs, rule_for

# Thursday 26 November 2026, 15:00 in Hà Nội.
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
OFFICE_HOURS = "Giờ hành chính"


def _names(session) -> list[str]:
    return list(session.scalars(select(Daypart.name).order_by(Daypart.id)))


def test_the_standard_catalogue_is_seeded_once_and_stays_the_staffs(session):
    assert session.scalar(select(func.count()).select_from(Daypart)) == 0
    listed = dayparts.list_dayparts(session)
    assert [d.name for d in listed] == [d.name for d in scheduling.STANDARD_DAYPARTS]
    assert [d.pattern() for d in listed] == list(scheduling.STANDARD_DAYPARTS)
    dayparts.ensure_standard_dayparts(session)
    assert len(_names(session)) == len(scheduling.STANDARD_DAYPARTS)
    # A renamed standard daypart is not brought back.
    office = next(d for d in listed if d.name == OFFICE_HOURS)
    dayparts.update_daypart(session, office, {"name": "Giờ làm việc", "days": [1, 2, 3]}, None)
    dayparts.list_dayparts(session)
    assert OFFICE_HOURS not in _names(session) and "Giờ làm việc" in _names(session)


def test_daypart_input_is_checked_field_by_field(session):
    with pytest.raises(ValidationFailed) as caught:
        dayparts.create_daypart(session, {"name": "Ca", "time_from": "07:00"}, None)
    assert caught.value.details == [{"field": "time_to", "code": "times_go_together"}]
    with pytest.raises(Conflict) as conflict:
        dayparts.create_daypart(session, {"name": " buổi sáng "}, None)
    assert (conflict.value.code, conflict.value.params) == (
        "daypart_name_taken",
        {"name": "Buổi sáng"},
    )


@pytest.fixture
def setting(session):
    board, _ = boards.create_board(session, "Bảng", 384, 192, None, [])
    layout = next(x.id for x in current_layouts(session) if x.key == "announcement")
    slide = slides.create_slide(session, {"layout_id": layout, "fields": {"title": "T"}}, None)
    slides.submit(session, slide, None)
    slides.approve(session, slide, None)
    playlist = programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": slide.id}]}, None
    )
    office = next(d for d in dayparts.list_dayparts(session) if d.name == OFFICE_HOURS)
    return {"board": board, "playlist": playlist, "office": office}


def _schedule(session, setting, **extra):
    body = {
        "playlist_id": setting["playlist"].id,
        "targets": {"boards": [setting["board"].id]},
        "starts_at": "2026-01-01T00:00:00+07:00",
        **extra,
    }
    return programming.create_schedule(session, body, None)


def test_a_rule_carries_its_daypart_and_exception_dates(session, setting):
    schedule = _schedule(
        session, setting, daypart_id=setting["office"].id, exdates=["2026-12-31", "2026-09-02"]
    )
    assert (schedule.days, schedule.time_from) == (None, None)  # the reference is kept
    assert schedule.exdates == ["2026-09-02", "2026-12-31"]
    rule = rule_for(schedule)
    assert rule.days == frozenset(range(1, 6))
    assert (rule.time_from, rule.time_to) == (time(7, 30), time(17))
    assert rule.exdates == frozenset({date(2026, 12, 31), date(2026, 9, 2)})


def test_the_manifest_batch_builds_daypart_windows(session, runtime, setting):
    schedule = _schedule(session, setting, daypart_id=setting["office"].id)
    manifests.refresh_due(session, runtime.store, 48, 30, now=NOW)
    body = session.get(Manifest, setting["board"].id).body
    playing = [s for s in body["segments"] if s["schedule_ids"] == [schedule.id]]
    # Thursday 07:30-17:00 and Friday 07:30-17:00 local, in UTC.
    assert [(s["start"], s["end"]) for s in playing] == [
        ("2026-11-26T00:30:00Z", "2026-11-26T10:00:00Z"),
        ("2026-11-27T00:30:00Z", "2026-11-27T10:00:00Z"),
    ]


def test_a_daypart_that_clashes_with_an_rrule_plays_nowhere_instead_of_failing(
    session, runtime, setting
):
    evening = next(d for d in dayparts.list_dayparts(session) if d.name == "Buổi tối")
    schedule = _schedule(session, setting, daypart_id=evening.id, rrule="FREQ=WEEKLY;BYDAY=TH")
    evening.days = "1,2"  # changed behind the service's back
    session.flush()
    assert scheduling.validate_rule(rule_for(schedule), "Asia/Ho_Chi_Minh")
    rules, _zone, _fallback = BoardInputs(session, [setting["board"]]).of(setting["board"])
    assert rules == ()
    assert manifests.refresh_due(session, runtime.store, 48, 30, now=NOW) == 1
