// bundle.js: plays an exported bundle from the file system. There is no server: the manifest
// comes from manifest.js (file:// pages may not fetch() local files) and the clock is the
// board's own, so an offline board needs its clock set right (docs/bundles.md). The clock rule
// (timeline.js) and the image layers with their cut or crossfade (stage.js) are the web
// player's own files; this is only the loop that drives them.
'use strict';
(function (S) {
  // Wake at least this often, even when the next change is far off, so a clock set by hand
  // (or a machine waking from sleep) is followed within a second.
  const MAX_SLEEP_MS = 1000;
  // Land just after a boundary rather than on it: a timer that fires a hair early would
  // resolve the outgoing item again and need another wake-up.
  const LATE_MS = 2;

  let segments = [];
  // The slot of the rotation on screen ("segment start:item start"), so a slide that follows
  // itself is still a new turn, and a tick inside the same turn changes nothing.
  let shownSlot = null;

  // Read by people debugging a board, and by the browser test.
  const status = { state: 'loading', slideId: null, sha256: null, shownAt: null };
  window.signageBundle = status;

  function setState(name) {
    status.state = name;
    document.body.dataset.state = name;
  }

  function shown(item) {
    document.body.dataset.slideId = String(item.slide_id);
    Object.assign(status, { slideId: item.slide_id, sha256: item.sha256, shownAt: Date.now() });
    setState('playing');
  }

  // Show what the rule names unless it is up already, then decode the item that follows into
  // the hidden layer ahead of its turn. A missing file keeps the previous picture up (the
  // stage answers false), and the next tick tries again.
  async function play(at) {
    const slot = `${at.segment.start}:${at.itemStart}`;
    if (slot !== shownSlot) {
      if (!(await S.stage.show(at.item))) return;
      shownSlot = slot;
      shown(at.item);
    }
    const next = S.timeline.upcoming(segments, at.nextAt);
    if (next && next.sha256 !== S.stage.visibleSha()) S.stage.prepare(next);
  }

  // The clock rule, applied to the board's clock; past the last segment's end timeline.js
  // keeps rotating that segment, so the screen never goes dark when the bundle runs out.
  function tick() {
    const at = S.timeline.resolve(segments, Date.now());
    play(at).catch((e) => console.error('signage bundle: playback failed', e));
    const sleep = Math.min(Math.max(at.nextAt - Date.now() + LATE_MS, 0), MAX_SLEEP_MS);
    setTimeout(tick, sleep);
  }

  // Browsers allow full screen only after a gesture; kiosk mode needs none (docs/bundles.md).
  function fullScreen() {
    const root = document.documentElement;
    if (!document.fullscreenElement && root.requestFullscreen) {
      root.requestFullscreen().catch(() => {});
    }
  }

  function start() {
    const manifest = window.SIGNAGE_BUNDLE;
    segments = manifest && S.timeline ? S.timeline.compile(manifest) : [];
    if (!segments.length || !S.stage) {
      setState('error');
      document.getElementById('message').hidden = false;
      return;
    }
    S.stage.init(document.getElementById('layer-a'), document.getElementById('layer-b'));
    S.stage.setTransition((manifest.board || {}).transition);
    document.addEventListener('click', fullScreen);
    document.addEventListener('keydown', fullScreen);
    tick();
  }

  start();
})(window.Signage = window.Signage || {});
