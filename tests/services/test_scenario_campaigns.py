"""The scheduling issue's user story, end to end through the services: an office-hours campaign,
a weekend campaign, a "last Friday of the month" reminder and an emergency notice on one
district's group. What board X shows at 23:30 on 31 December, and why, is answered the same way
by "explain", the manifest, the week calendar and the iCalendar feed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from signage.services import boards, calendar, dayparts, manifests, programming, slides, timelines

HANOI = "+07:00"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text + HANOI)


def _approved_slide(session, title: str) -> int:
    layout = next(x.id for x in _layouts(session) if x.key == "announcement")
    slide = slides.create_slide(session, {"layout_id": layout, "fields": {"title": title}}, None)
    slides.submit(session, slide, None)
    slides.approve(session, slide, None)
    return slide.id


def _layouts(session):
    from signage.services.layouts import current_layouts

    return current_layouts(session)


def _schedule(session, title: str, group_id: int, **when) -> dict:
    slide_id = _approved_slide(session, title)
    playlist = programming.create_playlist(
        session, {"name": title, "items": [{"slide_id": slide_id}]}, None
    )
    data = {"playlist_id": playlist.id, "targets": {"groups": [group_id]}, "name": title}
    data.setdefault("starts_at", "2026-12-01T00:00:00+07:00")
    schedule = programming.create_schedule(session, {**data, **when}, None)
    return {"schedule": schedule.id, "slide": slide_id}


@pytest.fixture
def campaign(session):
    district = boards.create_group(session, "Huyện Cao Lộc")
    board, _ = boards.create_board(
        session, "UBND xã Hợp Thành", 1920, 1080, "Asia/Ho_Chi_Minh", [district.id]
    )
    office = next(d for d in dayparts.list_dayparts(session) if d.name == "Giờ hành chính")
    made = {
        "office": _schedule(
            session,
            "Chuyển đổi số trong giờ hành chính",
            district.id,
            daypart_id=office.id,
            priority=20,
        ),
        "weekend": _schedule(
            session,
            "Cuối tuần cùng dịch vụ công trực tuyến",
            district.id,
            days=[6, 7],
            priority=10,
        ),
        "last_friday": _schedule(
            session,
            "Nhắc việc cuối tháng",
            district.id,
            rrule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
            time_from="15:00",
            time_to="17:00",
            priority=30,
        ),
        "emergency": _schedule(
            session,
            "Cảnh báo rét đậm, rét hại",
            district.id,
            kind="emergency",
            starts_at="2026-12-31T20:00:00+07:00",
            ends_at="2027-01-01T06:00:00+07:00",
        ),
    }
    session.commit()
    return board, made


def _playing(session, board, at: datetime) -> tuple[tuple[int, ...], int]:
    answer = timelines.explain_board(session, board, at).answer
    return answer.schedule_ids, answer.item.key[0]


def test_new_years_eve_at_23_30_answers_agree(session, runtime, campaign):
    board, made = campaign
    at = _at("2026-12-31T23:30:00")
    emergency = made["emergency"]

    answer = timelines.explain_board(session, board, at).answer
    assert answer.kind == "emergency"
    assert answer.schedule_ids == (emergency["schedule"],)
    assert answer.item.key[0] == emergency["slide"]

    built = manifests.build(session, runtime.store, board, _at("2026-12-31T12:00:00"), 48, 30)
    segment = next(
        s
        for s in built.body["segments"]
        if datetime.fromisoformat(s["start"].replace("Z", "+00:00"))
        <= at
        < datetime.fromisoformat(s["end"].replace("Z", "+00:00"))
    )
    assert [item["slide_id"] for item in segment["items"]] == [emergency["slide"]]

    week = calendar.week(session, board, date(2026, 12, 28))
    thursday = next(day for day in week.days if day.day == date(2026, 12, 31))
    block = next(b for b in thursday.blocks if b.start <= at < b.end)
    assert block.kind == "emergency" and block.schedule_ids == (emergency["schedule"],)
    assert block.names == ("Cảnh báo rét đậm, rét hại",)

    events = calendar.feed_events(session, board, "board-x", now=_at("2026-12-30T09:00:00"))
    event = next(e for e in events if e.start <= at < e.end)
    assert event.kind == "emergency" and event.names == ("Cảnh báo rét đậm, rét hại",)


def test_the_other_campaigns_say_why_they_do_not_play_then(session, campaign):
    board, made = campaign
    told = timelines.explain_board(session, board, _at("2026-12-31T23:30:00"))
    status = {r.rule_id: r for r in told.answer.rules}
    reasons = {name: status[made[name]["schedule"]].reason for name in made}
    assert reasons == {
        "emergency": "playing",
        "office": "outside_window",  # a Thursday, but after 17:00
        "weekend": "not_weekday",
        "last_friday": "outside_window",  # 15:00–17:00 is named first
    }
    # The same answer as staff read it: schedules by name, the daypart's hours, local dates.
    assert [s.name for s in told.winners] == ["Cảnh báo rét đậm, rét hại"]
    by_name = {s.name: s.problem.as_dict() for s in told.others}
    assert by_name["Chuyển đổi số trong giờ hành chính"] == {
        "code": "outside_hours",
        "time_from": "07:30",
        "time_to": "17:00",
    }
    assert by_name["Cuối tuần cùng dịch vụ công trực tuyến"] == {
        "code": "not_weekday",
        "date": "31/12/2026",
        "weekday_code": "weekday_4",
    }
    at_four = timelines.explain_board(session, board, _at("2026-12-31T16:00:00")).answer
    reason = {r.rule_id: r.reason for r in at_four.rules}[made["last_friday"]["schedule"]]
    assert reason == "not_recurrence_date"  # the last Friday of December was the 25th


@pytest.mark.parametrize(
    "at, expected",
    [
        ("2026-12-25T16:00:00", "last_friday"),  # the last Friday of December
        ("2026-12-18T16:00:00", "office"),  # an ordinary Friday afternoon
        ("2027-01-29T16:00:00", "last_friday"),  # the last Friday of January
        ("2027-01-29T17:30:00", None),  # after both windows: the fallback
        ("2027-01-02T10:00:00", "weekend"),  # a Saturday
        ("2027-01-01T05:59:00", "emergency"),  # the notice runs until 06:00
        ("2027-01-01T06:00:00", None),  # half-open: at 06:00 it is over; office hours not yet
        ("2027-01-01T08:00:00", "office"),
    ],
)
def test_each_campaign_plays_when_and_only_when_it_should(session, campaign, at, expected):
    board, made = campaign
    schedule_ids, slide_id = _playing(session, board, _at(at))
    if expected is None:
        assert not schedule_ids
        return
    assert schedule_ids == (made[expected]["schedule"],)
    assert slide_id == made[expected]["slide"]
