"""The boards API: the transition setting, board status, pairing a new board, and the limits on
pairing codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_helpers import API, assert_error, count, player, refusals
from sqlalchemy import update

from signage.models import Board, Pairing
from signage.services import pairing

BEAT = {
    "player_version": "web-1.4",
    "current": {"slide_id": 3, "sha256": "c" * 64},
    "screen": {"width": 1920, "height": 1080},
    "uptime_s": 90,
}


def _manifest(client, token: str) -> dict:
    response = player(client, token, "GET", "/manifest")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _start_pairing(client) -> dict:
    response = client.post(f"{API}/player/pairings")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_a_board_is_created_with_its_transition(api):
    assert api.board()["transition"] == "cut"
    assert api.board("Màn hình sảnh", 1920, 1080, transition="crossfade")["transition"] == (
        "crossfade"
    )


def test_a_bad_transition_is_a_422_naming_the_field(api, board, runtime):
    before = count(runtime, Board)
    for value in ("fade", "", 3, None):
        body = {"name": "X", "width": 384, "height": 192, "transition": value}
        response = api.post("/boards", json=body)
        if value in ("", None):  # absent means the default
            assert response.status_code == 201
            assert response.get_json()["transition"] == "cut"
        else:
            assert_error(response, 422, "transition", "not_one_of")
    assert count(runtime, Board) == before + 2
    wrong = refusals(
        [
            ({"transition": "dissolve"}, "transition"),
            ({"transition": ["cut"]}, "transition"),
            ({"width": "wide"}, "width"),
            ({"timezone": "Nowhere/Land"}, "timezone"),
            ({"groups": [424242]}, "groups"),
        ],
        lambda change: api.put(f"/boards/{board['id']}", json=change),
    )
    assert wrong == []
    assert_error(
        api.put(f"/boards/{board['id']}", json=["transition"]), 422, "$", "not_a_json_object"
    )
    unknown = api.put(f"/boards/{board['id']}", json={"groups": [424242, 7]})
    assert assert_error(unknown, 422, "groups", "unknown_groups")["details"][0]["ids"] == [
        424242,
        7,
    ]
    assert api.ok("GET", f"/boards/{board['id']}")["transition"] == "cut"


def test_changing_the_transition_changes_the_manifest_version(api, client, board):
    first = _manifest(client, board["token"])
    assert first["board"]["transition"] == "cut"
    changed = api.ok("PUT", f"/boards/{board['id']}", json={"transition": "crossfade"})
    assert changed["transition"] == "crossfade" and changed["name"] == board["name"]
    second = _manifest(client, board["token"])
    assert second["board"]["transition"] == "crossfade"
    assert second["version"] != first["version"]
    # The old ETag no longer matches, so a polling player downloads the new manifest.
    response = player(
        client, board["token"], "GET", "/manifest", headers={"If-None-Match": first["version"]}
    )
    assert response.status_code == 200


def test_only_managers_change_boards(api, board):
    for role in ("editor", "approver", "designer", "viewer"):
        response = api.put(f"/boards/{board['id']}", role=role, json={"transition": "crossfade"})
        assert_error(response, 403)
    assert_error(api.put("/boards/424242", json={"transition": "cut"}), 404, code="board_not_found")


def test_board_responses_carry_the_status(api, client, board, runtime):
    fresh = api.ok("GET", f"/boards/{board['id']}", "viewer")
    assert fresh["status"] == "never" and fresh["offline_since"] is None
    assert fresh["screen"] is None and fresh["screen_mismatch"] is False
    assert player(client, board["token"], "POST", "/heartbeat", json=BEAT).status_code == 204
    online = api.ok("GET", f"/boards/{board['id']}", "viewer")
    assert online["status"] == "online" and online["uptime_s"] == 90
    assert online["screen"] == {"width": 1920, "height": 1080}
    assert online["screen_mismatch"] is True  # the board is registered at 384x192
    silent_since = datetime.now(UTC) - timedelta(seconds=runtime.settings.offline_after_s + 5)
    with runtime.db.transaction() as s:
        s.execute(update(Board).values(last_seen_at=silent_since))
    listed = api.ok("GET", "/boards", "viewer")["boards"]
    offline = next(b for b in listed if b["id"] == board["id"])
    assert offline["status"] == "offline"
    assert offline["offline_since"] == offline["last_seen_at"] is not None


def test_a_new_board_is_registered_from_its_code(api, client, runtime):
    started = _start_pairing(client)
    group = api.group("Huyện Cao Lộc")
    body = {
        "code": started["code"].lower(),
        "name": "Trung tâm hành chính công",
        "width": 1080,
        "height": 1920,
        "timezone": "Asia/Ho_Chi_Minh",
        "groups": [group["id"]],
        "transition": "crossfade",
    }
    made = api.created("/boards/pair", body)
    assert made["status"] == "never" and "token" not in made  # its health: not yet seen
    assert (made["width"], made["height"], made["groups"]) == (1080, 1920, [group["id"]])
    handed = client.get(f"{API}/player/pairings/{started['pairing_id']}").get_json()
    manifest = _manifest(client, handed["token"])
    assert manifest["board"]["id"] == made["id"]
    assert manifest["board"]["transition"] == "crossfade"
    assert client.get(f"{API}/player/pairings/{started['pairing_id']}").status_code == 404


def test_a_new_board_with_a_wrong_code_or_bad_settings_saves_nothing(api, client, runtime):
    started = _start_pairing(client)
    good = {"code": started["code"], "name": "Bảng mới", "width": 640, "height": 320}
    before = count(runtime, Board)
    wrong = refusals(
        [
            ({"code": "ZZZZZZ"}, "code"),
            ({"code": None}, "code"),
            ({"name": ""}, "name"),
            ({"width": 4}, "width"),
            ({"transition": "wipe"}, "transition"),
            ({"groups": [77]}, "groups"),
        ],
        lambda change: api.post("/boards/pair", json={**good, **change}),
    )
    assert wrong == []
    assert count(runtime, Board) == before
    polled = client.get(f"{API}/player/pairings/{started['pairing_id']}").get_json()
    assert polled["status"] == "pending"  # the code is still free for a correct try


def test_an_expired_code_cannot_register_a_board(api, client, runtime):
    started = _start_pairing(client)
    with runtime.db.transaction() as s:
        s.execute(update(Pairing).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    body = {"code": started["code"], "name": "Bảng mới", "width": 640, "height": 320}
    assert_error(api.post("/boards/pair", json=body), 422, "code", "unknown_pairing_code")
    assert client.get(f"{API}/player/pairings/{started['pairing_id']}").status_code == 404


def test_wrong_codes_are_limited_per_user_and_then_refused_even_if_right(api, client, board):
    started = _start_pairing(client)
    statuses = [
        api.post(f"/boards/{board['id']}/pair", json={"code": "ZZZZZZ"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
    assert_error(api.post(f"/boards/{board['id']}/pair", json={"code": started["code"]}), 429)
    new = {"code": started["code"], "name": "Bảng mới", "width": 640, "height": 320}
    assert_error(api.post("/boards/pair", json=new), 429)  # the budget is shared
    assert client.get(f"{API}/player/pairings/{started['pairing_id']}").get_json() == {
        "status": "pending",
        "expires_at": started["expires_at"],
    }


def _fresh_code(runtime) -> str:
    """A code made by the service: these tests are about the admin's limit, not the player's."""
    with runtime.db.transaction() as s:
        return pairing.start(s).code


def test_right_codes_and_other_mistakes_do_not_use_up_the_budget(api, board, runtime):
    for _ in range(12):
        claimed = api.post(f"/boards/{board['id']}/pair", json={"code": _fresh_code(runtime)})
        assert claimed.status_code == 200, claimed.get_data(as_text=True)
    code = _fresh_code(runtime)
    for _ in range(12):  # a right code with a bad board name is no guess
        body = {"code": code, "name": "", "width": 640, "height": 320}
        assert_error(api.post("/boards/pair", json=body), 422, "name")
    assert_error(api.post(f"/boards/{board['id']}/pair", json={"code": "ZZZZZZ"}), 422, "code")


def test_the_player_endpoints_are_rate_limited(client):
    started = _start_pairing(client)
    poll = f"{API}/player/pairings/{started['pairing_id']}"
    statuses = [client.get(poll).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    assert_error(client.get(poll), 429)


def test_errors_are_codes_worded_in_the_language_asked_for(api):
    """The code stays the same in every language; the words follow Accept-Language, and are
    Vietnamese when the request names no language."""
    body = {"code": "ZZZZZZ", "name": "Bảng mới", "width": 640, "height": 320}
    words = {}
    for language in (None, "en", "vi"):
        headers = {"Accept-Language": language} if language else {}
        response = api.post("/boards/pair", json=body, headers=headers)
        error = assert_error(response, 422, "code", "unknown_pairing_code")
        assert error["code"] == "invalid_input"
        words[language] = error["details"][0]["message"]
    assert words["en"] == "no waiting board shows this code, or it expired"
    assert (
        words["vi"]
        == words[None]
        == ("không có màn hình nào đang chờ hiển thị mã này, hoặc mã đã hết hạn")
    )
    missing = assert_error(api.get("/boards/424242", headers={"Accept-Language": "en"}), 404)
    assert (missing["code"], missing["error"]) == ("board_not_found", "There is no board 424242")


def test_groups_nest_and_their_names_are_unique(api):
    parent = api.group("Huyện Cao Lộc")
    child = api.group("Xã Tân Thanh", parent["id"])
    assert child["parent_id"] == parent["id"]
    assert_error(api.post("/groups", json={"name": "Huyện Cao Lộc"}), 409, code="group_name_taken")
    for parent_id, code in (("1", "not_an_integer"), (424242, "unknown_groups")):
        response = api.post("/groups", json={"name": "Khác", "parent_id": parent_id})
        assert_error(response, 422, "parent_id", code)
    listed = api.ok("GET", "/groups", "viewer")["groups"]
    assert listed == [
        {"id": parent["id"], "name": "Huyện Cao Lộc", "parent_id": None},
        {"id": child["id"], "name": "Xã Tân Thanh", "parent_id": parent["id"]},
    ]


def test_a_timeline_window_is_refused_by_code(api, board):
    path = f"/boards/{board['id']}/timeline"
    backwards = api.get(f"{path}?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z")
    assert_error(backwards, 422, "to", "not_after_from")
    too_long = api.get(f"{path}?from=2030-01-01T00:00:00Z&to=2030-03-01T00:00:00Z")
    assert assert_error(too_long, 422, "to", "window_too_long")["details"][0]["days"] == 31


def test_the_api_and_the_admin_list_the_same_boards(api, client, as_role):
    """One service lists the boards: the API keeps its id order (clients page through it),
    the admin shows them by name."""
    for name in ("Chợ Đông Kinh", "Bảng B", "Bảng A"):
        api.board(name)
    listed = [b["name"] for b in api.ok("GET", "/boards", "viewer")["boards"]]
    assert listed == ["Chợ Đông Kinh", "Bảng B", "Bảng A"]
    as_role("viewer")
    html = client.get("/boards").get_data(as_text=True)
    shown = [html.index(f"<strong>{name}</strong>") for name in sorted(listed)]
    assert shown == sorted(shown)
