// bundle.js: plays an exported bundle from the file system. There is no server: the manifest
// comes from manifest.js (file:// pages may not fetch() local files) and the clock is the
// board's own, so an offline board needs its clock set right (docs/bundles.md).
'use strict';
(function (S) {
  // Wake at least this often, even when the next change is far off, so a clock set by hand
  // (or a machine waking from sleep) is followed within a second.
  const MAX_SLEEP_MS = 1000;
  // Land just after a boundary rather than on it: a timer that fires a hair early would
  // resolve the outgoing item again and need another wake-up.
  const LATE_MS = 2;
  const FADE_MS = 600; // a crossfade's length, as in the web player; bundle.css animates it

  const layers = [document.getElementById('layer-a'), document.getElementById('layer-b')];
  let front = 0; // index of the visible layer, once something is shown
  let generation = 0; // bumps on every show(); a slower, superseded show must not swap
  let segments = [];
  let crossfade = false; // manifest.board.transition; anything but "crossfade" is a hard cut
  let fade = null; // {leaving, entering, timer, resolve} while a crossfade runs

  // Read by people debugging a board, and by the browser test.
  const status = { state: 'loading', slideId: null, sha256: null, shownAt: null };
  window.signageBundle = status;

  function setState(name) {
    status.state = name;
    document.body.dataset.state = name;
  }

  // Load `item` into `img` once; resolves true when decoded, false if the file is missing.
  function load(img, item) {
    if (img.bundleUrl !== item.url) {
      img.bundleUrl = item.url;
      img.src = item.url;
      // decode() rejects if src changes before it finishes: that load was abandoned anyway.
      img.bundleReady = img.decode().then(() => true, () => false);
    }
    return img.bundleReady;
  }

  function mark(img, item) {
    img.dataset.slideId = String(item.slide_id);
    document.body.dataset.slideId = String(item.slide_id);
    Object.assign(status, { slideId: item.slide_id, sha256: item.sha256, shownAt: Date.now() });
    setState('playing');
  }

  // Settle a running crossfade at once: the new picture fully opaque, the old one hidden.
  function endFade() {
    if (!fade) return;
    clearTimeout(fade.timer);
    fade.leaving.classList.remove('is-leaving');
    fade.entering.classList.remove('is-entering');
    fade.resolve();
    fade = null;
  }

  // The old picture stays opaque underneath while the new one fades in over it, so no frame
  // is darker than either. A timer rather than animationend ends it: animations may not run.
  function startFade(leaving, entering) {
    leaving.classList.add('is-leaving');
    entering.classList.add('is-entering');
    return new Promise((resolve) => {
      fade = { leaving, entering, resolve, timer: setTimeout(endFade, FADE_MS) };
    });
  }

  // Put `item` on screen. The back layer is decoded before the swap, and the swap is class
  // changes in one task, so they land in one frame: never a black or white flash. A missing
  // file keeps the previous picture up. Resolves once any crossfade is over.
  async function show(item) {
    const gen = ++generation;
    const cur = layers[front];
    if (cur.bundleUrl === item.url && cur.classList.contains('is-front')) {
      if (status.slideId !== item.slide_id) mark(cur, item); // same picture, another slide
      return;
    }
    endFade(); // the back layer may still be fading out; it is about to be reloaded
    const next = layers[1 - front];
    const ok = await load(next, item);
    if (!ok || gen !== generation) return;
    const fading = crossfade && cur.classList.contains('is-front');
    next.classList.add('is-front');
    cur.classList.remove('is-front');
    delete cur.dataset.slideId;
    front = 1 - front;
    mark(next, item);
    if (fading) await startFade(cur, next);
  }

  // Decode the item that follows into the hidden layer ahead of its turn; not while that layer
  // is still fading out (the show() that started the fade preloads once it is over), nor for
  // a show() that a newer one overtook.
  function preload(at) {
    if (fade || layers[front].bundleUrl !== at.item.url) return;
    const next = S.timeline.upcoming(segments, at.nextAt);
    if (next && next.url !== layers[front].bundleUrl) load(layers[1 - front], next);
  }

  // The clock rule, applied to the board's clock; past the last segment's end timeline.js
  // keeps rotating that segment, so the screen never goes dark when the bundle runs out.
  function tick() {
    const at = S.timeline.resolve(segments, Date.now());
    show(at.item).then(() => preload(at));
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
    if (!segments.length) {
      setState('error');
      document.getElementById('message').hidden = false;
      return;
    }
    crossfade = (manifest.board || {}).transition === 'crossfade';
    for (const img of layers) img.decoding = 'async';
    document.addEventListener('click', fullScreen);
    document.addEventListener('keydown', fullScreen);
    tick();
  }

  start();
})(window.Signage = window.Signage || {});
