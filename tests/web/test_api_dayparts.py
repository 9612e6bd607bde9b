"""Exception dates and named dayparts on schedules, through the admin API."""

from __future__ import annotations

import pytest
from api_helpers import ALWAYS, assert_error, count, player, refusals
from sqlalchemy import select

from signage.models import AuditEntry, Manifest, Schedule, ScheduleTarget
from signage.models.programming import Daypart

# Monday 7 January 2030 .. in Hà Nội time (the boards' default zone).
MONDAY = "2030-01-07T00:00:00+07:00"
WEDNESDAY = "2030-01-09T00:00:00+07:00"
FRIDAY = "2030-01-11T00:00:00+07:00"
NEXT_TUESDAY = "2030-01-15T00:00:00+07:00"
OFFICE_HOURS = "Giờ hành chính"


def _q(instant: str) -> str:
    return instant.replace("+", "%2B")


def _windows(api, board: dict, slide: int, start: str, end: str) -> list[tuple[str, str]]:
    path = f"/boards/{board['id']}/timeline?from={_q(start)}&to={_q(end)}"
    segments = api.ok("GET", path, "viewer")["segments"]
    playing = [s for s in segments if slide in [i["slide_id"] for i in s["items"]]]
    return [(s["start"], s["end"]) for s in playing]


def _daypart(api, name: str) -> dict:
    return next(d for d in api.ok("GET", "/dayparts", "viewer")["dayparts"] if d["name"] == name)


@pytest.fixture
def programme(api, board):
    slide = api.approved_slide("Lịch tiếp công dân")["id"]
    return {"board": board, "slide": slide, "playlist": api.playlist([slide])["id"]}


def _body(programme: dict, **change) -> dict:
    return {
        "playlist_id": programme["playlist"],
        "targets": {"boards": [programme["board"]["id"]]},
        "starts_at": ALWAYS,
        **change,
    }


# Exception dates ------------------------------------------------------------------------------


def test_an_exception_date_skips_one_office_hours_window(api, programme):
    created = api.created(
        "/schedules",
        _body(
            programme,
            days=[1, 2, 3, 4, 5],
            time_from="07:30",
            time_to="17:00",
            exdates=["2030-01-07", "2029-12-31", "2030-01-07"],
        ),
        role="editor",
    )
    assert created["exdates"] == ["2029-12-31", "2030-01-07"]  # sorted, once each
    assert api.ok("GET", "/schedules", "viewer")["schedules"] == [created]
    windows = _windows(api, programme["board"], programme["slide"], MONDAY, WEDNESDAY)
    # Monday is skipped; Tuesday plays 07:30-17:00 local (00:30-10:00 UTC).
    assert windows == [("2030-01-08T00:30:00Z", "2030-01-08T10:00:00Z")]


def test_an_exception_date_is_the_day_a_night_window_starts(api, programme):
    api.created(
        "/schedules",
        _body(programme, time_from="22:00", time_to="06:00", exdates=["2030-01-07"]),
        role="editor",
    )
    windows = _windows(api, programme["board"], programme["slide"], MONDAY, WEDNESDAY)
    # Sunday night's window runs into Monday; Monday night's is skipped; Tuesday night's plays.
    assert windows == [
        ("2030-01-06T15:00:00Z", "2030-01-06T23:00:00Z"),
        ("2030-01-08T15:00:00Z", "2030-01-08T23:00:00Z"),
    ]


BAD_EXDATES = [
    ({"exdates": "2030-01-07"}, "exdates"),
    ({"exdates": {"2030-01-07": True}}, "exdates"),
    ({"exdates": ["2030-01-07", "2030-01-08", "31/12/2030"]}, "exdates[2]"),
    ({"exdates": ["2030-02-30"]}, "exdates[0]"),
    ({"exdates": ["2030-01-07", 20300108]}, "exdates[1]"),
    ({"exdates": ["20300107"]}, "exdates[0]"),
    ({"exdates": ["2030-01-07T00:00:00+07:00"]}, "exdates[0]"),
    ({"exdates": [None]}, "exdates[0]"),
    ({"exdates": ["2030-01-01"] * 367}, "exdates"),
]


def test_bad_exception_dates_are_refused_and_nothing_is_saved(api, runtime, programme):
    audit_before = count(runtime, AuditEntry)

    def send(change):
        return api.post("/schedules", role="editor", json=_body(programme, **change))

    assert refusals(BAD_EXDATES, send) == []
    bad = ["2030-01-07", "2030-01-08", "mai"]
    body = assert_error(send({"exdates": bad}), 422, "exdates[2]", "not_a_date")
    assert body["error"].startswith("exdates[2]: ") and "YYYY-MM-DD" in body["error"]
    # The limit the error quotes is the one the service applies.
    body = assert_error(send({"exdates": ["2030-01-01"] * 367}), 422, "exdates", "too_many")
    assert (body["details"][0]["count"], body["details"][0]["limit"]) == (367, 366)
    assert "367" in body["details"][0]["message"] and "366" in body["details"][0]["message"]
    assert count(runtime, Schedule) == 0 and count(runtime, ScheduleTarget) == 0
    assert count(runtime, AuditEntry) == audit_before


# Dayparts: catalogue, create, roles ----------------------------------------------------------


def test_the_standard_dayparts_are_listed_once(api):
    listed = api.ok("GET", "/dayparts", "viewer")["dayparts"]
    office = next(d for d in listed if d["name"] == OFFICE_HOURS)
    assert office["days"] == [1, 2, 3, 4, 5]
    assert (office["time_from"], office["time_to"]) == ("07:30", "17:00")
    assert {"Cuối tuần", "Ban đêm", "Cả ngày"} <= {d["name"] for d in listed}
    assert api.ok("GET", "/dayparts", "viewer")["dayparts"] == listed  # seeded once


def test_a_daypart_is_created_and_names_are_unique(api, runtime):
    body = {"name": "Giờ tiếp dân", "days": [4, 2], "time_from": "08:00", "time_to": "11:00"}
    created = api.created("/dayparts", body, role="editor")
    assert created["days"] == [2, 4] and (created["time_from"], created["time_to"]) == (
        "08:00",
        "11:00",
    )
    assert created in api.ok("GET", "/dayparts", "viewer")["dayparts"]
    total = count(runtime, Daypart)
    taken = assert_error(
        api.post("/dayparts", role="editor", json=body), 409, code="daypart_name_taken"
    )
    assert "Giờ tiếp dân" in taken["error"]
    assert_error(api.post("/dayparts", role="editor", json={**body, "name": "GIỜ TIẾP DÂN"}), 409)
    assert_error(api.post("/dayparts", role="editor", json={"name": OFFICE_HOURS}), 409)
    assert count(runtime, Daypart) == total
    every_day = api.created("/dayparts", {"name": "Cả ngày làm việc"}, role="editor")
    assert (every_day["days"], every_day["time_from"]) == (None, None)


BAD_DAYPARTS = [
    ({"name": ""}, "name"),
    ({"name": None}, "name"),
    ({"name": "x" * 81}, "name"),
    ({"days": []}, "days"),
    ({"days": [0]}, "days"),
    ({"days": "thứ hai"}, "days"),
    ({"time_from": "08:00"}, "time_to"),
    ({"time_to": "08:00"}, "time_from"),
    ({"time_from": "25:00", "time_to": "26:00"}, "time_from"),
    ({"time_from": "08:00", "time_to": 9}, "time_to"),
]


def test_bad_dayparts_are_refused_and_not_saved(api, runtime):
    api.ok("GET", "/dayparts", "viewer")
    total = count(runtime, Daypart)

    def send(change):
        return api.post("/dayparts", role="editor", json={"name": "Ca sáng", **change})

    assert refusals(BAD_DAYPARTS, send) == []
    raw = api.post("/dayparts", role="editor", data=b"[]", content_type="application/json")
    assert_error(raw, 422, "$")
    assert count(runtime, Daypart) == total


def test_viewers_list_dayparts_but_do_not_change_them(api, runtime):
    listed = api.ok("GET", "/dayparts", "viewer")["dayparts"]
    body = {"name": "Ca tối", "time_from": "18:00", "time_to": "21:00"}
    for role in ("viewer", "designer"):
        assert_error(api.post("/dayparts", role=role, json=body), 403)
        assert_error(api.put(f"/dayparts/{listed[0]['id']}", role=role, json=body), 403)
    assert_error(api.get("/dayparts", role=None), 401)
    assert count(runtime, Daypart) == len(listed)
    assert api.ok("GET", "/dayparts", "viewer")["dayparts"] == listed


# Dayparts on schedules ------------------------------------------------------------------------


def test_a_schedule_in_office_hours_plays_weekdays_0730_to_1700(api, programme):
    office = _daypart(api, OFFICE_HOURS)
    created = api.created("/schedules", _body(programme, daypart_id=office["id"]), role="editor")
    assert created["daypart_id"] == office["id"] and created["days"] is None
    windows = _windows(api, programme["board"], programme["slide"], FRIDAY, NEXT_TUESDAY)
    assert windows == [
        ("2030-01-11T00:30:00Z", "2030-01-11T10:00:00Z"),  # Friday
        ("2030-01-14T00:30:00Z", "2030-01-14T10:00:00Z"),  # Monday; nothing at the weekend
    ]


def test_a_daypart_and_exception_dates_combine(api, programme):
    office = _daypart(api, OFFICE_HOURS)
    body = _body(programme, daypart_id=office["id"], exdates=["2030-01-14"])
    api.created("/schedules", body, role="editor")
    windows = _windows(api, programme["board"], programme["slide"], FRIDAY, NEXT_TUESDAY)
    assert windows == [("2030-01-11T00:30:00Z", "2030-01-11T10:00:00Z")]


def test_a_daypart_with_its_own_window_or_a_bad_reference_is_refused(api, runtime, programme):
    office = _daypart(api, OFFICE_HOURS)["id"]
    evening = _daypart(api, "Buổi tối")["id"]
    cases = [
        ({"daypart_id": office, "days": [1, 2]}, "daypart_id"),
        ({"daypart_id": office, "time_from": "08:00", "time_to": "09:00"}, "daypart_id"),
        ({"daypart_id": office, "time_to": "09:00"}, "daypart_id"),
        ({"daypart_id": 424242}, "daypart_id"),
        ({"daypart_id": str(office)}, "daypart_id"),
        ({"daypart_id": True}, "daypart_id"),
        ({"daypart_id": 0}, "daypart_id"),
        # Office hours name weekdays; a schedule with an rrule cannot take them.
        ({"daypart_id": office, "rrule": "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1"}, "daypart_id"),
    ]

    def send(change):
        return api.post("/schedules", role="editor", json=_body(programme, **change))

    assert refusals(cases, send) == []
    clash = send({"daypart_id": office, "rrule": "FREQ=WEEKLY;BYDAY=MO"})
    body = assert_error(clash, 422, "daypart_id", "daypart_days_with_rrule")
    assert body["details"][0]["daypart"] == OFFICE_HOURS
    assert_error(send({"daypart_id": office, "days": [1]}), 422, "daypart_id", "daypart_and_window")
    assert_error(send({"daypart_id": 424242}), 422, "daypart_id", "unknown_daypart")
    assert count(runtime, Schedule) == 0 and count(runtime, ScheduleTarget) == 0
    # A daypart without days does combine with an rrule: the last Friday of the month, evening.
    body = _body(programme, daypart_id=evening, rrule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1")
    api.created("/schedules", body, role="editor")
    start, end = "2030-01-24T00:00:00+07:00", "2030-01-27T00:00:00+07:00"
    windows = _windows(api, programme["board"], programme["slide"], start, end)
    assert windows == [("2030-01-25T10:00:00Z", "2030-01-25T15:00:00Z")]


def _cached(runtime) -> set[int]:
    with runtime.db.sessions() as s:
        return set(s.scalars(select(Manifest.board_id)))


def test_editing_a_daypart_moves_its_schedules_and_rebuilds_only_their_boards(
    api, client, runtime, programme
):
    shift = api.created(
        "/dayparts",
        {"name": "Ca trực", "days": [1, 2, 3, 4, 5], "time_from": "08:00", "time_to": "10:00"},
        role="editor",
    )
    board, other = programme["board"], api.board("Bảng khác")
    api.created("/schedules", _body(programme, daypart_id=shift["id"]), role="editor")
    api.created(
        "/schedules",
        {
            **_body(programme, days=[1], time_from="08:00", time_to="10:00"),
            "targets": {"boards": [other["id"]]},
        },
        role="editor",
    )
    for each in (board, other):
        assert player(client, each["token"], "GET", "/manifest").status_code == 200
    assert _cached(runtime) == {board["id"], other["id"]}

    changed = {"name": "Ca trực chiều", "days": [1], "time_from": "14:00", "time_to": "16:00"}
    updated = api.ok("PUT", f"/dayparts/{shift['id']}", "editor", json=changed)
    assert updated == {"id": shift["id"], **changed}
    assert _cached(runtime) == {other["id"]}
    windows = _windows(api, board, programme["slide"], MONDAY, WEDNESDAY)
    assert windows == [("2030-01-07T07:00:00Z", "2030-01-07T09:00:00Z")]
    assert player(client, board["token"], "GET", "/manifest").status_code == 200


def test_a_bad_daypart_edit_changes_nothing(api, runtime, programme):
    shift = api.created(
        "/dayparts", {"name": "Ca trực", "time_from": "08:00", "time_to": "10:00"}, role="editor"
    )
    body = _body(programme, daypart_id=shift["id"], rrule="FREQ=WEEKLY;BYDAY=MO")
    api.created("/schedules", body, role="editor")
    path = f"/dayparts/{shift['id']}"
    # The schedule using it has an rrule, so the daypart may not name days.
    body = assert_error(
        api.put(path, role="editor", json={"name": "Ca trực", "days": [1]}),
        422,
        "days",
        "daypart_used_with_rrule",
    )
    assert body["details"][0]["schedules"] == [1]
    assert_error(api.put(path, role="editor", json={"name": OFFICE_HOURS}), 409)
    assert_error(
        api.put(path, role="editor", json={"name": "Ca", "time_from": "8"}),
        422,
        "time_from",
        "not_a_time_of_day",
    )
    missing = api.put("/dayparts/424242", role="editor", json={"name": "Mới"})
    assert_error(missing, 404, code="daypart_not_found")
    kept = _daypart(api, "Ca trực")
    assert (kept["days"], kept["time_from"], kept["time_to"]) == (None, "08:00", "10:00")
