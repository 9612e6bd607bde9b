"""The player protocol v1 exactly as the contract states it: pairing, manifest, media, plays,
heartbeat, health, and the proof-of-play reports built from what players send."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from api_helpers import API, assert_error, count, player
from PIL import Image
from sqlalchemy import delete, update

from signage.models import Manifest, Pairing, Play

MANIFEST_KEYS = {
    "board",
    "version",
    "generated_at",
    "valid_until",
    "server_time",
    "poll_seconds",
    "segments",
}
ITEM_KEYS = {"slide_id", "revision", "url", "sha256", "mime", "width", "height", "duration_s"}


def _when(text: str) -> datetime:
    assert text.endswith("Z") or text[-6] in "+-", text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _manifest(client, token: str, **headers):
    return player(client, token, "GET", "/manifest", headers=headers)


# Pairing -------------------------------------------------------------------------------------


def _start_pairing(client) -> dict:
    response = client.post(f"{API}/player/pairings")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"pairing_id", "code", "expires_at"}
    assert _when(body["expires_at"]) > datetime.now(UTC)
    return body


def test_pairing_hands_the_token_out_exactly_once(api, client, board):
    started = _start_pairing(client)
    poll = f"{API}/player/pairings/{started['pairing_id']}"
    assert client.get(poll).get_json()["status"] == "pending"

    spaced = " ".join(started["code"].lower())  # staff may type it loosely
    claimed = api.ok("POST", f"/boards/{board['id']}/pair", json={"code": spaced})
    assert claimed["board_id"] == board["id"]

    handed = client.get(poll)
    assert handed.status_code == 200
    body = handed.get_json()
    assert body["status"] == "claimed" and body["token"] and body["token"] != board["token"]
    assert_error(client.get(poll), 404, code="pairing_token_handed_out")

    assert _manifest(client, body["token"]).status_code == 200
    assert_error(_manifest(client, board["token"]), 401)
    # The code is used up.
    used = api.post(f"/boards/{board['id']}/pair", json={"code": started["code"]})
    assert_error(used, 422, "code", "unknown_pairing_code")


def test_pairing_codes_are_checked(api, client, board, runtime):
    started = _start_pairing(client)
    for typed, code in (
        ("", "required"),
        ("ZZZZZZ", "unknown_pairing_code"),
        (None, "required"),
        (123456, "not_a_string"),
        (["A"], "not_a_string"),
    ):
        response = api.post(f"/boards/{board['id']}/pair", json={"code": typed})
        assert_error(response, 422, "code", code)
    assert_error(
        api.post(f"/boards/{board['id']}/pair", role="editor", json={"code": started["code"]}), 403
    )
    unknown_board = api.post("/boards/424242/pair", json={"code": started["code"]})
    assert_error(unknown_board, 404, code="board_not_found")
    polled = client.get(f"{API}/player/pairings/{started['pairing_id']}").get_json()
    assert polled["status"] == "pending" and "token" not in polled
    assert _manifest(client, board["token"]).status_code == 200  # the old token still works


def test_an_expired_pairing_can_be_neither_claimed_nor_polled(api, client, board, runtime):
    started = _start_pairing(client)
    with runtime.db.transaction() as s:
        past = datetime.now(UTC) - timedelta(seconds=1)
        s.execute(update(Pairing).values(expires_at=past))
    response = api.post(f"/boards/{board['id']}/pair", json={"code": started["code"]})
    assert_error(response, 422, "code", "unknown_pairing_code")
    poll = client.get(f"{API}/player/pairings/{started['pairing_id']}")
    assert_error(poll, 404, code="pairing_not_found")
    assert_error(
        client.get(f"{API}/player/pairings/no-such-pairing"), 404, code="pairing_not_found"
    )


def test_starting_pairings_is_rate_limited(client, runtime):
    statuses = [client.post(f"{API}/player/pairings").status_code for _ in range(12)]
    assert statuses[0] == 201 and statuses[-1] == 429
    assert_error(client.post(f"{API}/player/pairings"), 429)
    assert count(runtime, Pairing) == statuses.count(201)


# Manifest ------------------------------------------------------------------------------------


@pytest.fixture
def scheduled(api, board):
    """The board with two approved slides scheduled on it, always."""
    slides = [api.approved_slide(t)["id"] for t in ("Chuyển đổi số", "Tiếp công dân")]
    api.schedule(api.playlist(slides)["id"], boards=[board["id"]])
    return {"board": board, "slides": slides}


def test_the_manifest_follows_the_contract(client, scheduled):
    board = scheduled["board"]
    response = _manifest(client, board["token"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_json()
    assert set(body) >= MANIFEST_KEYS
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert body["board"] == {
        "id": board["id"],
        "name": board["name"],
        "width": 384,
        "height": 192,
        "timezone": "Asia/Ho_Chi_Minh",
        "transition": "cut",
    }
    assert body["poll_seconds"] == 30
    generated, until = _when(body["generated_at"]), _when(body["valid_until"])
    assert until - generated >= timedelta(hours=48)
    assert abs(_when(body["server_time"]) - datetime.now(UTC)) < timedelta(minutes=1)

    segments = body["segments"]
    assert segments and _when(segments[0]["start"]) <= generated
    assert _when(segments[-1]["end"]) >= until
    for before, after in zip(segments, segments[1:], strict=False):
        assert before["end"] == after["start"]
    played = set()
    for segment in segments:
        assert {"start", "end", "priority", "items"} <= set(segment)
        assert _when(segment["start"]) < _when(segment["end"]) and segment["items"]
        for item in segment["items"]:
            assert set(item) >= ITEM_KEYS
            assert (item["width"], item["height"]) == (384, 192)
            assert item["url"] == f"/media/{item['sha256']}.{item['url'].rsplit('.', 1)[1]}"
            assert item["duration_s"] >= 1 and item["mime"].startswith("image/")
            played.add(item["slide_id"])
    assert played == set(scheduled["slides"])


def test_media_is_content_addressed_and_immutable(client, scheduled):
    items = _manifest(client, scheduled["board"]["token"]).get_json()["segments"][0]["items"]
    for item in items:
        response = client.get(item["url"])
        assert response.status_code == 200
        assert hashlib.sha256(response.data).hexdigest() == item["sha256"]
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.mimetype == item["mime"]
        with Image.open(io.BytesIO(response.data)) as image:
            assert image.size == (384, 192)
    url, size = items[0]["url"], len(client.get(items[0]["url"]).data)
    head = client.head(url)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == size
    assert head.data == b""
    part = client.get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100
    assert part.headers["Content-Range"] == f"bytes 0-99/{size}"
    assert_error(client.get("/media/" + "0" * 64 + ".png"), 404)
    assert client.get("/media/..%2F..%2Fsignage.db").status_code == 404


def test_an_unchanged_manifest_answers_304(client, scheduled):
    token = scheduled["board"]["token"]
    etag = _manifest(client, token).headers["ETag"]
    again = _manifest(client, token, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "no-cache"
    assert _manifest(client, token, **{"If-None-Match": '"other", ' + etag}).status_code == 304
    assert _manifest(client, token, **{"If-None-Match": '"stale"'}).status_code == 200


def test_a_rebuild_that_changes_nothing_keeps_the_version(client, scheduled, runtime):
    token = scheduled["board"]["token"]
    first = _manifest(client, token).get_json()
    with runtime.db.transaction() as s:
        s.execute(delete(Manifest))
    second = _manifest(client, token).get_json()
    assert second["version"] == first["version"]
    assert second["segments"] == first["segments"]


def test_a_content_change_changes_the_version(api, client, scheduled):
    token = scheduled["board"]["token"]
    before = _manifest(client, token).get_json()["version"]
    extra = api.approved_slide("Tin mới")["id"]
    api.schedule(api.playlist([extra])["id"], boards=[scheduled["board"]["id"]], priority=20)
    after = _manifest(client, token)
    assert after.get_json()["version"] != before
    assert _manifest(client, token, **{"If-None-Match": f'"{before}"'}).status_code == 200


def test_a_board_with_nothing_scheduled_gets_fallback_segments(client, board):
    body = _manifest(client, board["token"]).get_json()
    assert body["segments"]
    assert all(segment["items"] for segment in body["segments"])
    assert _when(body["segments"][-1]["end"]) >= _when(body["valid_until"])


def test_unknown_tokens_get_a_json_401(client):
    assert_error(_manifest(client, "sgb_unknown"), 401)
    assert_error(client.get(f"{API}/player/manifest"), 401)


# Plays ---------------------------------------------------------------------------------------


def _plays(n: int, slide_id: int = 1, start: datetime | None = None) -> list[dict]:
    start = start or datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    return [
        {
            "id": str(uuid.uuid4()),
            "slide_id": slide_id,
            "sha256": hashlib.sha256(str(slide_id).encode()).hexdigest(),
            "started_at": (start + timedelta(seconds=15 * i)).isoformat(),
            "duration_s": 15,
        }
        for i in range(n)
    ]


def _send(client, token: str, plays: list[dict]):
    return player(client, token, "POST", "/plays", json={"plays": plays})


def test_plays_are_idempotent_by_id(client, board, runtime):
    batch = _plays(3)
    first = _send(client, board["token"], batch)
    assert first.status_code == 200 and first.get_json() == {"accepted": 3, "duplicates": 0}
    assert _send(client, board["token"], batch).get_json() == {"accepted": 0, "duplicates": 3}
    mixed = batch[:2] + _plays(1)
    assert _send(client, board["token"], mixed).get_json() == {"accepted": 1, "duplicates": 2}
    assert _send(client, board["token"], []).get_json() == {"accepted": 0, "duplicates": 0}
    assert count(runtime, Play) == 4


def test_a_batch_is_at_most_1000_plays(client, board, runtime):
    assert_error(_send(client, board["token"], _plays(1001)), 422, "plays", "too_many")
    assert count(runtime, Play) == 0
    assert _send(client, board["token"], _plays(1000)).get_json()["accepted"] == 1000


BAD_PLAYS = [
    ({"id": "not-a-uuid"}, "plays[0].id", "not_a_uuid"),
    ({"id": None}, "plays[0].id", "not_a_uuid"),
    ({"sha256": "abc"}, "plays[0].sha256", "not_a_sha256"),
    ({"sha256": "g" * 64}, "plays[0].sha256", "not_a_sha256"),
    ({"started_at": "yesterday"}, "plays[0].started_at", "not_a_datetime"),
    ({"started_at": "2026-11-26T08:00:00"}, "plays[0].started_at", "missing_utc_offset"),
    ({"duration_s": -1}, "plays[0].duration_s", "not_a_duration"),
    ({"duration_s": "15"}, "plays[0].duration_s", "not_a_duration"),
    ({"slide_id": "12"}, "plays[0].slide_id", "not_an_integer"),
    ({"slide_id": 2**40}, "plays[0].slide_id", "out_of_range"),
]


def _field_codes(response) -> set[tuple[str, str]]:
    details = (response.get_json() or {}).get("details", [])
    return {(d.get("field") or d.get("path"), d.get("code")) for d in details}


def test_bad_plays_are_refused_and_the_batch_is_not_saved(client, board, runtime):
    wrong = []
    for change, field, code in BAD_PLAYS:
        batch = [{**_plays(1)[0], **change}, *_plays(1)]
        response = _send(client, board["token"], batch)
        if response.status_code != 422 or (field, code) not in _field_codes(response):
            wrong.append((change, response.status_code, response.get_json()))
    assert wrong == []
    for body, where, code in (
        ({"plays": "many"}, "plays", "not_a_list"),
        ({}, "plays", "not_a_list"),
        (["not", "an", "object"], "$", "not_a_json_object"),
    ):
        assert_error(player(client, board["token"], "POST", "/plays", json=body), 422, where, code)
    assert count(runtime, Play) == 0


# Heartbeat and health ------------------------------------------------------------------------


def test_a_heartbeat_updates_the_board_status(api, client, board):
    before = api.ok("GET", f"/boards/{board['id']}", "viewer")
    assert before["last_seen_at"] is None and before["current"] is None
    beat = {
        "player_version": "web-1.0",
        "current": {"slide_id": 7, "sha256": "a" * 64},
        "screen": {"width": 384, "height": 192},
        "uptime_s": 3600,
    }
    response = player(client, board["token"], "POST", "/heartbeat", json=beat)
    assert response.status_code == 204 and response.data == b""
    after = api.ok("GET", f"/boards/{board['id']}", "viewer")
    assert abs(_when(after["last_seen_at"]) - datetime.now(UTC)) < timedelta(minutes=1)
    assert after["current"] == {"slide_id": 7, "sha256": "a" * 64}
    assert after["player_version"] == "web-1.0"
    # Every field of the heartbeat is kept on the board for the status pages.
    assert after["screen"] == {"width": 384, "height": 192} and after["uptime_s"] == 3600
    assert after["status"] == "online" and after["screen_mismatch"] is False
    idle = {"player_version": "web-1.0", "current": None, "screen": None, "uptime_s": 5}
    assert player(client, board["token"], "POST", "/heartbeat", json=idle).status_code == 204
    idle_board = api.ok("GET", f"/boards/{board['id']}")
    assert idle_board["current"] is None and idle_board["screen"] is None
    assert idle_board["uptime_s"] == 5


BAD_BEATS = [
    ({"screen": "1920x1080"}, "screen", "not_an_object_or_null"),
    ({"current": "slide 7"}, "current", "not_an_object_or_null"),
    ({"current": {"slide_id": "7", "sha256": "a" * 64}}, "current.slide_id", "not_an_integer"),
    ({"current": {"slide_id": 7, "sha256": "x" * 500}}, "current.sha256", "not_a_sha256"),
    ({"current": {"slide_id": 2**40, "sha256": "a" * 64}}, "current.slide_id", "out_of_range"),
    ({"screen": {"width": -5, "height": 10}}, "screen.width", "out_of_range"),
    ({"screen": {"width": 10, "height": 2**40}}, "screen.height", "out_of_range"),
    ({"uptime_s": "long"}, "uptime_s", "not_an_integer"),
    ({"uptime_s": 2**63}, "uptime_s", "out_of_range"),
    ({"player_version": 3}, "player_version", "not_a_string"),
]


def test_bad_heartbeats_are_refused(api, client, board):
    wrong = []
    for change, field, code in BAD_BEATS:
        beat = {"player_version": "web-1.0", "current": None, **change}
        response = player(client, board["token"], "POST", "/heartbeat", json=beat)
        if response.status_code != 422 or (field, code) not in _field_codes(response):
            wrong.append((change, response.status_code, response.get_json()))
    assert wrong == []
    raw = player(
        client, board["token"], "POST", "/heartbeat", data=b"{", content_type="application/json"
    )
    assert_error(raw, 422, "$", "not_a_json_object")
    assert api.ok("GET", f"/boards/{board['id']}")["last_seen_at"] is None


def test_health_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def test_the_web_player_is_served(client):
    assert client.get("/player").status_code in (301, 308)
    response = client.get("/player/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/player/../signage/config.py").status_code == 404


# Reports -------------------------------------------------------------------------------------


@pytest.fixture
def reported(api, client):
    """Two boards that reported plays of two slides on two days."""
    first, second = api.board("Một"), api.board("Hai")
    day1 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    day2 = day1 + timedelta(days=1)
    _send(client, first["token"], _plays(3, slide_id=11, start=day1))
    _send(client, first["token"], _plays(2, slide_id=12, start=day2))
    _send(client, second["token"], _plays(4, slide_id=11, start=day2))
    return {"first": first["id"], "second": second["id"], "day2": day2}


def test_the_plays_report_filters_and_totals(api, reported):
    everything = api.ok("GET", "/reports/plays", "viewer")
    assert everything["totals"]["plays"] == 9 and len(everything["plays"]) == 9
    row = everything["plays"][0]
    assert set(row) >= {"id", "board_id", "slide_id", "sha256", "started_at", "duration_s"}
    starts = [_when(p["started_at"]) for p in everything["plays"]]
    assert starts == sorted(starts)

    by_board = api.ok("GET", f"/reports/plays?board_id={reported['first']}")
    assert {p["board_id"] for p in by_board["plays"]} == {reported["first"]}
    assert by_board["totals"]["plays"] == 5
    by_slide = api.ok("GET", "/reports/plays?slide_id=11")
    assert by_slide["totals"] == {"plays": 7, "duration_s": 105.0}
    since = reported["day2"].isoformat().replace("+00:00", "Z")
    late = api.ok("GET", f"/reports/plays?from={since}&board_id={reported['second']}")
    assert late["totals"]["plays"] == 4
    before = api.ok("GET", f"/reports/plays?to={since}")
    assert before["totals"]["plays"] == 3


def test_the_plays_report_as_csv(api, reported):
    response = api.get("/reports/plays?format=csv&slide_id=12", role="viewer")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2
    assert list(rows[0]) == ["id", "board_id", "slide_id", "sha256", "started_at", "duration_s"]
    assert {r["slide_id"] for r in rows} == {"12"}


def test_report_filters_are_checked(api):
    refused = assert_error(api.get("/reports/plays?format=xml"), 422, "format", "not_one_of")
    assert refused["details"][0]["allowed"] == ["json", "csv"]
    assert_error(api.get("/reports/plays?from=hôm-qua"), 422, "from", "not_a_datetime")
    assert_error(api.get("/reports/plays?board_id=abc"), 422, "board_id", "not_an_integer")
    assert_error(api.get("/reports/plays", role=None), 401)
