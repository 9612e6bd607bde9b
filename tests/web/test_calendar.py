""" "What plays here and why" in the admin, week calendars of a board and a group, and the
iCalendar feeds with their ?token= access."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from campaign_helpers import setup_campaigns

from signage import wording
from signage.models import Board
from signage.services import calendar as calendars

LONG_NAME = "Tuyên truyền Nghị quyết 49 về chuyển đổi số tỉnh Lạng Sơn — khung giờ hành chính"


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    return re.sub(r"\s+", " ", html)


# --- what plays here and why --------------------------------------------------------------


def test_explain_page_names_the_winner_and_the_shadowed_in_vietnamese(api, as_role):
    board, _, ids, slides = setup_campaigns(api)
    client = as_role("viewer")
    # Saturday 2 January 2027, 23:00 in Hanoi: the weekend and the night both run.
    html = text_of(client.get(f"/boards/{board['id']}/explain?at=2027-01-02T23:00"))
    assert "Đang phát gì và vì sao" in html
    assert 'value="2027-01-02T23:00"' in html
    winner = html[html.index('id="h-winner"') : html.index('id="h-others"')]
    assert "Ban đêm" in winner and "Đang phát ở mức ưu tiên 30" in winner
    assert f"#schedule-{ids['night']}" in winner
    others = html[html.index('id="h-others"') :]
    assert "Bị che khuất" in others
    assert "Bị Ban đêm che khuất (ưu tiên 30 &gt; 10)" in others
    assert "Ngoài khung giờ phát (07:30–17:00)" in others  # office hours, on a Saturday night
    assert f"/api/v1/slides/{slides['night']}/render?width=384&amp;height=192" in html


def test_explain_page_gives_weekday_and_emergency_reasons(api, as_role):
    board, district, ids, slides = setup_campaigns(api)
    alert = api.approved_slide("Cảnh báo lũ")["id"]
    api.schedule(
        api.playlist([alert])["id"], groups=[district["id"]], name="Báo động lũ", kind="emergency"
    )
    html = text_of(as_role("editor").get(f"/boards/{board['id']}/explain?at=2026-12-31T10:00"))
    assert "Báo động lũ" in html[html.index('id="h-winner"') : html.index('id="h-others"')]
    assert "Bị lịch khẩn cấp Báo động lũ che khuất" in html
    assert "Khẩn cấp: phát trên mọi lịch phát khác" in html
    assert "Không phát vào thứ này (Thứ Năm)" in html  # weekend schedule on a Thursday


def test_explain_page_words_its_reasons_in_the_chosen_language(api, as_role):
    board, _, ids, _ = setup_campaigns(api)
    client = as_role("viewer", "en")
    html = text_of(client.get(f"/boards/{board['id']}/explain?at=2027-01-02T23:00"))
    others = html[html.index('id="h-others"') :]
    assert "Shadowed by Ban đêm (priority 30 over 10)" in others
    assert "Outside its hours (07:30–17:00)" in others
    thursday = text_of(client.get(f"/boards/{board['id']}/explain?at=2026-12-31T10:00"))
    assert "Does not play on this weekday (Thursday)" in thursday


@pytest.mark.parametrize("locale", wording.LOCALES)
def test_every_weekday_a_reason_may_name_has_words(locale):
    names = [wording.describe(f"weekday_{day}", {}, locale) for day in range(1, 8)]
    assert len(set(names)) == 7 and not any(name.startswith("weekday_") for name in names)


def test_explain_page_refuses_a_bad_time_and_shows_now(api, as_role):
    board = api.board()
    response = as_role("viewer").get(f"/boards/{board['id']}/explain?at=ngày-mai")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nội dung dự phòng" in html  # nothing scheduled: fallback, for ever
    assert "từ trước tới nay → không giới hạn" in html


def test_explain_page_of_an_unknown_board_is_404(as_role):
    assert as_role("viewer").get("/boards/999/explain").status_code == 404


# --- week calendars -----------------------------------------------------------------------


def test_week_blocks_fill_each_local_day_exactly(api, session):

    board, _, ids, _ = setup_campaigns(api, timezone="Europe/Berlin")
    week = calendars.week(session, session.get(Board, board["id"]), date(2027, 3, 22))
    assert [d.day.isoweekday() for d in week.days] == [1, 2, 3, 4, 5, 6, 7]
    for day in week.days:
        assert abs(sum(b.height for b in day.blocks) - 100) < 0.01
        for before, after in zip(day.blocks, day.blocks[1:], strict=False):
            assert before.end == after.start
    sunday = week.days[6]  # 28 March 2027: Berlin's clocks go forward, a 23-hour day
    night_start = next(b for b in sunday.blocks if b.names == ("Ban đêm",) and b.start.hour == 22)
    assert abs(night_start.top - 21 / 23 * 100) < 0.01
    monday = week.days[0]
    office = next(b for b in monday.blocks if ids["office"] in b.schedule_ids)
    assert (office.start.strftime("%H:%M"), office.end.strftime("%H:%M")) == ("07:30", "17:00")
    assert office.titles == ("Hành chính",)


def test_board_calendar_shows_the_weeks_segments(api, as_role):
    board, *_ = setup_campaigns(api)
    client = as_role("viewer")
    html = text_of(client.get(f"/boards/{board['id']}/calendar?week=2026-12-30"))
    assert "28/12/2026 – 03/01/2027" in html  # snapped to the Monday
    assert html.count("07:30–17:00") >= 5  # office hours, Monday to Friday
    assert "Giờ hành chính" in html and "Cuối tuần" in html and "Ban đêm" in html
    assert "22:00–00:00" in html and "00:00–02:00" in html  # the night window crosses midnight
    assert "cal-block kind-fallback" in html and "Nội dung dự phòng" in html
    assert "week=2026-12-21" in html and "week=2027-01-04" in html
    assert f"/api/v1/boards/{board['id']}/calendar.ics" in html
    assert text_of(client.get(f"/boards/{board['id']}/calendar?week=rubbish"))


def test_group_calendar_shows_group_and_ancestor_schedules_only(api, as_role):
    province = api.group("Tỉnh Lạng Sơn")
    district = api.group("Huyện Cao Lộc", province["id"])
    berlin = api.board("Bảng Berlin", groups=[district["id"]], timezone="Europe/Berlin")
    api.board("Bảng Berlin 2", groups=[district["id"]], timezone="Europe/Berlin")
    api.board("Bảng Hà Nội", groups=[district["id"]])
    slide = api.approved_slide("Ngày hội chuyển đổi số")["id"]
    playlist = api.playlist([slide])["id"]
    api.schedule(
        playlist, groups=[province["id"]], name="Lịch toàn tỉnh", time_from="08:00", time_to="12:00"
    )
    api.schedule(playlist, boards=[berlin["id"]], name="Chỉ một bảng", priority=50)
    client = as_role("viewer")
    html = text_of(client.get(f"/groups/{district['id']}/calendar?week=2027-01-04"))
    assert "Huyện Cao Lộc" in html and "Europe/Berlin" in html
    assert html.count('cal-time">08:00–12:00') == 7 and "Lịch toàn tỉnh" in html
    assert "Chỉ một bảng" not in html
    assert f"/boards/{berlin['id']}/calendar?week=2027-01-04" in html
    assert client.get("/groups/999/calendar").status_code == 404


def test_calendar_links_from_board_and_group_pages(api, as_role):
    board = api.board()
    group = api.group("Thành phố")
    client = as_role("viewer")
    detail = text_of(client.get(f"/boards/{board['id']}"))
    assert f"/boards/{board['id']}/explain" in detail
    assert f"/boards/{board['id']}/calendar" in detail
    assert f"/groups/{group['id']}/calendar" in text_of(client.get("/groups"))


# --- iCalendar feeds ----------------------------------------------------------------------


def feed_of(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.get_data()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    return icalendar.Calendar.from_ical(raw)


def test_board_feed_has_one_event_per_segment_for_14_days(api, users, client):
    board, _, ids, _ = setup_campaigns(api)
    slide = api.approved_slide("Khẩu hiệu")["id"]
    api.schedule(
        api.playlist([slide])["id"],
        boards=[board["id"]],
        name=LONG_NAME,
        time_from="12:00",
        time_to="13:00",
        priority=40,
    )
    url = f"/api/v1/boards/{board['id']}/calendar.ics?token={users['viewer'][1]}"
    feed = feed_of(client.get(url))
    assert str(feed["VERSION"]) == "2.0"
    events = list(feed.walk("VEVENT"))
    starts = [e.decoded("DTSTART") for e in events]
    ends = [e.decoded("DTEND") for e in events]
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in starts + ends)
    assert ends[-1] - starts[0] == timedelta(days=14)
    assert all(a == b for a, b in zip(ends, starts[1:], strict=False))  # contiguous, no gaps
    summaries = {str(e["SUMMARY"]) for e in events}
    assert {"Giờ hành chính", "Cuối tuần", "Ban đêm", LONG_NAME, "Nội dung dự phòng"} <= summaries
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert all(str(e["UID"]).startswith(f"board-{board['id']}-") for e in events)
    office = next(e for e in events if str(e["SUMMARY"]) == "Giờ hành chính")
    assert "Mức ưu tiên: 20" in str(office["DESCRIPTION"])
    assert "Hành chính" in str(office["DESCRIPTION"])
    again = feed_of(api.get(f"/boards/{board['id']}/calendar.ics", role="admin"))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]


def test_group_feed_uses_the_group_schedules(api, users, client):
    board, district, ids, _ = setup_campaigns(api)
    url = f"/api/v1/groups/{district['id']}/calendar.ics?token={users['designer'][1]}"
    events = list(feed_of(client.get(url)).walk("VEVENT"))
    summaries = {str(e["SUMMARY"]) for e in events}
    assert {"Giờ hành chính", "Cuối tuần"} <= summaries and "Ban đêm" not in summaries
    assert all(str(e["UID"]).startswith(f"group-{district['id']}-") for e in events)
    assert (
        client.get(f"/api/v1/groups/999/calendar.ics?token={users['viewer'][1]}").status_code == 404
    )


@pytest.mark.parametrize("kind", ["boards", "groups"])
def test_feed_access(api, users, client, kind):
    target = api.board() if kind == "boards" else api.group("Nhóm")
    path = f"/api/v1/{kind}/{target['id']}/calendar.ics"
    assert client.get(path).status_code == 401
    assert client.get(path + "?token=sai-ma-thong-bao").status_code == 401
    assert client.get(path + "?token=").status_code == 401
    for role in ("viewer", "admin"):
        assert client.get(f"{path}?token={users[role][1]}").status_code == 200
    assert api.get(path.removeprefix("/api/v1"), role="viewer").status_code == 200
    # the query token is accepted on the feeds only
    assert client.get(f"/api/v1/{kind}?token={users['viewer'][1]}").status_code == 401


def test_feed_window_starts_at_local_midnight(api, session):

    board = api.board(timezone="Asia/Ho_Chi_Minh")
    now = datetime(2027, 1, 5, 20, 0, tzinfo=UTC)  # 03:00 on the 6th in Hanoi
    events = calendars.feed_events(session, session.get(Board, board["id"]), "b", now)
    assert events[0].start == datetime(2027, 1, 5, 17, 0, tzinfo=UTC)
    assert events[-1].end == datetime(2027, 1, 19, 17, 0, tzinfo=UTC)
