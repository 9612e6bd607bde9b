"""Proof of play across a change of token: plays the board made but has not sent yet survive a
rotated token (or a re-pairing) and are counted once for their board, never for another."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from waiting import wait_for

from signage.models import Play
from signage.services import boards

pytestmark = pytest.mark.browser

OFFLINE_PLAYS = 60  # rotated fast while the server is stopped


def wait_until(check, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {timeout_s} s: {what}")


def stored(runtime, ids, board_id: int | None = None) -> int:
    """How many of these play ids the plays table holds (for that board, if given)."""
    with runtime.db.sessions() as session:
        rows = select(func.count()).select_from(Play).where(Play.id.in_(list(ids)))
        if board_id is not None:
            rows = rows.where(Play.board_id == board_id)
        return session.scalar(rows)


def rotate_token(runtime, board_id: int) -> str:
    """What "new player address" in the admin does: the old token is refused from now on."""
    with runtime.db.transaction() as session:
        return boards.rotate_token(session, boards.get_board(session, board_id))


def plays_offline(server, player, board) -> set[str]:
    """Open the board, stop the server, and let it make plays; their ids, each checked to carry
    the board it was made on."""
    player.open(board.token)
    player.wait_offline_ready()
    server.stop()
    player.page.evaluate("(n) => signagePlayer.test.rotate(n)", OFFLINE_PLAYS)
    queued = player.queued_plays()
    assert len(queued) >= OFFLINE_PLAYS
    assert {p["board_id"] for p in queued} == {board.id}
    return {p["id"] for p in queued}


def legacy_play(player) -> str:
    """A play queued the way players before 0.3.0 left it (in their localStorage list, with no
    board id): the board it belongs to is the one of the token stored now. Returns its id."""
    return player.page.evaluate(
        """() => {
            const id = crypto.randomUUID();
            const play = { id, slide_id: null, sha256: '0'.repeat(64),
                           started_at: new Date().toISOString(), duration_s: 1 };
            localStorage.setItem('signage.plays', JSON.stringify([play]));
            return id;
        }"""
    )


def board_of(player, play_id: str):
    return next(p["board_id"] for p in player.queued_plays() if p["id"] == play_id)


def give_token(player, token: str) -> None:
    """Paste a new player address into the running kiosk: the page takes the token from the
    fragment and reloads (served by its service worker while the server is stopped)."""
    with player.page.expect_event("load"):
        player.page.goto(f"{player.server.url}/player/#token={token}")
    wait_for(
        player.page,
        "(t) => window.signagePlayer && localStorage.getItem('signage.token') === t",
        arg=token,
    )


def queued_ids(player) -> set[str]:
    return {p["id"] for p in player.queued_plays()}


def test_offline_plays_are_counted_once_after_the_token_is_rotated(
    server, runtime, player, make_board
):
    runtime.settings = runtime.settings.with_overrides(poll_seconds=5)
    board = make_board([1, 1], width=320, height=180)
    offline = plays_offline(server, player, board)
    older = legacy_play(player)

    new_token = rotate_token(runtime, board.id)
    give_token(player, new_token)
    # No manifest has come under the new token yet: nothing may be sent, so nothing is lost.
    assert offline <= queued_ids(player)
    assert board_of(player, older) == board.id  # the old token's board, written in on leaving it
    offline.add(older)
    assert player.page.evaluate("signagePlayer.boardId") is None

    server.start()
    player.wait_playing()
    wait_until(lambda: not offline & queued_ids(player), 30, "the offline plays were sent")
    assert stored(runtime, offline, board.id) == len(offline)  # each once, for this board
    assert player.page.evaluate("signagePlayer.boardId") == board.id


def test_plays_survive_a_refused_token_and_a_re_pairing(server, runtime, player, make_board):
    runtime.settings = runtime.settings.with_overrides(poll_seconds=5)
    board = make_board([1, 1], width=320, height=180)
    offline = plays_offline(server, player, board)

    # The server comes back with the token rotated: the board is refused and asks for pairing,
    # keeping its unsent plays.
    new_token = rotate_token(runtime, board.id)
    server.start()
    wait_for(player.page, "signagePlayer.state === 'pairing'", timeout=30_000)
    assert offline <= queued_ids(player)
    assert stored(runtime, offline) == 0

    give_token(player, new_token)  # paired to the same board again
    player.wait_playing()
    wait_until(lambda: not offline & queued_ids(player), 30, "the offline plays were sent")
    assert stored(runtime, offline, board.id) == len(offline)


def test_plays_of_another_board_are_never_sent_under_this_token(
    server, runtime, player, make_board
):
    runtime.settings = runtime.settings.with_overrides(poll_seconds=5)
    first = make_board([1, 1], width=320, height=180)
    second = make_board([1, 1], width=320, height=180)
    made_on_first = plays_offline(server, player, first)
    older = legacy_play(player)

    give_token(player, second.token)  # the screen now shows another board
    assert board_of(player, older) == first.id
    made_on_first.add(older)
    server.start()
    player.wait_playing()
    # The second board's manifest is live: the first board's plays are dropped, and the second
    # board's own plays go out.
    wait_until(lambda: not made_on_first & queued_ids(player), 30, "the first board's plays left")
    assert player.page.evaluate("signagePlayer.boardId") == second.id
    player.page.evaluate("(n) => signagePlayer.test.rotate(n)", 250)  # 200 queued: sent at once
    made_on_second = queued_ids(player)
    assert {p["board_id"] for p in player.queued_plays()} == {second.id}
    wait_until(
        lambda: stored(runtime, made_on_second, second.id) == len(made_on_second),
        30,
        "the second board's plays were counted",
    )
    assert stored(runtime, made_on_first) == 0  # neither as the second board's, nor at all
