"""The player shows what the contract's clock rule names, when it names it.

Switch instants are taken in the page (a MutationObserver on body[data-slide-id], stamped with
Date.now()); the browser and the server share this machine's clock, so those stamps are true
server time, and the offset the player estimates is checked rather than trusted. How close is
close enough is measured while the test runs (switch_timing.py).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from switch_timing import CAP_S, switch_tolerance

pytestmark = pytest.mark.browser


def assert_switches_match(recorded, expected, tolerance, clock_ahead_s=0.0):
    """The slides came in the expected order, each switch within the tolerance of its instant."""
    seen = [(r["at"] / 1000 + clock_ahead_s, r["slide"]) for r in recorded]
    assert [s for _, s in seen] == [s for _, s in expected], f"saw {seen}, expected {expected}"
    for (at, slide), (want_at, _) in zip(seen, expected, strict=True):
        assert abs(at - want_at) <= tolerance, f"slide {slide} at {at:.3f}, not {want_at:.3f}"


def recorded_between(player, start: float, end: float, clock_ahead_s=0.0) -> list[dict]:
    """The switches the page saw in (start, end), server time."""
    switches = player.recorder()["switches"]
    return [r for r in switches if start < r["at"] / 1000 + clock_ahead_s < end]


def test_order_and_timing_follow_the_server_clock(server, player, make_board):
    # The server's clock runs 7.3 s ahead of the board's: the board must follow the server's.
    ahead = server.network.clock_ahead_s = 7.3
    board = make_board([2, 3, 2], width=480, height=270)
    rule = board.rule()
    player.open(board.token)
    clock_bound = player.wait_clock_synced()
    offset = player.page.evaluate("signagePlayer.clockOffsetMs") / 1000
    assert abs(offset - ahead) <= clock_bound, f"offset {offset} s, the server is {ahead} s ahead"

    # A little more than one whole rotation (7 s), opening and closing far from any switch.
    start = rule.calm_after(time.time() + ahead)
    end = rule.calm_after(start + 7.5)
    time.sleep(end - ahead - time.time() + CAP_S)  # until even a late last switch is recorded

    tolerance = switch_tolerance(player.page, start - ahead, end - ahead, clock_bound)
    expected = rule.switches(start, end)
    assert {s for _, s in expected} == set(board.slides)
    recorded = recorded_between(player, start, end, ahead)
    assert_switches_match(recorded, expected, tolerance, clock_ahead_s=ahead)
    assert player.recorder()["uncovered"] == []  # never a frame without a decoded image


def test_switches_segment_exactly_at_its_start(api, player, make_board):
    board = make_board([2, 2], width=480, height=270)
    # A higher-priority playlist whose schedule starts a few seconds from now.
    urgent = [api.approved_slide(f"Khẩn {n}", duration_s=3)["id"] for n in (1, 2)]
    playlist = api.playlist(urgent, name="Thông báo")
    boundary = (datetime.now(UTC) + timedelta(seconds=14)).replace(microsecond=0)
    api.schedule(playlist["id"], boards=[board.id], starts_at=boundary.isoformat(), priority=50)
    rule = board.rule()
    assert boundary.timestamp() in {start for start, _, _ in rule.segments}

    player.open(board.token)
    clock_bound = player.wait_clock_synced()
    at = boundary.timestamp()
    start = rule.calm_after(time.time())
    assert start < at - 1, "the player took too long to start to see the switch"
    end = rule.calm_after(at + 2)
    time.sleep(end - time.time() + CAP_S)

    tolerance = switch_tolerance(player.page, start, end, clock_bound)
    expected = rule.switches(start, end)
    assert (at, urgent[0]) in expected  # the new segment opens on its first item
    assert_switches_match(recorded_between(player, start, end), expected, tolerance)
    assert player.recorder()["uncovered"] == []
