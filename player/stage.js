// stage.js: the two stacked <img> layers, shared by the web player (player.js) and the USB
// bundle page (bundle/bundle.js, which plays from file://: hence a plain script that adds to
// window.Signage, like every player file, not an ES module). The back layer loads and decodes
// the next item ahead of its turn; a swap then only changes classes in one frame, so there is
// never a black or white flash. The same two elements are reused forever (stable memory), and
// media URLs are used directly (immutable, served from the offline cache or the stick), so no
// blob URLs exist to revoke.
//
// Classes: `is-front` is the item on screen (tests and diagnostics look for img.is-front);
// `is-leaving` keeps the previous image visible underneath while the front one fades in;
// `is-entering` runs the fade. See stage.css.
'use strict';
(function (S) {
  const FADE_MS = 600; // matches the animation in stage.css; the fallback timer waits a bit more

  let layers = [];
  let front = 0; // index of the visible layer
  let generation = 0; // bumps on every show(); a slower, superseded show must not swap
  let transition = 'cut';
  let fade = null; // {leaving, entering, timer, done, finish} while a crossfade runs
  let wanted = null; // the item the back layer should hold (the latest prepare() or show())

  function init(a, b) {
    layers = [a, b];
    for (const img of layers) {
      img.decoding = 'async';
      img.alt = '';
      img.signageSha = null; // which media the element holds (kept off the DOM: see mark())
      img.signageReady = Promise.resolve(false);
      // The fallback timer covers pages where animations do not run (hidden tab, reduced motion).
      img.addEventListener('animationend', () => finishFade());
    }
  }

  // "crossfade" or "cut" (manifest.board.transition); anything else, or nothing, is a cut.
  function setTransition(name) {
    transition = name === 'crossfade' ? 'crossfade' : 'cut';
  }

  const back = () => layers[1 - front];

  function load(img, item) {
    if (img.signageSha !== item.sha256) {
      img.signageSha = item.sha256;
      img.src = item.url;
      // decode() rejects if src changes before it finishes; that load was abandoned anyway.
      img.signageReady = img.decode().then(() => true, () => false);
    }
    return img.signageReady;
  }

  // Load `item` into the back layer (once) and resolve true when it is decoded, false if the
  // media cannot be loaded or another item was asked for meanwhile. While a crossfade runs the
  // back layer is still on screen (the image fading out), so loading waits for the fade to end.
  function prepare(item) {
    wanted = item;
    const run = () => (wanted === item ? load(back(), item) : false);
    return fade ? fade.done.then(run) : Promise.resolve(run());
  }

  // Only the visible layer carries data-sha256 / data-slide-id, so `img[data-sha256]` in a test
  // or a debugging session always finds what is on screen.
  function mark(img, item) {
    img.dataset.sha256 = item.sha256;
    img.dataset.slideId = String(item.slide_id);
    img.classList.add('is-front');
  }

  function unmark(img) {
    delete img.dataset.sha256;
    delete img.dataset.slideId;
    img.classList.remove('is-front', 'is-leaving', 'is-entering');
  }

  // End a running crossfade at once: the entering image becomes fully opaque and the leaving
  // one is hidden. Called when the fade is over, and before anything else touches the layers.
  function finishFade() {
    if (!fade) return;
    const { leaving, entering, timer, finish } = fade;
    fade = null;
    clearTimeout(timer);
    entering.classList.remove('is-entering');
    leaving.classList.remove('is-leaving');
    finish();
  }

  function startFade(leaving, entering) {
    let finish;
    const done = new Promise((resolve) => { finish = resolve; });
    leaving.classList.add('is-leaving'); // stays opaque under the new image: never a dark frame
    entering.classList.add('is-entering');
    fade = { leaving, entering, done, finish, timer: setTimeout(finishFade, FADE_MS + 100) };
  }

  function swap(cur, next, item) {
    const wasShowing = cur.classList.contains('is-front');
    unmark(cur);
    mark(next, item);
    front = 1 - front;
    if (transition === 'crossfade' && wasShowing) startFade(cur, next);
  }

  // Make `item` visible. Resolves true once it is on screen, false if its media failed or a
  // newer show() overtook it; in both cases the previous image stays up (never blank).
  async function show(item) {
    const gen = ++generation;
    finishFade();
    const cur = layers[front];
    if (cur.signageSha === item.sha256 && cur.classList.contains('is-front')) {
      mark(cur, item); // same image (e.g. another slide id with identical media): no swap
      return true;
    }
    const ok = await prepare(item);
    if (!ok || gen !== generation) return false;
    swap(cur, back(), item);
    return true;
  }

  // What is on screen now (sha256), or null before the first show.
  function visibleSha() {
    const cur = layers[front];
    return cur && cur.classList.contains('is-front') ? cur.signageSha : null;
  }

  // Forget everything (token revoked): hide both layers so nothing of the old board remains.
  function clear() {
    generation += 1;
    finishFade();
    wanted = null;
    for (const img of layers) {
      unmark(img);
      img.signageSha = null;
      img.signageReady = Promise.resolve(false);
      img.removeAttribute('src');
    }
  }

  S.stage = { init, setTransition, prepare, show, visibleSha, clear };
})(window.Signage = window.Signage || {});
