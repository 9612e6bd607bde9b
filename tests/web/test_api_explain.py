""" "What plays on board X at 23:30 on 31 December, and why?" The answer, the timeline and the
manifest agree."""

from __future__ import annotations

from datetime import datetime

from api_helpers import assert_error
from campaign_helpers import setup_campaigns


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_new_years_eve_at_23_30(api):
    board, _, ids, slides = setup_campaigns(api)
    at = "2026-12-31T23:30:00+07:00"  # a Thursday
    answer = api.ok("GET", f"/boards/{board['id']}/explain?at={at.replace('+', '%2B')}", "viewer")
    assert answer["schedule_ids"] == [ids["night"]]
    assert answer["item"]["slide_id"] == slides["night"]
    why = {s["schedule_id"]: s for s in answer["schedules"]}
    assert why[ids["night"]]["status"] == "playing"
    assert why[ids["office"]]["status"] == "inactive"
    assert why[ids["office"]]["reason"] == "outside_window"
    assert why[ids["weekend"]]["reason"] == "not_weekday"
    assert why[ids["office"]]["name"] == "Giờ hành chính"

    timeline = api.ok(
        "GET",
        f"/boards/{board['id']}/timeline?from=2026-12-31T16:00:00Z&to=2026-12-31T18:00:00Z",
        "viewer",
    )
    t = parse(at)
    segment = next(s for s in timeline["segments"] if parse(s["start"]) <= t < parse(s["end"]))
    assert [i["slide_id"] for i in segment["items"]] == [slides["night"]]
    assert answer["segment"] == {"start": segment["start"], "end": segment["end"]}


def test_a_higher_priority_schedule_is_named_as_the_shadow(api):
    board, _, ids, slides = setup_campaigns(api)
    at = "2027-01-01T01:00:00%2B07:00"  # Friday 01:00: the night window began on Thursday
    answer = api.ok("GET", f"/boards/{board['id']}/explain?at={at}", "viewer")
    assert answer["item"]["slide_id"] == slides["night"]
    at = "2027-01-02T23:00:00%2B07:00"  # Saturday 23:00: weekend and night overlap
    answer = api.ok("GET", f"/boards/{board['id']}/explain?at={at}", "viewer")
    why = {s["schedule_id"]: s for s in answer["schedules"]}
    assert answer["schedule_ids"] == [ids["night"]]
    assert why[ids["weekend"]]["status"] == "shadowed"
    # The reason names the winner and is worded in the request's language (Vietnamese first).
    assert why[ids["weekend"]]["message"] == "Bị Ban đêm che khuất (ưu tiên 30 > 10)"
    assert why[ids["night"]]["message"] == "Đang phát ở mức ưu tiên 30"
    english = api.ok(
        "GET",
        f"/boards/{board['id']}/explain?at={at}",
        "viewer",
        headers={"Accept-Language": "en"},
    )
    words = {s["schedule_id"]: s["message"] for s in english["schedules"]}
    assert words[ids["weekend"]] == "Shadowed by Ban đêm (priority 30 over 10)"
    assert words[ids["office"]] == "Outside its hours (07:30–17:00)"
    assert [s["reason"] for s in english["schedules"]] == [s["reason"] for s in answer["schedules"]]


def test_the_api_and_the_admin_page_give_the_same_reasons(api, as_role):
    board, _, ids, _ = setup_campaigns(api)
    at = "2026-12-31T23:30"  # a Thursday night, in the board's zone
    answer = api.ok("GET", f"/boards/{board['id']}/explain?at={at}%2B07:00", "viewer")
    html = as_role("viewer").get(f"/boards/{board['id']}/explain?at={at}").get_data(as_text=True)
    messages = {s["schedule_id"]: s["message"] for s in answer["schedules"]}
    assert messages[ids["weekend"]] == "Không phát vào thứ này (Thứ Năm)"
    for message in messages.values():
        assert message.replace(">", "&gt;") in html


def test_explain_refuses_a_bad_instant(api):
    board = api.board()
    response = api.get(f"/boards/{board['id']}/explain?at=tomorrow", role="viewer")
    assert_error(response, 422, "at", "not_a_datetime")
