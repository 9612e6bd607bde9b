"""A live server on loopback that can be stopped and restarted on the same port, with a few
network conditions a real deployment meets, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from werkzeug.http import http_date
from werkzeug.serving import make_server

# The admin API builders live with the web tests (pytest puts that folder on the path only when
# it collects them); the browser tests build their schedules with the same helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from api_helpers import Api  # noqa: E402
from switch_timing import CLOCK_CAP_S, watch_timers  # noqa: E402
from waiting import wait_for  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MANIFEST = "/api/v1/player/manifest"
PLAYS = "/api/v1/player/plays"


class Network:
    """WSGI middleware between the app and the socket: what the board's network does to it.

    - ``clock_ahead_s``: the server's clock (Date header, the manifest's server_time) runs this
      far ahead of the machine's, as if the board's own clock were wrong by as much.
    - ``lose_plays_acks``: that many POST /plays are processed and committed, but the board gets
      a 500 instead of the answer, as when a connection drops after the commit.
    - ``media_delay_s``: every media file takes this long to arrive (a slow link).
    - ``log``: every request: path, If-None-Match, status, when it started and ended, and for
      POST /plays the server's answer.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.clock_ahead_s = 0.0
        self.lose_plays_acks = 0
        self.media_delay_s = 0.0
        self.log: list[dict] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        entry = {"path": path, "if_none_match": environ.get("HTTP_IF_NONE_MATCH")}
        entry["started"] = time.time()
        status, headers, body = self._run_app(environ)
        if path.startswith("/media/") and self.media_delay_s:
            time.sleep(self.media_delay_s)
        entry.update(ended=time.time(), status=int(status.split()[0]))
        if path == PLAYS and environ["REQUEST_METHOD"] == "POST":
            entry["answer"] = json.loads(body or b"null")
            if self._lose_ack():
                status, headers, body = "500 INTERNAL SERVER ERROR", [], b""
                entry["lost"] = True
        with self.lock:
            self.log.append(entry)
        if self.clock_ahead_s:
            headers, body = self._shift_clock(path, headers, body)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _run_app(self, environ) -> tuple[str, list, bytes]:
        """The app's whole answer, so that it can be delayed, replaced or rewritten."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured["status"], captured["headers"], body

    def _lose_ack(self) -> bool:
        with self.lock:
            if self.lose_plays_acks <= 0:
                return False
            self.lose_plays_acks -= 1
            return True

    def _shift_clock(self, path, headers, body):
        now = time.time() + self.clock_ahead_s
        headers = [(k, v) for k, v in headers if k.lower() != "date"]
        headers.append(("Date", http_date(now)))
        if path == MANIFEST and body:
            manifest = json.loads(body)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
            manifest["server_time"] = f"{stamp}.{int(now % 1 * 1000):03d}Z"
            body = json.dumps(manifest).encode()
        return headers, body


class LiveServer:
    """The app on 127.0.0.1, stoppable: stop() closes the listening socket *and* every open
    keep-alive connection, so the board really finds nobody there; start() comes back on the
    same port (the same origin, so the board's storage and service worker still apply)."""

    def __init__(self, app) -> None:
        self.network = Network(app)
        self.port = 0
        self._server = None
        self._thread = None
        self._connections: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        server = make_server("127.0.0.1", self.port, self.network, threaded=True)
        accept = server.get_request

        def get_request():
            conn, address = accept()
            self._connections.add(conn)
            return conn, address

        server.get_request = get_request
        self.port = server.server_port
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        for conn in list(self._connections):
            with contextlib.suppress(OSError):  # already closed by its handler
                conn.shutdown(socket.SHUT_RDWR)
        self._connections.clear()
        self._thread.join(timeout=5)
        self._server = None

    @property
    def running(self) -> bool:
        return self._server is not None


@pytest.fixture
def server(app):
    """The stoppable live server (see LiveServer)."""
    live = LiveServer(app)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def live_server(server) -> str:
    return server.url


@pytest.fixture
def api(client, auth) -> Api:
    return Api(client, auth)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context(viewport={"width": 960, "height": 540})
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A page that fails its test if the page's Content-Security-Policy refused anything."""
    page = browser_context.new_page()
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    yield page
    assert refused == [], refused


# ---- The clock rule, as the contract states it ------------------------------------------------


def instant(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class ClockRule:
    """What a manifest says a board shows at instant t (seconds since the epoch): the item at
    offset (t - segment.start) mod (sum of durations). Past the last segment's end that segment
    keeps rotating, as the player does with nothing newer to follow."""

    def __init__(self, manifest: dict) -> None:
        self.segments = [
            (instant(s["start"]), instant(s["end"]), s["items"]) for s in manifest["segments"]
        ]

    def _segment(self, t: float):
        for start, end, items in self.segments:
            if start <= t < end:
                return start, end, items
        start, _, items = self.segments[-1]
        return start, float("inf"), items

    def _turn(self, t: float) -> tuple[dict, float, float]:
        """The item on screen at t, and when its turn began and ends (within its segment)."""
        start, end, items = self._segment(t)
        offset = (t - start) % sum(item["duration_s"] for item in items)
        for item in items:
            if offset < item["duration_s"]:
                began = t - offset
                return item, max(began, start), min(began + item["duration_s"], end)
            offset -= item["duration_s"]
        raise AssertionError("offset outside the rotation")

    def at(self, t: float) -> tuple[dict, float]:
        """The item on screen at t, and the seconds until the next switch."""
        item, _, ends = self._turn(t)
        return item, ends - t

    def calm_after(self, t: float) -> float:
        """The first middle of a turn at or after t: half a turn (a second or more) from any
        switch, so an observation that opens or closes there has no switch near its edges."""
        _, began, ends = self._turn(t)
        middle = (began + ends) / 2
        return middle if middle >= t else self.calm_after(ends + 1e-6)

    def slide(self, t: float) -> int:
        return self.at(t)[0]["slide_id"]

    def switches(self, t0: float, t1: float) -> list[tuple[float, int]]:
        """Every change of slide in (t0, t1): (instant, new slide id)."""
        found, t, current = [], t0, self.slide(t0)
        while True:
            t += self.at(t)[1]
            if t >= t1:
                return found
            following = self.slide(t + 1e-6)
            if following != current:
                found.append((t, following))
            current, t = following, t + 1e-6


# ---- The player in the browser --------------------------------------------------------------

# Runs in every page before the player: logs each change of the slide on screen (real time,
# Date.now(), which is also the server's clock on this machine) and checks every frame that
# some layer covers the screen with a decoded image at full opacity.
RECORDER = """
(() => {
  // `log: false` keeps only the count, for measuring the page's memory without the log's.
  const rec = { switches: [], count: 0, log: true, frames: 0, uncovered: [], fadeFrames: 0 };
  window.__recorder = rec;
  const covered = () => [...document.querySelectorAll('img.layer')].some((img) => {
    const style = getComputedStyle(img);
    return style.visibility === 'visible' && style.opacity === '1' && img.complete
      && img.naturalWidth > 0;
  });
  function frame() {
    if (document.body && document.body.dataset.state === 'playing') {
      rec.frames += 1;
      if (!covered()) rec.uncovered.push(Date.now());
      const entering = document.querySelector('img.is-entering');
      const opacity = entering ? Number(getComputedStyle(entering).opacity) : 1;
      if (opacity > 0 && opacity < 1) rec.fadeFrames += 1;
    }
    requestAnimationFrame(frame);
  }
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => {
      rec.count += 1;
      if (!rec.log) return;
      rec.switches.push({ slide: Number(document.body.dataset.slideId || 0), at: Date.now() });
    }).observe(document.body, { attributes: true, attributeFilter: ['data-slide-id'] });
    requestAnimationFrame(frame);
  });
})();
"""


class Player:
    """One board's player page, with waits and reads the tests share."""

    def __init__(self, page, server: LiveServer) -> None:
        self.page = page
        self.server = server
        page.add_init_script(RECORDER)
        watch_timers(page)

    def open(self, token: str) -> None:
        self.page.goto(f"{self.server.url}/player/#token={token}")
        self.wait_playing()

    def wait_playing(self, timeout_ms: int = 20_000) -> None:
        wait_for(
            self.page,
            "window.signagePlayer && signagePlayer.state === 'playing'",
            timeout=timeout_ms,
        )

    def wait_offline_ready(self, timeout_ms: int = 20_000) -> None:
        """The worker controls the page and the live manifest is stored for offline use."""
        wait_for(
            self.page,
            """navigator.serviceWorker.controller !== null
               && signagePlayer.serviceWorker === 'active'
               && signagePlayer.savedManifestVersion === signagePlayer.manifestVersion""",
            timeout=timeout_ms,
        )

    def wait_clock_synced(self, timeout_ms: int = 30_000) -> float:
        """Wait until the player knows the server's clock as well as this machine allows now,
        and return the width of the interval it states for its offset, in seconds: its estimate
        lies inside, so it is off by no more than that. Its timed probes get within +/-25 ms on
        an idle machine; slower round trips on a loaded one leave a wider interval when its sync
        ends, which must still be under the cap."""
        wait_for(
            self.page,
            """signagePlayer.clockUncertaintyMs !== null
               && (signagePlayer.clockUncertaintyMs <= 25
                   || signagePlayer.clockSyncedAt !== null)""",
            timeout=timeout_ms,
        )
        # Rounded to whole milliseconds by the player: one more covers that.
        bound = (2 * self.page.evaluate("signagePlayer.clockUncertaintyMs") + 1) / 1000
        assert bound <= CLOCK_CAP_S, f"the player knows the server's clock only to {bound} s"
        return bound

    def slide(self) -> int:
        return self.page.evaluate("Number(document.body.dataset.slideId || 0)")

    def now(self) -> float:
        """The player's own idea of the server's time, in seconds."""
        return self.page.evaluate("signagePlayer.test.now()") / 1000

    def recorder(self) -> dict:
        return self.page.evaluate("window.__recorder")

    def queued_plays(self) -> list[dict]:
        return self.page.evaluate("signagePlayer.test.queuedPlays()")


@pytest.fixture
def player(page, server) -> Player:
    return Player(page, server)


class SignBoard:
    """A board made through the admin API, with its token and its slides' ids."""

    def __init__(self, client, created: dict, slides: list[int]) -> None:
        self.client = client
        self.id = created["id"]
        self.token = created["token"]
        self.slides = slides

    def manifest(self) -> dict:
        """Fetched in-process, so it works while the live server is stopped."""
        response = self.client.get(MANIFEST, headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def rule(self) -> ClockRule:
        return ClockRule(self.manifest())


@pytest.fixture
def make_board(api, client):
    """make_board([2, 3]): a board whose playlist of distinct slides, one per duration in
    seconds, always plays. Keyword arguments go to POST /boards (name, width, height...)."""

    def make(durations, **board) -> SignBoard:
        created = api.board(**board)
        slides = [
            api.approved_slide(f"Trang {n}", duration_s=seconds)["id"]
            for n, seconds in enumerate(durations, 1)
        ]
        playlist = api.playlist(slides)
        api.schedule(playlist["id"], boards=[created["id"]])
        return SignBoard(client, created, slides)

    return make
