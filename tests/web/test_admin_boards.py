"""The admin's board pages: health, the settings form with the transition, pairing by code
(new or existing board), the limit on wrong codes, and the USB bundle form."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from admin_helpers import PASSWORD, post_form
from sqlalchemy import func, select

from signage import create_app
from signage.models import Board, Pairing
from signage.services import board_health, boards, pairing


@pytest.fixture
def log_in(as_role):
    """These tests read the English pages unless they say otherwise."""
    return lambda role, language="en": as_role(role, language)


@pytest.fixture
def board_id(runtime) -> int:
    with runtime.db.transaction() as s:
        board, _ = boards.create_board(s, "Cửa khẩu Hữu Nghị", 384, 192)
        return board.id


def _code(runtime) -> str:
    with runtime.db.transaction() as s:
        return pairing.start(s).code


def _board(runtime, board_id: int) -> Board:
    with runtime.db.sessions() as s:
        board = s.get(Board, board_id)
        s.expunge(board)
        return board


def _boards_named(runtime, name: str) -> int:
    with runtime.db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Board).where(Board.name == name))


def _beat(runtime, board_id: int, seen_ago: timedelta, **payload) -> None:
    with runtime.db.transaction() as s:
        board = s.get(Board, board_id)
        board_health.record_heartbeat(s, board, payload)
        board.last_seen_at = datetime.now(UTC) - seen_ago


# --- health ------------------------------------------------------------------------------------


def test_an_online_board_shows_what_it_reports(client, log_in, runtime, board_id):
    beat = {
        "player_version": "web-3.0",
        "current": None,
        "screen": {"width": 384, "height": 192},
        "uptime_s": 93784,
    }
    _beat(runtime, board_id, timedelta(seconds=10), **beat)
    log_in("viewer")
    listed = client.get("/boards").get_data(as_text=True)
    assert 'data-status="online"' in listed and "web-3.0" in listed
    assert "screen-mismatch" not in listed
    page = client.get(f"/boards/{board_id}").get_data(as_text=True)
    assert 'data-status="online"' in page and "1d 02:03" in page  # the uptime


def test_a_silent_board_is_offline_since_its_last_heartbeat(client, log_in, runtime, board_id):
    silent = timedelta(seconds=runtime.settings.offline_after_s + 60)
    _beat(runtime, board_id, silent, screen={"width": 1920, "height": 1080})
    last = _board(runtime, board_id).last_seen_at
    shown = last.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    log_in("viewer")
    for path in ("/boards", f"/boards/{board_id}"):
        html = client.get(path).get_data(as_text=True)
        assert 'data-status="offline"' in html, path
        assert f"since {shown:%d/%m/%Y %H:%M}" in html, path
        assert "screen-mismatch" in html and "1920×1080" in html, path  # registered 384×192


def test_the_board_page_previews_the_image_on_screen(client, log_in, runtime, api_slide):
    board_id, sha256 = api_slide
    _beat(runtime, board_id, timedelta(0), current={"slide_id": 1, "sha256": sha256})
    log_in("viewer")
    for path in ("/boards", f"/boards/{board_id}"):
        html = client.get(path).get_data(as_text=True)
        assert f'src="/media/{sha256}.' in html, path
        assert "Nghị quyết 49" in html, path  # the slide's title


@pytest.fixture
def api_slide(client, auth, runtime) -> tuple[int, str]:
    """A board whose manifest holds one approved slide; returns the board and its image."""
    from api_helpers import Api

    api = Api(client, auth)
    board = api.board()
    slide = api.approved_slide("Nghị quyết 49")
    api.schedule(api.playlist([slide["id"]])["id"], boards=[board["id"]])
    manifest = client.get(
        "/api/v1/player/manifest", headers={"Authorization": f"Bearer {board['token']}"}
    ).get_json()
    item = manifest["segments"][0]["items"][0]
    assert item["slide_id"] == slide["id"]
    return board["id"], item["sha256"]


# --- settings ----------------------------------------------------------------------------------


def test_the_transition_is_chosen_when_registering(client, log_in, runtime):
    log_in("admin")
    response = post_form(
        client,
        "/boards/new",
        name="Sảnh UBND",
        width="1920",
        height="1080",
        timezone="",
        transition="crossfade",
    )
    assert response.status_code == 200 and "/player/#token=" in response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        made = s.scalars(select(Board).where(Board.name == "Sảnh UBND")).one()
        assert made.transition == "crossfade"


def test_the_edit_form_changes_settings_and_names_bad_fields(client, log_in, runtime, board_id):
    log_in("admin")
    page = f"/boards/{board_id}/edit"
    form = client.get(page).get_data(as_text=True)
    assert 'value="Cửa khẩu Hữu Nghị"' in form and '<option value="cut" selected>' in form
    bad = post_form(client, page, name="X", width="384", height="192", transition="wipe")
    assert bad.status_code == 422
    assert 'id="transition" name="transition" aria-invalid="true"' in bad.get_data(as_text=True)
    assert _board(runtime, board_id).name == "Cửa khẩu Hữu Nghị"  # nothing half-saved
    good = post_form(
        client, page, name="Hữu Nghị", width="512", height="256", transition="crossfade"
    )
    assert good.status_code == 302 and good.location.endswith(f"/boards/{board_id}")
    saved = _board(runtime, board_id)
    assert (saved.name, saved.width, saved.height, saved.transition) == (
        "Hữu Nghị",
        512,
        256,
        "crossfade",
    )


def test_only_managers_edit_and_pair(client, log_in, board_id):
    log_in("editor")
    html = client.get(f"/boards/{board_id}").get_data(as_text=True)
    assert "/edit" not in html and "/boards/pair" not in client.get("/boards").get_data(
        as_text=True
    )
    assert client.get(f"/boards/{board_id}/edit").status_code == 403
    assert client.get("/boards/pair").status_code == 403


# --- pairing -----------------------------------------------------------------------------------


def test_a_code_registers_a_new_board_in_one_form(client, log_in, runtime):
    code = _code(runtime)
    with runtime.db.transaction() as s:
        group = boards.create_group(s, "Huyện Lộc Bình")
        group_id = group.id
    log_in("admin")
    response = post_form(
        client,
        "/boards/pair",
        code=f"{code[:3].lower()}-{code[3:]}",
        target="new",
        name="Bưu điện Lộc Bình",
        width="640",
        height="320",
        timezone="Asia/Ho_Chi_Minh",
        transition="cut",
        groups=str(group_id),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        made = s.scalars(select(Board).where(Board.name == "Bưu điện Lộc Bình")).one()
        assert (made.width, made.height, [g.id for g in made.groups]) == (640, 320, [group_id])
        assert s.scalars(select(Pairing)).one().board_id == made.id
    assert response.location.endswith(f"/boards/{made.id}")


def test_a_code_can_go_to_an_existing_board(client, log_in, runtime, board_id):
    code = _code(runtime)
    old_hash = _board(runtime, board_id).token_hash
    log_in("admin")
    response = post_form(
        client, "/boards/pair", code=code, target="existing", board_id=str(board_id)
    )
    assert response.status_code == 302
    assert _board(runtime, board_id).token_hash != old_hash
    missing = post_form(client, "/boards/pair", code=_code(runtime), target="existing")
    assert missing.status_code == 422
    assert 'id="board_id" name="board_id" aria-invalid="true"' in missing.get_data(as_text=True)
    deleted = post_form(
        client, "/boards/pair", code=_code(runtime), target="existing", board_id="999999"
    )
    assert deleted.status_code == 422  # a board deleted since the form was shown
    assert 'id="board_id" name="board_id" aria-invalid="true"' in deleted.get_data(as_text=True)


def test_a_wrong_code_saves_nothing_and_says_so(client, log_in, runtime):
    _code(runtime)
    log_in("admin")
    response = post_form(
        client, "/boards/pair", code="ZZZZZZ", target="new", name="Bảng thử", width="640",
        height="320",
    )  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "no waiting board shows this code, or it expired" in html
    assert 'value="Bảng thử"' in html  # what was typed is kept
    assert _boards_named(runtime, "Bảng thử") == 0


def test_an_expired_code_is_refused(client, log_in, runtime, board_id):
    code = _code(runtime)
    with runtime.db.transaction() as s:
        s.scalars(select(Pairing)).one().expires_at = datetime.now(UTC) - timedelta(seconds=1)
    log_in("admin")
    response = post_form(client, f"/boards/{board_id}", f"/boards/{board_id}/pair", code=code)
    assert response.status_code == 422
    assert "expired" in response.get_data(as_text=True)


def test_wrong_codes_are_limited_with_a_clear_message(client, log_in, runtime, board_id):
    code = _code(runtime)
    log_in("admin")
    page, action = f"/boards/{board_id}", f"/boards/{board_id}/pair"
    statuses = [post_form(client, page, action, code="ZZZZZZ").status_code for _ in range(10)]
    assert statuses == [422] * 10
    refused = post_form(client, page, action, code=code)  # even the right code must wait
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert re.search(r"Too many wrong codes\. Wait 1[45] minutes", html) and 'name="code"' in html
    on_new = post_form(client, "/boards/pair", code=code, name="Mới", width="640", height="320")
    assert on_new.status_code == 429 and "Too many wrong codes" in on_new.get_data(as_text=True)
    with runtime.db.sessions() as s:
        assert s.scalars(select(Pairing)).one().board_id is None


def test_the_limit_counts_per_user(client, log_in, runtime, board_id, app):
    log_in("admin")
    page, action = f"/boards/{board_id}", f"/boards/{board_id}/pair"
    for _ in range(10):
        post_form(client, page, action, code="ZZZZZZ")
    # Another manager on the same address still has a budget of their own.
    with runtime.db.transaction() as s:
        from signage.services import accounts

        accounts.create_user(s, "admin2", "admin", PASSWORD)
    second = app.test_client()
    post_form(second, "/login", username="admin2", password=PASSWORD)
    code = _code(runtime)
    assert post_form(second, page, action, code=code).status_code == 302


# --- USB bundle --------------------------------------------------------------------------------


def test_the_bundle_form_asks_for_days(client, log_in, app, board_id):
    """The form appears exactly when the export view is installed (it ships separately)."""
    log_in("viewer")
    html = client.get(f"/boards/{board_id}").get_data(as_text=True)
    installed = "admin.board_bundle" in app.view_functions
    assert (f'action="/boards/{board_id}/bundle"' in html) is installed
    assert ('name="days" value="7" min="1" max="31"' in html) is installed


def test_the_board_page_renders_without_the_bundle_export(runtime, users, board_id):
    app = create_app(runtime=runtime)
    app.view_functions.pop("admin.board_bundle", None)
    client = app.test_client()
    post_form(client, "/login", username="viewer", password=PASSWORD)
    response = client.get(f"/boards/{board_id}")
    assert response.status_code == 200
    assert "/bundle" not in response.get_data(as_text=True)
