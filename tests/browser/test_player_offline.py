"""The board keeps to its schedule with the server really stopped, and what it played while
offline reaches the server exactly once when it is back."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from switch_timing import switch_tolerance
from waiting import wait_for

from signage.models import Play

pytestmark = pytest.mark.browser

PLAYS = "/api/v1/player/plays"
MANIFEST = "/api/v1/player/manifest"


def instant(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def assert_unreachable(url: str) -> None:
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{url}/healthz", timeout=2)


def wait_until(check, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {timeout_s} s: {what}")


def requests_to(server, path: str) -> list[dict]:
    return [e for e in server.network.log if e["path"] == path]


def jump_to_middle_of_item(player, rule, target: float) -> float:
    """Move the player's clock into the middle of the item the rule names at `target` (well away
    from both of its ends), let it settle, and return the instant the player is now at."""
    item, left = rule.at(target)
    aim = target + min(left, item["duration_s"]) / 2
    player.page.evaluate("(ms) => signagePlayer.test.shiftClock(ms)", (aim - player.now()) * 1000)
    return player.now()


def test_plays_its_schedule_with_the_server_stopped(server, api, player, make_board):
    board = make_board([2, 2], width=480, height=270)
    # A second playlist takes over a few seconds from now and hands back 30 hours later: two
    # segment switches, both made with no server at all.
    evening = [api.approved_slide(f"Buổi tối {n}", duration_s=3)["id"] for n in (1, 2)]
    playlist = api.playlist(evening, name="Buổi tối")
    boundary = (datetime.now(UTC) + timedelta(seconds=16)).replace(microsecond=0)
    api.schedule(
        playlist["id"],
        boards=[board.id],
        starts_at=boundary.isoformat(),
        ends_at=(boundary + timedelta(hours=30)).isoformat(),
        priority=50,
    )
    manifest = board.manifest()
    rule = board.rule()
    player.open(board.token)
    player.wait_offline_ready()
    clock_bound = player.wait_clock_synced()

    server.stop()
    assert_unreachable(server.url)

    # The switch at the boundary, offline.
    at = boundary.timestamp()
    assert time.time() < at - 1, "the player took too long to start to see the switch"
    time.sleep(at + 3 - time.time())
    tolerance = switch_tolerance(player.page, at - 1, at + 1, clock_bound)
    recorded = [(r["at"] / 1000, r["slide"]) for r in player.recorder()["switches"]]
    assert any(s == evening[0] and abs(t - at) <= tolerance for t, s in recorded), recorded

    # A reload while offline: the service worker serves the player, the cache its manifest
    # and media, and it carries on where the clock rule says.
    player.page.reload()
    player.wait_playing(timeout_ms=10_000)
    served_by = player.page.evaluate(
        """() => ({worker: signagePlayer.serviceWorker,
                   controlled: navigator.serviceWorker.controller !== null,
                   persisted: signagePlayer.persisted})"""
    )
    assert served_by["worker"] == "active" and served_by["controlled"]
    assert served_by["persisted"] in (True, False)  # persistent storage was asked for
    now = jump_to_middle_of_item(player, rule, player.now())
    assert player.slide() == rule.slide(now) == evening[int((now - at) % 6 >= 3)]

    # The whole horizon, still offline: late in the evening playlist, after it hands back 30 h
    # on, near the end of valid_until, and a day past it (the last content keeps rotating).
    valid_until = instant(manifest["valid_until"])
    assert valid_until - time.time() >= 47.9 * 3600
    for target in (at + 30 * 3600 - 2, at + 30 * 3600 + 1, valid_until - 60, valid_until + 86400):
        now = jump_to_middle_of_item(player, rule, target)
        assert player.slide() == rule.slide(now), f"wrong slide {target - at:.0f} s in"
    assert rule.slide(at + 30 * 3600 + 1) in board.slides  # the hand-back was visited
    assert player.page.evaluate("signagePlayer.state") == "playing"
    assert player.recorder()["uncovered"] == []  # never a blank frame, reload included


def test_plays_made_offline_are_counted_once(server, runtime, player, make_board):
    runtime.settings = runtime.settings.with_overrides(poll_seconds=5)
    board = make_board([1, 1], width=320, height=180)
    player.open(board.token)
    player.wait_offline_ready()

    server.stop()
    outage = time.time()
    time.sleep(4)
    player.page.reload()  # the queue lives in IndexedDB: a reload keeps it
    player.wait_playing(timeout_ms=10_000)
    time.sleep(3)
    real_time = [p for p in player.queued_plays() if instant(p["started_at"]) >= outage]
    assert len(real_time) >= 4, real_time
    # A long outage, played fast: 2500 more plays (some 7 hours of 10 s slides).
    player.page.evaluate("(n) => signagePlayer.test.rotate(n)", 2500)
    queued = player.queued_plays()
    ids = [p["id"] for p in queued]
    assert len(ids) >= 2500 + len(real_time)
    assert len(set(ids)) == len(ids)

    # The first batch after the outage is committed but its answer is lost: the board must
    # send it again, and the server must not count it twice.
    server.network.lose_plays_acks = 1
    server.start()
    # (New plays keep joining the queue every second: wait for the outage's plays to leave it.)
    outage_plays = set(ids)
    wait_until(
        lambda: not outage_plays & {p["id"] for p in player.queued_plays()},
        40,
        "the plays of the outage left the queue",
    )

    with runtime.db.sessions() as session:
        rows = select(func.count()).select_from(Play).where(Play.board_id == board.id)
        total = session.scalar(rows)
        stored = session.scalar(rows.where(Play.id.in_(ids)))
    assert stored == len(ids)  # every play queued during the outage, each exactly once
    answers = [e for e in requests_to(server, PLAYS) if "answer" in e]
    lost = [e for e in answers if e.get("lost")]
    assert len(lost) == 1 and lost[0]["answer"]["accepted"] > 0, answers
    retried = answers[answers.index(lost[0]) + 1]
    assert retried["answer"]["duplicates"] >= lost[0]["answer"]["accepted"]
    assert sum(e["answer"]["accepted"] for e in answers) == total
    batches = [e["answer"]["accepted"] + e["answer"]["duplicates"] for e in answers]
    assert max(batches) == 1000  # the contract's limit, and the queue was sent in full batches


def test_new_manifest_goes_live_only_once_its_media_is_stored(
    server, runtime, api, player, make_board
):
    runtime.settings = runtime.settings.with_overrides(poll_seconds=5)
    board = make_board([2, 2], width=480, height=270)
    player.open(board.token)
    clock_bound = player.wait_clock_synced()
    old = board.manifest()
    wait_until(
        lambda: 304 in {e["status"] for e in requests_to(server, MANIFEST)},
        15,
        "a manifest poll answered 304",
    )

    server.network.media_delay_s = 2.5  # the new content is slow to arrive
    fresh = [api.approved_slide(f"Mới {n}", duration_s=2)["id"] for n in (1, 2)]
    api.schedule(api.playlist(fresh, name="Mới")["id"], boards=[board.id], priority=50)
    new = board.manifest()
    wait_for(
        player.page,
        "(v) => signagePlayer.manifestVersion === v",
        arg=new["version"],
        timeout=30_000,
    )
    switched = instant(player.page.evaluate("signagePlayer.manifestSwitchedAt"))

    polls = requests_to(server, MANIFEST)
    assert all(e["if_none_match"] for e in polls[1:])  # every poll after the first revalidates
    new_media = {i["url"] for s in new["segments"] for i in s["items"]}
    old_media = {i["url"] for s in old["segments"] for i in s["items"]} - new_media
    served = [e for e in server.network.log if e["path"] in new_media]
    assert {e["path"] for e in served} == new_media
    assert switched >= max(e["ended"] for e in served)  # not before the last file arrived

    shown = [(r["at"] / 1000, r["slide"]) for r in player.recorder()["switches"]]
    tolerance = switch_tolerance(player.page, switched - 1, switched + 1, clock_bound)
    assert all(t >= switched - tolerance for t, s in shown if s in fresh)
    assert any(s in fresh for _, s in shown)
    assert player.recorder()["uncovered"] == []
    stored = player.page.evaluate(
        """async (urls) => Promise.all(urls.map(async (u) => !!(await caches.match(u))))""",
        sorted(new_media) + sorted(old_media),
    )
    assert stored == [True] * len(new_media) + [False] * len(old_media)  # old files pruned


def test_player_files_are_revalidated(client):
    """The HTTP side of offline support: the player's files (the worker's script included) are
    revalidated on every load, so a new release reaches boards."""
    for path in ("/player/", "/player/player.js", "/player/cache.js", "/player/sw.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-cache" in response.headers["Cache-Control"], path
        again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304, path  # revalidating costs a 304, not the file
    assert "javascript" in client.get("/player/sw.js").headers["Content-Type"]


def test_the_worker_stores_every_file_the_page_loaded(player, make_board):
    """What a reload while offline needs is exactly what the page loaded online, all stored."""
    board = make_board([2, 2], width=320, height=180)
    player.open(board.token)
    player.wait_offline_ready()
    seen = player.page.evaluate(
        """async () => {
            const loaded = performance.getEntriesByType('resource')
              .filter((e) => ['script', 'link'].includes(e.initiatorType)).map((e) => e.name);
            const shells = (await caches.keys()).filter((n) => n.startsWith('signage-shell-'));
            const cache = await caches.open(shells[0]);
            const stored = (await cache.keys()).map((r) => r.url);
            return {loaded, shells, stored, page: location.origin + location.pathname};
        }"""
    )
    assert len(seen["shells"]) == 1  # one release stored, under its content's name
    assert "stage.js" in {url.rsplit("/", 1)[1] for url in seen["loaded"]}
    assert set(seen["stored"]) >= {*seen["loaded"], seen["page"]}
    assert set(seen["stored"]) - set(seen["loaded"]) == {seen["page"], seen["page"] + "index.html"}
