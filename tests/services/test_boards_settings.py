"""Board settings (the transition), what a heartbeat leaves on the board, and board status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from signage.models import Board, Heartbeat, Manifest
from signage.services import board_health, boards, manifests
from signage.services.errors import ValidationFailed

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def board(session) -> Board:
    made, _ = boards.create_board(session, "Bảng LED", 384, 192)
    session.commit()
    return made


def _refusal(action) -> tuple[str, str]:
    """The field and the code of the one problem that ``action`` is refused for."""
    with pytest.raises(ValidationFailed) as caught:
        action()
    (detail,) = caught.value.details
    return detail.get("field") or detail.get("path"), detail["code"]


def test_a_board_cuts_unless_told_to_crossfade(session, board):
    assert board.transition == "cut"
    fading, _ = boards.create_board(session, "LCD", 1920, 1080, transition_name="crossfade")
    assert fading.transition == "crossfade"


@pytest.mark.parametrize("value", ["fade", "CUT", 1, ["cut"], {"kind": "cut"}, True])
def test_an_unknown_transition_is_refused_by_name(session, board, value):
    create = lambda: boards.create_board(session, "X", 384, 192, transition_name=value)  # noqa: E731
    assert _refusal(create) == ("transition", "not_one_of")
    update = lambda: boards.update_board(session, board, {"transition": value})  # noqa: E731
    assert _refusal(update) == ("transition", "not_one_of")
    session.rollback()
    assert session.get(Board, board.id).transition == "cut"


def test_an_update_changes_only_the_keys_sent(session, board):
    boards.update_board(session, board, {"transition": "crossfade"})
    assert (board.name, board.width, board.height, board.transition) == (
        "Bảng LED",
        384,
        192,
        "crossfade",
    )
    boards.update_board(session, board, {"name": "Bảng LED mới", "width": 512, "height": 256})
    assert (board.name, board.width, board.height, board.transition) == (
        "Bảng LED mới",
        512,
        256,
        "crossfade",
    )


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"width": 8}, "width", "out_of_range"),
        ({"height": "tall"}, "height", "not_an_integer"),
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown_timezone"),
        ({"groups": [999]}, "groups", "unknown_groups"),
        ({"groups": "1,2"}, "groups", "not_an_id_list"),
    ],
)
def test_bad_updates_name_the_field_and_change_nothing(session, board, change, field, code):
    assert _refusal(lambda: boards.update_board(session, board, change)) == (field, code)
    session.rollback()
    kept = session.get(Board, board.id)
    assert (kept.name, kept.width, kept.height, kept.timezone) == (
        "Bảng LED",
        384,
        192,
        "Asia/Ho_Chi_Minh",
    )


def test_the_transition_is_in_the_manifest_and_changes_its_version(session, runtime, board):
    before = manifests.build(session, runtime.store, board, NOW, 48, 30)
    assert before.body["board"]["transition"] == "cut"
    old_version = before.version
    boards.update_board(session, board, {"transition": "crossfade"})
    # The update drops the cached manifest, so the next poll rebuilds it.
    assert session.get(Manifest, board.id) is None
    after = manifests.build(session, runtime.store, board, NOW, 48, 30)
    assert after.body["board"]["transition"] == "crossfade"
    assert after.version != old_version
    boards.update_board(session, board, {"transition": "cut"})
    again = manifests.build(session, runtime.store, board, NOW, 48, 30)
    assert again.version == old_version  # the version follows the settings, not the history


BEAT = {
    "player_version": "web-2.1",
    "current": {"slide_id": 5, "sha256": "b" * 64},
    "screen": {"width": 1920, "height": 1080},
    "uptime_s": 7260,
}


def test_a_heartbeat_is_kept_and_copied_onto_the_board(session, board):
    board_health.record_heartbeat(session, board, BEAT)
    session.flush()
    assert board.last_seen_at is not None
    assert (board.current_slide_id, board.current_sha256) == (5, "b" * 64)
    assert board.player_version == "web-2.1"
    assert (board.screen_width, board.screen_height, board.uptime_s) == (1920, 1080, 7260)
    beat = session.scalars(select(Heartbeat).where(Heartbeat.board_id == board.id)).one()
    assert (beat.uptime_s, beat.screen_width, beat.slide_id) == (7260, 1920, 5)
    board_health.record_heartbeat(session, board, {"current": None, "screen": None})
    assert board.current_sha256 is None and board.uptime_s is None and board.screen_width is None


def test_the_status_follows_the_offline_threshold(board):
    assert board_health.status(board, 180, NOW) == "never"
    board.last_seen_at = NOW - timedelta(seconds=180)
    assert board_health.status(board, 180, NOW) == "online"
    board.last_seen_at = NOW - timedelta(seconds=181)
    assert board_health.status(board, 180, NOW) == "offline"
    assert board_health.status(board, 600, NOW) == "online"


def test_the_health_says_since_when_a_board_is_offline(session, board):
    never = board_health.health(board, 180, NOW)
    assert (never.status, never.online, never.offline_since) == ("never", False, None)
    board.last_seen_at = NOW - timedelta(seconds=60)
    online = board_health.health(board, 180, NOW)
    assert online.online and online.offline_since is None
    board.last_seen_at = NOW - timedelta(hours=2)
    offline = board_health.health(board, 180, NOW)
    assert offline.status == "offline" and offline.offline_since == board.last_seen_at
    other, _ = boards.create_board(session, "Bảng khác", 640, 320)
    other.last_seen_at = NOW
    assert board_health.count_online([board, other], 180, NOW) == 1


def test_a_screen_of_another_size_is_flagged(board):
    assert board_health.screen_mismatch(board) is False  # nothing reported yet
    board.screen_width, board.screen_height = 384, 192
    assert board_health.screen_mismatch(board) is False
    board.screen_width, board.screen_height = 1920, 1080
    assert board_health.screen_mismatch(board) is True
    assert board_health.health(board, 180, NOW).screen_mismatch is True
