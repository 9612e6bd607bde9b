"""The player shows what the contract's clock rule names, when it names it.

Switch instants are taken in the page (a MutationObserver on body[data-slide-id], stamped with
Date.now()); the browser and the server share this machine's clock, so those stamps are true
server time, and the offset the player estimates is checked rather than trusted.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.browser

# A switch must land within this of the instant the clock rule names. On loopback the player
# knows the server's clock to within +/-50 ms (we wait for that); the rest covers timer and
# frame latency on a busy two-core machine. A player off by one whole item, or following its
# own clock instead of the server's (7.3 s apart below), misses by seconds.
TOLERANCE_S = 0.25


def assert_switches_match(recorded, expected, clock_ahead_s=0.0):
    """The slides came in the expected order, each switch within the tolerance of its instant."""
    seen = [(r["at"] / 1000 + clock_ahead_s, r["slide"]) for r in recorded]
    assert [s for _, s in seen] == [s for _, s in expected], f"saw {seen}, expected {expected}"
    for (at, slide), (want_at, _) in zip(seen, expected, strict=True):
        assert abs(at - want_at) <= TOLERANCE_S, f"slide {slide} at {at:.3f}, not {want_at:.3f}"


def test_order_and_timing_follow_the_server_clock(server, player, make_board):
    # The server's clock runs 7.3 s ahead of the board's: the board must follow the server's.
    server.network.clock_ahead_s = 7.3
    board = make_board([2, 3, 2], width=480, height=270)
    rule = board.rule()
    player.open(board.token)
    player.wait_clock_synced()
    offset = player.page.evaluate("signagePlayer.clockOffsetMs") / 1000
    assert offset == pytest.approx(7.3, abs=0.05)

    # Observe a little more than one whole rotation (7 s), away from the window's edges.
    start = time.time() + 7.3 + TOLERANCE_S
    time.sleep(9)
    end = time.time() + 7.3 - TOLERANCE_S
    recorded = [r for r in player.recorder()["switches"] if start < r["at"] / 1000 + 7.3 < end]

    expected = rule.switches(start, end)
    assert {s for _, s in expected} == set(board.slides)
    assert_switches_match(recorded, expected, clock_ahead_s=7.3)
    assert player.recorder()["uncovered"] == []  # never a frame without a decoded image


def test_switches_segment_exactly_at_its_start(api, player, make_board):
    board = make_board([2, 2], width=480, height=270)
    # A higher-priority playlist whose schedule starts a few seconds from now.
    urgent = [api.approved_slide(f"Khẩn {n}", duration_s=3)["id"] for n in (1, 2)]
    playlist = api.playlist(urgent, name="Thông báo")
    boundary = (datetime.now(UTC) + timedelta(seconds=9)).replace(microsecond=0)
    api.schedule(playlist["id"], boards=[board.id], starts_at=boundary.isoformat(), priority=50)
    rule = board.rule()
    assert boundary.timestamp() in {start for start, _, _ in rule.segments}

    player.open(board.token)
    player.wait_clock_synced()
    at = boundary.timestamp()
    assert time.time() < at - 2, "the player took too long to start to see the switch"
    time.sleep(at + 4 - time.time())

    start, end = at - 2, time.time() - TOLERANCE_S
    recorded = [r for r in player.recorder()["switches"] if start < r["at"] / 1000 < end]
    expected = rule.switches(start, end)
    assert (at, urgent[0]) in expected  # the new segment opens on its first item
    assert_switches_match(recorded, expected)
    assert player.recorder()["uncovered"] == []
