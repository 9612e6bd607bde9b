"""Boards, groups, playlists and schedules through the admin API, and what boards then play."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from api_helpers import ALWAYS, API, assert_error, count, player, refusals
from openapi_spec_validator import validate

from signage.models import (
    AuditEntry,
    Board,
    Group,
    Playlist,
    PlaylistItem,
    Schedule,
    ScheduleTarget,
)

# Monday 7 January 2030 in Hà Nội time.
MONDAY = "2030-01-07T00:00:00+07:00"
TUESDAY = "2030-01-08T00:00:00+07:00"


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _playing(segment: dict) -> list[int]:
    return [item["slide_id"] for item in segment["items"]]


def _manifest(client, board: dict) -> dict:
    response = player(client, board["token"], "GET", "/manifest")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _now_segment(manifest: dict) -> dict:
    now = _when(manifest["server_time"])
    return next(s for s in manifest["segments"] if _when(s["start"]) <= now < _when(s["end"]))


def _assert_contiguous(segments: list[dict], start: str, end: str) -> None:
    assert segments, "no segments"
    assert _when(segments[0]["start"]) <= _when(start)
    assert _when(segments[-1]["end"]) >= _when(end)
    for before, after in zip(segments, segments[1:], strict=False):
        assert before["end"] == after["start"]
    for segment in segments:
        assert _when(segment["start"]) < _when(segment["end"]) and segment["items"]


# Boards and groups ---------------------------------------------------------------------------


def test_a_board_is_registered_with_a_token_shown_once(api, client):
    group = api.group("Thành phố Lạng Sơn")
    created = api.board(
        "UBND phường Chi Lăng", 1920, 1080, timezone="Asia/Bangkok", groups=[group["id"]]
    )
    assert {"id", "token", "player_url"} <= set(created)
    assert created["player_url"] == f"http://localhost/player/#token={created['token']}"
    assert (created["width"], created["height"], created["timezone"]) == (
        1920,
        1080,
        "Asia/Bangkok",
    )
    fetched = api.ok("GET", f"/boards/{created['id']}", "viewer")
    assert "token" not in fetched and fetched["groups"] == [group["id"]]
    listed = api.ok("GET", "/boards", "viewer")["boards"]
    assert [b["id"] for b in listed] == [created["id"]] and "token" not in listed[0]
    assert api.board("Mặc định")["timezone"] == "Asia/Ho_Chi_Minh"
    assert _manifest(client, created)["board"]["timezone"] == "Asia/Bangkok"


BAD_BOARDS = [
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"timezone": 7}, "timezone"),
    ({"name": ""}, "name"),
    ({"name": None}, "name"),
    ({"name": "x" * 161}, "name"),
    ({"width": 0}, "width"),
    ({"width": "wide"}, "width"),
    ({"height": 100000}, "height"),
    ({"height": True}, "height"),
    ({"groups": [424242]}, "groups"),
    ({"groups": "Cao Lộc"}, "groups"),
]


def test_bad_boards_are_refused_and_not_saved(api, runtime):
    def send(change):
        return api.post("/boards", json={"name": "Bảng", "width": 384, "height": 192, **change})

    assert refusals(BAD_BOARDS, send) == []
    assert count(runtime, Board) == 0


def test_only_admins_register_boards(api, runtime):
    body = {"name": "Bảng", "width": 384, "height": 192}
    for role in ("approver", "editor", "designer", "viewer"):
        assert_error(api.post("/boards", role=role, json=body), 403)
    assert count(runtime, Board) == 0


def test_groups_nest_and_are_checked(api, runtime):
    province = api.group("Tỉnh Lạng Sơn")
    district = api.group("Huyện Cao Lộc", province["id"])
    assert district["parent_id"] == province["id"]
    assert_error(api.post("/groups", json={"name": "Mồ côi", "parent_id": 999}), 422, "parent_id")
    assert_error(api.post("/groups", json={"name": "Sai", "parent_id": "1"}), 422, "parent_id")
    assert_error(api.post("/groups", json={"name": "Sai", "parent_id": True}), 422, "parent_id")
    assert_error(api.post("/groups", json={"name": ""}), 422, "name")
    assert_error(api.post("/groups", json={"name": "Tỉnh Lạng Sơn"}), 409)
    assert count(runtime, Group) == 2
    names = {g["name"] for g in api.ok("GET", "/groups", "viewer")["groups"]}
    assert names == {"Tỉnh Lạng Sơn", "Huyện Cao Lộc"}


# Playlists -----------------------------------------------------------------------------------


def test_playlists_are_created_and_replaced(api):
    first, second = api.slide("Một")["id"], api.slide("Hai")["id"]
    playlist = api.created(
        "/playlists",
        {"name": "Sáng", "items": [{"slide_id": first, "duration_s": 20}, {"slide_id": second}]},
        role="editor",
    )
    assert playlist["items"] == [
        {"slide_id": first, "duration_s": 20},
        {"slide_id": second, "duration_s": None},
    ]
    body = {"name": "Chiều", "items": [{"slide_id": second}]}
    replaced = api.ok("PUT", f"/playlists/{playlist['id']}", "editor", json=body)
    assert replaced["name"] == "Chiều" and [i["slide_id"] for i in replaced["items"]] == [second]
    assert_error(api.put("/playlists/999", role="editor", json=body), 404)


BAD_PLAYLISTS = [
    ({"name": "P", "items": []}, "items"),
    ({"name": "P"}, "items"),
    ({"name": "P", "items": [{"slide_id": 999}]}, "items[0].slide_id"),
    ({"name": "P", "items": [{"slide_id": True}]}, "items[0].slide_id"),
    ({"name": "P", "items": ["one"]}, "items[0]"),
    ({"name": "P", "items": [{"slide_id": "S"}, {"slide_id": 0}]}, "items[1].slide_id"),
    ({"name": "", "items": [{"slide_id": "S"}]}, "name"),
    ({"name": "P", "items": [{"slide_id": "S", "duration_s": 0}]}, "items[0].duration_s"),
]


def test_bad_playlists_are_refused_and_not_saved(api, runtime):
    slide = api.slide()["id"]

    def send(body):
        for item in body.get("items", []):
            if isinstance(item, dict) and item.get("slide_id") == "S":
                item["slide_id"] = slide
        return api.post("/playlists", role="editor", json=body)

    assert refusals(BAD_PLAYLISTS, send) == []
    assert count(runtime, Playlist) == 0 and count(runtime, PlaylistItem) == 0


def test_a_bad_playlist_replacement_keeps_the_old_one(api):
    slide = api.slide()["id"]
    playlist = api.playlist([slide])["id"]
    body = {"name": "Mới", "items": [{"slide_id": 999}]}
    assert_error(api.put(f"/playlists/{playlist}", role="editor", json=body), 422)
    kept = api.ok("GET", "/playlists")["playlists"][0]
    assert kept["name"] == "Tuyên truyền" and [i["slide_id"] for i in kept["items"]] == [slide]


# Schedules: validation -----------------------------------------------------------------------


@pytest.fixture
def programme(api, board):
    """A board, a group and a playlist with one approved slide, for schedules to point at."""
    group = api.group("Phường Chi Lăng")
    slide = api.approved_slide("Lịch tiếp dân")["id"]
    playlist = api.playlist([slide])["id"]
    return {"board": board, "group": group["id"], "playlist": playlist, "slide": slide}


BAD_SCHEDULES = [
    ({"ends_at": "2019-12-31T00:00:00Z"}, "ends_at"),
    ({"ends_at": ALWAYS}, "ends_at"),
    ({"targets": {"boards": [424242], "groups": []}}, "targets.boards"),
    ({"targets": {"boards": [], "groups": [424242]}}, "targets.groups"),
    ({"targets": {"boards": [], "groups": []}}, "targets"),
    ({"targets": {}}, "targets"),
    ({"targets": None}, "targets"),
    ({"targets": {"boards": ["1"]}}, "targets.boards"),
    ({"playlist_id": 424242}, "playlist_id"),
    ({"playlist_id": None}, "playlist_id"),
    ({"time_from": "25:99", "time_to": "26:00"}, "time_from"),
    ({"time_from": "08:00", "time_to": "8h"}, "time_to"),
    ({"time_from": "08:00"}, "time_to"),
    ({"priority": 101}, "priority"),
    ({"priority": -1}, "priority"),
    ({"priority": "cao"}, "priority"),
    ({"days": [1, 2], "rrule": "FREQ=WEEKLY;BYDAY=MO"}, {"days", "rrule"}),
    ({"days": [0]}, "days"),
    ({"days": [8]}, "days"),
    ({"days": []}, "days"),
    ({"days": "weekdays"}, "days"),
    ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
    ({"rrule": 42}, "rrule"),
    ({"rrule": "FREQ=DAILY;" + "BYHOUR=1;" * 100}, "rrule"),
    ({"kind": "urgent"}, "kind"),
    ({"starts_at": None}, "starts_at"),
    ({"starts_at": "2026-12-01T08:00:00"}, "starts_at"),
    ({"starts_at": "mai"}, "starts_at"),
    ({"name": "x" * 200}, "name"),
]


def test_bad_schedules_are_refused_and_not_saved(api, runtime, programme):
    def send(change):
        body = {
            "playlist_id": programme["playlist"],
            "targets": {"boards": [programme["board"]["id"]], "groups": [programme["group"]]},
            "starts_at": ALWAYS,
            **change,
        }
        return api.post("/schedules", role="editor", json=body)

    audit_before = count(runtime, AuditEntry)
    assert refusals(BAD_SCHEDULES, send) == []
    assert count(runtime, Schedule) == 0 and count(runtime, ScheduleTarget) == 0
    assert count(runtime, AuditEntry) == audit_before


SCHEDULE_CODES = [
    ({"ends_at": ALWAYS}, "ends_at", "not_after"),
    ({"targets": {"boards": [424242], "groups": []}}, "targets.boards", "unknown_boards"),
    ({"targets": {"boards": [], "groups": [424242]}}, "targets.groups", "unknown_groups"),
    ({"targets": {"boards": [], "groups": []}}, "targets", "no_targets"),
    ({"targets": None}, "targets", "not_a_targets_object"),
    ({"playlist_id": 424242}, "playlist_id", "unknown_playlist"),
    ({"time_from": "08:00", "time_to": "8h"}, "time_to", "not_a_time_of_day"),
    ({"time_from": "08:00"}, "time_to", "times_go_together"),
    ({"priority": 101}, "priority", "out_of_range"),
    ({"days": [1, 2], "rrule": "FREQ=WEEKLY;BYDAY=MO"}, "rrule", "days_and_rrule"),
    ({"days": []}, "days", "not_weekdays"),
    ({"rrule": "FREQ=SOMETIMES"}, "rrule", "rrule_freq_unsupported"),
    ({"rrule": 42}, "rrule", "not_an_rrule"),
    ({"kind": "urgent"}, "kind", "not_one_of"),
    ({"starts_at": "2026-12-01T08:00:00"}, "starts_at", "missing_utc_offset"),
]


@pytest.mark.parametrize(("change", "field", "code"), SCHEDULE_CODES)
def test_each_refusal_names_its_field_and_code(api, programme, change, field, code):
    body = {
        "playlist_id": programme["playlist"],
        "targets": {"boards": [programme["board"]["id"]]},
        "starts_at": ALWAYS,
        **change,
    }
    refused = assert_error(api.post("/schedules", role="editor", json=body), 422, field, code)
    assert all(d["message"] and d["message"] != d["code"] for d in refused["details"])


def test_refusals_quote_what_they_refuse_in_the_callers_language(api, programme):
    body = {
        "playlist_id": programme["playlist"],
        "targets": {"boards": [424242, programme["board"]["id"]]},
        "starts_at": ALWAYS,
    }
    english = {"Accept-Language": "en"}
    refused = assert_error(
        api.post("/schedules", role="editor", json=body, headers=english),
        422,
        "targets.boards",
        "unknown_boards",
    )
    assert refused["details"][0]["ids"] == [424242]
    assert refused["details"][0]["message"] == "no such board(s): 424242"
    vietnamese = assert_error(api.post("/schedules", role="editor", json=body), 422)
    assert vietnamese["details"][0]["message"] == "không có màn hình mang mã: 424242"
    items = {"name": "P", "items": [{"slide_id": 999}]}
    bad_slide = assert_error(
        api.post("/playlists", role="editor", json=items), 422, "items[0].slide_id", "unknown_slide"
    )
    assert bad_slide["details"][0]["id"] == 999
    assert_error(
        api.put("/playlists/999", role="editor", json=items), 404, code="playlist_not_found"
    )
    assert_error(api.delete("/schedules/999", role="editor"), 404, code="schedule_not_found")


def test_a_malformed_schedule_body_is_422(api, runtime, programme):
    raw = b'{"playlist_id": 1, "targets": '
    response = api.post("/schedules", role="editor", data=raw, content_type="application/json")
    assert_error(response, 422, "$")
    assert_error(
        api.post("/schedules", role="editor", data=b"[]", content_type="application/json"), 422, "$"
    )
    assert count(runtime, Schedule) == 0


def test_a_schedule_is_stored_as_sent(api, programme):
    body = {
        "playlist_id": programme["playlist"],
        "targets": {"boards": [programme["board"]["id"]], "groups": [programme["group"]]},
        "starts_at": "2030-01-01T08:00:00+07:00",
        "ends_at": "2030-02-01T00:00:00+07:00",
        "days": [5, 1, 3],
        "time_from": "22:00",
        "time_to": "02:00",
        "priority": 100,
        "kind": "emergency",
    }
    created = api.created("/schedules", body, role="editor")
    assert created["starts_at"] == "2030-01-01T01:00:00Z"
    assert created["ends_at"] == "2030-01-31T17:00:00Z"
    assert created["days"] == [1, 3, 5]
    assert (created["time_from"], created["time_to"]) == ("22:00", "02:00")
    assert (created["priority"], created["kind"]) == (100, "emergency")
    assert created["targets"] == {
        "boards": [programme["board"]["id"]],
        "groups": [programme["group"]],
    }
    assert api.ok("GET", "/schedules", "viewer")["schedules"] == [created]
    assert api.delete(f"/schedules/{created['id']}", role="editor").status_code == 204
    assert_error(api.delete(f"/schedules/{created['id']}", role="editor"), 404)


def test_an_rrule_is_checked_in_the_time_zone_of_each_board(api, runtime, programme):
    """A rule that has dates for one board but none for another is refused."""
    body = {
        "playlist_id": programme["playlist"],
        "targets": {"boards": [programme["board"]["id"]]},
        "starts_at": "2030-01-01T00:00:00Z",
        "rrule": "FREQ=DAILY;BYDAY=TU;UNTIL=20300101T120000",
    }
    # 2030-01-01T00:00Z is Tuesday 07:00 in Hà Nội, but still Monday 14:00 in Honolulu, whose
    # first Tuesday at 14:00 is past the UNTIL.
    api.created("/schedules", body, role="editor")
    far = api.board("Honolulu", timezone="Pacific/Honolulu")
    body["targets"] = {"boards": [far["id"]]}
    assert_error(api.post("/schedules", role="editor", json=body), 422, "rrule")
    assert count(runtime, Schedule) == 1


# Schedules: what boards play -----------------------------------------------------------------


def test_a_schedule_on_a_parent_group_reaches_a_board_in_a_child_group(api, client):
    province = api.group("Tỉnh")
    district = api.group("Huyện", province["id"])
    commune = api.group("Xã", district["id"])
    inside = api.board("Trong xã", groups=[commune["id"]])
    outside = api.board("Ngoài tỉnh")
    slide = api.approved_slide("Cho cả tỉnh")["id"]
    api.schedule(api.playlist([slide])["id"], groups=[province["id"]])
    assert _playing(_now_segment(_manifest(client, inside))) == [slide]
    assert slide not in _playing(_now_segment(_manifest(client, outside)))


def test_an_emergency_outranks_priority_100(api, client, board):
    normal = api.approved_slide("Bình thường")["id"]
    urgent = api.approved_slide("Khẩn cấp: bão số 3")["id"]
    api.schedule(api.playlist([normal])["id"], boards=[board["id"]], priority=100)
    before = _now_segment(_manifest(client, board))
    assert _playing(before) == [normal] and before["priority"] == 100
    api.schedule(api.playlist([urgent])["id"], boards=[board["id"]], kind="emergency", priority=0)
    manifest = _manifest(client, board)
    assert all(_playing(s) == [urgent] for s in manifest["segments"])


def test_higher_priority_wins_and_equal_priorities_merge(api, client, board):
    low, mid_a, mid_b = (api.approved_slide(t)["id"] for t in ("Thấp", "Giữa A", "Giữa B"))
    api.schedule(api.playlist([low])["id"], boards=[board["id"]], priority=5)
    api.schedule(api.playlist([mid_a])["id"], boards=[board["id"]], priority=50)
    api.schedule(api.playlist([mid_b])["id"], boards=[board["id"]], priority=50)
    assert _playing(_now_segment(_manifest(client, board))) == [mid_a, mid_b]


def test_deleting_a_schedule_returns_the_board_to_its_fallback(api, client, board):
    slide = api.approved_slide("Tạm thời")["id"]
    schedule = api.schedule(api.playlist([slide])["id"], boards=[board["id"]])
    assert _playing(_now_segment(_manifest(client, board))) == [slide]
    assert api.delete(f"/schedules/{schedule['id']}", role="editor").status_code == 204
    assert slide not in _playing(_now_segment(_manifest(client, board)))


def test_only_approved_revisions_play(api, client, board):
    draft = api.slide("Chưa duyệt")["id"]
    approved = api.approved_slide("Đã duyệt")["id"]
    api.schedule(api.playlist([draft, approved])["id"], boards=[board["id"]])
    played = {i for s in _manifest(client, board)["segments"] for i in _playing(s)}
    assert approved in played and draft not in played


def test_the_timeline_follows_days_and_time_windows(api, board):
    slide = api.approved_slide("Giờ hành chính")["id"]
    api.schedule(
        api.playlist([slide])["id"],
        boards=[board["id"]],
        days=[1],
        time_from="08:00",
        time_to="10:00",
    )
    body = api.ok(
        "GET", f"/boards/{board['id']}/timeline?from={_q(MONDAY)}&to={_q(TUESDAY)}", "viewer"
    )
    segments = body["segments"]
    _assert_contiguous(segments, MONDAY, TUESDAY)
    scheduled = [s for s in segments if slide in _playing(s)]
    assert [(s["start"], s["end"]) for s in scheduled] == [
        ("2030-01-07T01:00:00Z", "2030-01-07T03:00:00Z")
    ]
    for segment in segments:
        for item in segment["items"]:
            assert (item["width"], item["height"]) == (384, 192)
            assert re.fullmatch(r"/media/[0-9a-f]{64}\.\w+", item["url"])
    # A "+" left unescaped in the query string arrives as a space; it still means "+".
    raw = api.ok("GET", f"/boards/{board['id']}/timeline?from={MONDAY}&to={TUESDAY}")
    assert raw["segments"] == segments
    # Tuesday has no window: the fallback plays all day.
    wednesday = "2030-01-09T00:00:00+07:00"
    tuesday = api.ok("GET", f"/boards/{board['id']}/timeline?from={_q(TUESDAY)}&to={_q(wednesday)}")
    assert all(slide not in _playing(s) for s in tuesday["segments"])


def test_the_timeline_follows_an_rrule_and_slide_validity(api, board):
    slide = api.approved_slide("Thứ bảy", valid_until="2030-01-12T09:00:00+07:00")["id"]
    api.schedule(
        api.playlist([slide])["id"],
        boards=[board["id"]],
        rrule="FREQ=WEEKLY;BYDAY=SA",
        time_from="07:00",
        time_to="11:00",
    )
    start, end = "2030-01-12T00:00:00+07:00", "2030-01-13T00:00:00+07:00"
    segments = api.ok("GET", f"/boards/{board['id']}/timeline?from={_q(start)}&to={_q(end)}")[
        "segments"
    ]
    _assert_contiguous(segments, start, end)
    scheduled = [(s["start"], s["end"]) for s in segments if slide in _playing(s)]
    assert scheduled == [("2030-01-12T00:00:00Z", "2030-01-12T02:00:00Z")]


def test_timeline_windows_are_checked(api, board):
    path = f"/boards/{board['id']}/timeline"
    assert_error(api.get(f"{path}?to={_q(TUESDAY)}"), 422, "from")
    assert_error(api.get(f"{path}?from={_q(TUESDAY)}&to={_q(MONDAY)}"), 422, "to")
    assert_error(api.get(f"{path}?from=yesterday&to={_q(MONDAY)}"), 422, "from")
    far = "2030-03-01T00:00:00Z"
    assert_error(api.get(f"{path}?from={_q(MONDAY)}&to={far}"), 422, "to")
    assert_error(api.get(f"/boards/424242/timeline?from={_q(MONDAY)}&to={_q(TUESDAY)}"), 404)


def test_a_board_with_nothing_scheduled_still_plays_its_fallback(api, client, board):
    manifest = _manifest(client, board)
    generated = manifest["generated_at"]
    until = manifest["valid_until"]
    _assert_contiguous(manifest["segments"], generated, until)
    start, end = "2031-06-01T00:00:00Z", "2031-06-03T00:00:00Z"
    timeline = api.ok("GET", f"/boards/{board['id']}/timeline?from={start}&to={end}")
    _assert_contiguous(timeline["segments"], start, end)


def _q(instant: str) -> str:
    return instant.replace("+", "%2B")


# OpenAPI -------------------------------------------------------------------------------------


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_openapi_document_describes_every_api_route(app, client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas
    paths = document["paths"]
    prefix = document["servers"][0]["url"] if document.get("servers") else ""
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/") or rule.endpoint == "api.openapi":
            continue
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)[len(prefix) :]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = paths.get(path, {}).get(method.lower())
            if operation is None:
                missing.append(f"{method} {path}")
                continue
            assert operation["responses"], path
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), path
    assert missing == []
    validate(document)
