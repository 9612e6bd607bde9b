"""Chromium opens a demo board's player and sees the slides change when the clock rule says."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from sqlalchemy import select
from switch_timing import switch_tolerance

from signage import demo
from signage.models import Board, Heartbeat, Play

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_boards(runtime):
    with runtime.db.transaction() as session:
        return [(board.id, token) for board, token in demo.seed(session, runtime.store)]


def parse(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def expected_slide(manifest: dict, now: float) -> tuple[int, float]:
    """The clock rule: the slide on screen at `now`, and seconds to the next switch."""
    segment = next(s for s in manifest["segments"] if parse(s["start"]) <= now < parse(s["end"]))
    total = sum(item["duration_s"] for item in segment["items"])
    offset = (now - parse(segment["start"])) % total
    for item in segment["items"]:
        if offset < item["duration_s"]:
            return item["slide_id"], item["duration_s"] - offset
        offset -= item["duration_s"]
    raise AssertionError("offset outside the rotation")


def player_state(page) -> dict:
    return page.evaluate(
        """() => ({slide: Number(document.body.dataset.slideId || 0),
                   now: (Date.now() + window.signagePlayer.clockOffsetMs) / 1000,
                   state: window.signagePlayer.state,
                   uncertainty: window.signagePlayer.clockUncertaintyMs})"""
    )


def test_demo_board_plays_on_time_and_reports(player, client, demo_boards, runtime):
    board_id, token = demo_boards[0]
    manifest = client.get(
        "/api/v1/player/manifest", headers={"Authorization": f"Bearer {token}"}
    ).get_json()

    page = player.page
    player.open(token)
    clock_bound = player.wait_clock_synced()
    assert "token=" not in page.url  # the token leaves the address bar

    seen, switches = [], []
    deadline = time.monotonic() + 14  # longer than one 12-second demo slide
    while time.monotonic() < deadline:
        state = player_state(page)
        want, _ = expected_slide(manifest, state["now"])
        if seen and state["slide"] != seen[-1][1]:
            switches.append(state["now"])
        seen.append((state["now"], state["slide"], want))
        time.sleep(0.05)

    assert switches, "no slide change in 14 s"
    # Samples are read in the page on the player's clock; the page's timers use its own.
    offset = page.evaluate("signagePlayer.clockOffsetMs") / 1000
    since, until = seen[0][0] - offset, seen[-1][0] - offset
    tolerance = switch_tolerance(page, since, until, clock_bound)
    for now, shown, want in seen:
        if shown != want:
            _, to_next = expected_slide(manifest, now - tolerance)
            assert to_next <= tolerance, f"showed {shown}, rule says {want} at {now}"

    img = page.locator("img.is-front")
    assert img.get_attribute("data-sha256") in {
        i["sha256"] for s in manifest["segments"] for i in s["items"]
    }

    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        with runtime.db.sessions() as session:
            board = session.get(Board, board_id)
            plays = session.scalars(select(Play).where(Play.board_id == board_id)).all()
            if board.current_slide_id and plays:
                break
        time.sleep(0.5)
    assert board.last_seen_at is not None, "no heartbeat reached the server"
    assert board.current_slide_id in {s for _, s, _ in seen}  # the admin sees what is on screen
    assert plays, "no play reached the server"
    assert {p.slide_id for p in plays} <= {s for _, s, _ in seen}
    assert_heartbeat_as_the_contract_says(page, runtime, board_id, manifest)


def assert_heartbeat_as_the_contract_says(page, runtime, board_id, manifest) -> None:
    with runtime.db.sessions() as session:
        beat = session.scalars(select(Heartbeat).where(Heartbeat.board_id == board_id)).first()
    reported = page.evaluate(
        """() => ({version: signagePlayer.version,
                   width: Math.round(screen.width * devicePixelRatio),
                   height: Math.round(screen.height * devicePixelRatio),
                   uptime: performance.now() / 1000})"""
    )
    items = {(i["slide_id"], i["sha256"]) for s in manifest["segments"] for i in s["items"]}
    assert beat.player_version == reported["version"]
    assert (beat.slide_id, beat.sha256) in items
    assert (beat.screen_width, beat.screen_height) == (reported["width"], reported["height"])
    assert 0 <= beat.uptime_s <= reported["uptime"]
