// player.js: boot, manifest polling, clock-driven playback, heartbeat. Loaded last; uses the
// modules in clock.js, net.js, timeline.js, stage.js, cache.js, plays.js and pairing.js (plain
// <script> tags, loaded in that order), and registers the service worker (sw.js).
'use strict';
(function (S) {
  const PLAYER_VERSION = '0.3.0';
  const TOKEN_KEY = 'signage.token';
  const HEARTBEAT_MS = 60000;
  const MAX_TIMER_MS = 5000; // re-check at least this often: survives sleep and clock jumps
  const CLOCK_SYNC_MS = 8 * 60 * 1000; // re-time the clock before its samples expire (10 min)
  const CLOCK_RETRY_MS = 30000; // how often to check whether the estimate needs a re-sync

  // The public face for tests and diagnostics. state: booting | pairing | loading | playing.
  const status = {
    version: PLAYER_VERSION,
    state: 'booting',
    current: null, // {slide_id, sha256, started_at}
    manifestVersion: null,
    boardId: null, // the board named by a manifest this token received: whose plays are sent
    clockOffsetMs: S.clock.offset(), // server time = Date.now() + clockOffsetMs
    clockUncertaintyMs: null, // the offset is known to within +/- this
    clockSyncedAt: null, // ISO time (server clock) the last timed sync with the server ended
    pairing: null, // {pairing_id, code, expires_at} while pairing
    lastManifestAt: null, // ISO time of the last successful manifest request
    manifestSwitchedAt: null, // ISO time (server clock) the live manifest went live
    savedManifestVersion: null, // the manifest stored for a reload while offline
    // A newer manifest held back because some of its media is not stored yet:
    // {version, missing: [sha256]}. The live one keeps playing meanwhile.
    pendingManifest: null,
    online: null, // whether the last manifest request reached the server
    serviceWorker: null, // 'active' once sw.js serves this page's scope, or why it cannot
    serviceWorkerError: null, // why the last registration (or update check) failed
    persisted: null, // what navigator.storage.persist() answered
  };
  window.signagePlayer = status;
  S.clock.onChange = (ms) => {
    status.clockOffsetMs = ms;
    status.clockUncertaintyMs = Math.round(S.clock.uncertainty());
    requestTick(); // a better estimate may move the next boundary
  };

  let session = 0; // bumped on start and on revocation; loops of an old session stop
  // What plays now: {manifest, segments, etag, version, complete}; complete is false when it
  // went live with media missing (nothing else to play), so that media is fetched again.
  let live = null;
  let showing = null; // {slide_id, sha256, startedMs, slot, board_id}: the item on screen
  let timer = null;

  const boardOf = (manifest) => (manifest && manifest.board && manifest.board.id) || null;

  function setState(s) {
    status.state = s;
    document.body.dataset.state = s;
    const el = document.getElementById('status');
    el.hidden = s !== 'loading';
  }

  // ---- Playback: the clock rule -----------------------------------------------------------
  // Ticks are serialised: a manifest switch may ask for one while another awaits a decode.
  // The promise resolves once the screen shows what the clock rule names (test hooks wait on it).
  let ticking = null;
  let tickAgain = false;
  function requestTick() {
    if (ticking) { tickAgain = true; return ticking; }
    ticking = runTicks().finally(() => { ticking = null; });
    return ticking;
  }

  async function runTicks() {
    try {
      do { tickAgain = false; await tick(); } while (tickAgain);
    } catch (e) {
      // A bug must not freeze the screen for good: log it and look again in a moment.
      console.error('signage: playback tick failed', e);
      clearTimeout(timer);
      timer = setTimeout(requestTick, 1000);
    }
  }

  async function tick() {
    clearTimeout(timer);
    if (!live) return;
    const my = session;
    const pick = S.timeline.resolve(live.segments, S.clock.now());
    if (!pick) return;
    // One slot of the rotation is one play, even when the same slide follows itself.
    const slot = `${pick.segment.start}:${pick.itemStart}`;
    const item = pick.item;
    if (!showing || showing.slot !== slot || showing.sha256 !== item.sha256) {
      await switchTo(item, slot);
      if (my !== session || !live) return;
    }
    // Decode the next item now, so its swap is instant at the boundary. (Checked on every tick:
    // a new manifest may change what comes next; prepare() is a no-op if it is loaded already.)
    const upcoming = S.timeline.upcoming(live.segments, pick.nextAt);
    if (upcoming && upcoming.sha256 !== S.stage.visibleSha()) S.stage.prepare(upcoming);
    // Aim at the exact boundary (setTimeout, not a fixed interval); never sleep long.
    const wait = Math.min(Math.max(pick.nextAt - S.clock.now(), 0), MAX_TIMER_MS);
    timer = setTimeout(requestTick, wait);
  }

  async function switchTo(item, slot) {
    const boardId = boardOf(live.manifest); // each play keeps the board it was made on
    const ok = await S.stage.show(item);
    // A failed media keeps the previous image (and its play) running: never blank.
    if (!ok) return;
    const at = S.clock.now();
    if (showing) S.plays.record(showing, at);
    showing = {
      slide_id: item.slide_id, sha256: item.sha256, startedMs: at, slot, board_id: boardId,
    };
    status.current = {
      slide_id: item.slide_id, sha256: item.sha256, started_at: new Date(at).toISOString(),
    };
    document.body.dataset.slideId = String(item.slide_id);
    document.body.dataset.sha256 = item.sha256;
    if (status.state !== 'playing') setState('playing');
  }

  // The page is going away: close the running play so its time is not lost or doubled.
  function endPlay() {
    if (showing) S.plays.recordNow(showing, S.clock.now());
    showing = null;
  }

  // ---- Manifest ---------------------------------------------------------------------------
  // A manifest goes live only once every one of its media files is stored for offline use and
  // decodes; until then the live one keeps playing, so nothing half-loaded is ever shown. The
  // one exception is a board with nothing to play at all (first start, or a saved manifest
  // whose media was evicted): showing the items that did load beats a black screen, and the
  // rest is fetched again on every poll.
  async function applyManifest(manifest, etag) {
    const my = session;
    const segments = S.timeline.compile(manifest);
    if (!segments.length) return false;
    const media = S.timeline.mediaOf(segments);
    const failed = await S.cache.ensureMedia(media);
    if (my !== session) return false; // revoked meanwhile
    const takesOver = !live || live.version !== manifest.version;
    if (failed.length) {
      console.warn('signage: media not stored yet', manifest.version, failed);
      if (live && takesOver) {
        status.pendingManifest = { version: manifest.version, missing: failed };
        return false;
      }
    }
    status.pendingManifest = null;
    live = { manifest, segments, etag, version: manifest.version, complete: !failed.length };
    S.stage.setTransition(manifest.board && manifest.board.transition);
    if (takesOver) goneLive(manifest, media);
    requestTick();
    return true;
  }

  function goneLive(manifest, media) {
    status.manifestVersion = manifest.version;
    status.manifestSwitchedAt = new Date(S.clock.now()).toISOString();
    const record = { etag: live.etag, manifest };
    S.cache.saveManifest(record).then(
      () => { status.savedManifestVersion = manifest.version; },
      (e) => console.error('signage: manifest not saved', e));
    S.cache.pruneMedia(media).catch((e) => console.error('signage: media not pruned', e));
  }

  // One manifest request. Returns the delay before the next one; throws on network errors.
  async function pollManifest(my) {
    const headers = live && live.etag ? { 'If-None-Match': live.etag } : {};
    const res = await S.api('GET', '/api/v1/player/manifest', { headers });
    if (res.status !== 304 && res.status !== 200) throw new Error('manifest: HTTP ' + res.status);
    status.lastManifestAt = new Date(S.clock.now()).toISOString();
    // The server's answer names this token's board (a 304 confirms the live manifest's): the
    // plays the sender may send. A saved manifest alone never does, so after a new token
    // nothing is sent before the server has answered it.
    const manifest = res.status === 200 ? await res.json() : live && live.manifest;
    if (my === session) {
      status.boardId = boardOf(manifest);
      S.plays.sender.setBoard(status.boardId);
    }
    if (res.status === 200) {
      if (manifest.server_time) S.clock.observe(res, manifest.server_time);
      const etag = res.headers.get('ETag') || `"${manifest.version}"`;
      if (!live || live.version !== manifest.version || !live.complete) {
        await applyManifest(manifest, etag);
      }
    } else if (live && !live.complete) {
      await applyManifest(live.manifest, live.etag);
    }
    const secs = Number(live && live.manifest.poll_seconds) || 30;
    return Math.min(Math.max(secs, 5), 3600) * 1000;
  }

  async function manifestLoop(my) {
    const retry = S.backoff(2000, 60000);
    while (my === session) {
      let delay;
      try {
        delay = await pollManifest(my);
        retry.reset();
        status.online = true;
        S.plays.sender.resume(); // back after an outage: send the plays kept meanwhile now
      } catch (e) {
        if (e instanceof S.Unauthorized) return revoke();
        status.online = false;
        delay = retry.fail(); // keep playing what we have; try again soon, then less often
      }
      await S.sleep(delay);
    }
  }

  // ---- Clock ------------------------------------------------------------------------------
  // /healthz needs no token and is cheap, so it carries the timed probes of clock.sync().
  // Re-sync every few minutes (the local clock drifts, and old samples expire), and sooner
  // while the estimate is poor (offline at start, or the local clock was set).
  async function clockLoop(my) {
    const probe = () => S.api('GET', '/healthz', { auth: false });
    let lastSync = -Infinity;
    while (my === session) {
      if (S.clock.uncertainty() > 25 || performance.now() - lastSync > CLOCK_SYNC_MS) {
        try {
          await S.clock.sync(probe);
          lastSync = performance.now();
          status.clockSyncedAt = new Date(S.clock.now()).toISOString();
        } catch (e) { /* offline: manifest polls still feed the clock */ }
      }
      await S.sleep(CLOCK_RETRY_MS);
    }
  }

  // ---- Heartbeat --------------------------------------------------------------------------
  async function heartbeatLoop(my) {
    // The first report waits briefly for the first slide, so the admin sees what is on screen.
    for (let waited = 0; !showing && waited < 10000 && my === session; waited += 250) {
      await S.sleep(250);
    }
    while (my === session) {
      const dpr = window.devicePixelRatio || 1;
      const body = {
        player_version: PLAYER_VERSION,
        current: showing ? { slide_id: showing.slide_id, sha256: showing.sha256 } : null,
        screen: { width: Math.round(screen.width * dpr), height: Math.round(screen.height * dpr) },
        uptime_s: Math.floor(performance.now() / 1000),
      };
      try {
        const res = await S.api('POST', '/api/v1/player/heartbeat', { body });
        if (res.status !== 204) console.warn('signage: heartbeat answered HTTP', res.status);
      } catch (e) {
        if (e instanceof S.Unauthorized) return revoke();
      }
      await S.sleep(HEARTBEAT_MS);
    }
  }

  // ---- Lifecycle --------------------------------------------------------------------------
  async function startPlayback(token) {
    const my = ++session;
    S.setToken(token);
    S.pairing.hide();
    status.pairing = null;
    setState('loading');
    // A reload while the server is down plays the last good manifest from the offline cache.
    try {
      const saved = await S.cache.loadManifest();
      if (saved && saved.manifest) await applyManifest(saved.manifest, saved.etag);
    } catch (e) {
      console.warn('signage: saved manifest unreadable', e);
      await S.cache.forgetManifest();
    }
    if (my !== session) return;
    S.plays.sender.start(revoke);
    manifestLoop(my);
    heartbeatLoop(my);
    clockLoop(my);
  }

  // The token was refused (rotated, or the board re-paired to another screen): the screen asks
  // for a new pairing. Unsent plays stay queued with their board: if this screen is paired to
  // the same board again they are still counted; if to another, the sender drops them.
  function revoke() {
    if (!S.getToken()) return;
    session += 1;
    clearTimeout(timer);
    S.plays.sender.stop();
    const failed = (e) => console.error('signage: revoked board data kept', e);
    S.plays.queue.settleUntagged(boardOf(live && live.manifest)).catch(failed);
    status.boardId = null;
    showing = null;
    live = null;
    status.current = null;
    status.manifestVersion = null;
    delete document.body.dataset.slideId;
    delete document.body.dataset.sha256;
    S.setToken(null);
    S.store.remove(TOKEN_KEY);
    S.cache.forgetManifest().catch(failed);
    S.stage.clear();
    startPairing();
  }

  async function startPairing() {
    const my = ++session;
    setState('pairing');
    const token = await S.pairing.run((p) => { status.pairing = p; }, () => my !== session);
    if (!token || my !== session) return;
    S.store.set(TOKEN_KEY, token);
    startPlayback(token);
  }

  // `#token=...` wins over the stored token; it is then removed from the address bar so it
  // does not linger on screen or in screenshots.
  async function tokenFromFragment() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    const token = params.get('token');
    if (!token) return null;
    history.replaceState(null, '', location.pathname + location.search);
    if (S.store.get(TOKEN_KEY) !== token) await leaveStoredToken();
    S.store.set(TOKEN_KEY, token);
    return token;
  }

  // A different token may be another board (or the same board, its token rotated). Its saved
  // manifest must not be played nor taken as the new token's board, so it goes; unsent plays
  // stay, each with its board (untagged ones get the old manifest's). Both are done before the
  // new token starts.
  async function leaveStoredToken() {
    const done = (p) => p.catch((e) => console.error('signage: old board data kept', e));
    const saved = await done(S.cache.loadManifest());
    await done(S.plays.queue.settleUntagged(boardOf(saved && saved.manifest)));
    await done(S.cache.forgetManifest());
  }

  // ---- Offline support --------------------------------------------------------------------
  // The service worker serves the player's files and the stored media when the server cannot
  // be reached, so a reload while offline starts playing again. Persistent storage keeps the
  // browser from evicting those caches (and the queued plays) when the disk runs low.
  function prepareOffline() {
    if (!('serviceWorker' in navigator)) {
      status.serviceWorker = 'unsupported (needs HTTPS or localhost)';
    } else {
      // Offline, registering fails (the script cannot be checked for an update) while the
      // worker installed before keeps serving: `ready` tells whether one is active.
      status.serviceWorker = 'installing';
      navigator.serviceWorker.register('sw.js', { scope: './', updateViaCache: 'none' })
        .catch((e) => { status.serviceWorkerError = e.message; });
      navigator.serviceWorker.ready.then(() => { status.serviceWorker = 'active'; });
    }
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().then((granted) => { status.persisted = granted; },
        () => { status.persisted = false; });
    }
  }

  // ---- Test hooks -------------------------------------------------------------------------
  // Let browser tests visit any instant of the horizon and rotate fast, through the very code
  // that plays (the clock rule, decoding, swapping, recording plays), instead of waiting.
  status.test = {
    now: () => S.clock.now(),
    // Move the player's clock by `ms`; resolves with what is on screen afterwards.
    async shiftClock(ms) {
      S.clock.shift(ms);
      await requestTick();
      return status.current;
    },
    // Jump to the next item boundary `n` times, each time waiting until the item is on screen.
    async rotate(n) {
      for (let i = 0; i < n && live; i++) {
        const pick = S.timeline.resolve(live.segments, S.clock.now());
        S.clock.shift(pick.nextAt - S.clock.now());
        await requestTick();
      }
      return status.current;
    },
    queuedPlays: () => S.plays.queue.peek(),
    // Send what is queued now; true once nothing is queued and no send is on its way.
    async settlePlays() {
      S.plays.sender.kick();
      return !S.plays.sender.busy && (await S.plays.queue.size()) === 0;
    },
  };

  async function boot() {
    prepareOffline();
    S.stage.init(document.getElementById('layer-a'), document.getElementById('layer-b'));
    S.pairing.init({
      root: document.getElementById('pairing'),
      code: document.getElementById('pairing-code'),
      message: document.getElementById('pairing-message'),
    });
    window.addEventListener('pagehide', endPlay);
    // A new player URL pasted into a running kiosk: start over cleanly with that token.
    window.addEventListener('hashchange', async () => {
      if (await tokenFromFragment()) location.reload();
    });
    const token = (await tokenFromFragment()) || S.store.get(TOKEN_KEY);
    if (token) startPlayback(token);
    else startPairing();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})(window.Signage = window.Signage || {});
