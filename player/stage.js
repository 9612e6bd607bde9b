// stage.js: the two stacked <img> layers. The hidden (back) layer loads and decodes the next
// item ahead of its turn; a swap is then a single visibility change in one frame, so there is
// never a black or white flash. The same two elements are reused forever (stable memory), and
// media URLs are used directly (immutable, HTTP-cached), so no blob URLs exist to revoke.
'use strict';
(function (S) {
  let layers = [];
  let front = 0; // index of the visible layer
  let generation = 0; // bumps on every show(); a slower, superseded show must not swap

  function init(a, b) {
    layers = [a, b];
    for (const img of layers) {
      img.decoding = 'async';
      img.alt = '';
      img.signageSha = null; // which media the element holds (kept off the DOM: see mark())
      img.signageReady = Promise.resolve(false);
    }
  }

  const back = () => layers[1 - front];

  // Load `item` into the back layer (once) and resolve true when it is decoded, false if the
  // media cannot be loaded. Calling it again for the same item reuses the pending decode.
  function prepare(item) {
    const img = back();
    if (img.signageSha !== item.sha256) {
      img.signageSha = item.sha256;
      img.src = item.url;
      // decode() rejects if src changes before it finishes; that load was abandoned anyway.
      img.signageReady = img.decode().then(() => true, () => false);
    }
    return img.signageReady;
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
    img.classList.remove('is-front');
  }

  // Make `item` visible. Resolves true once it is on screen, false if its media failed or a
  // newer show() overtook it; in both cases the previous image stays up (never blank).
  async function show(item) {
    const gen = ++generation;
    const cur = layers[front];
    if (cur.signageSha === item.sha256 && cur.classList.contains('is-front')) {
      mark(cur, item); // same image (e.g. another slide id with identical media): no swap
      return true;
    }
    const ok = await prepare(item);
    if (!ok || gen !== generation) return false;
    const next = back();
    next.style.visibility = 'visible';
    cur.style.visibility = 'hidden';
    unmark(cur);
    mark(next, item);
    front = 1 - front;
    return true;
  }

  // ---- Preloading ----------------------------------------------------------------------
  // Media is content-addressed and immutable, so once an image has loaded it need not be
  // checked again while manifests keep referring to it.
  let verified = new Set();

  // Load and decode every image of `media` (Map sha256 -> url) that is not known to be fine.
  // A few at a time: decoding a whole manifest at once would spike memory on small boards.
  // The Image objects are dropped afterwards; the HTTP cache keeps the bytes for the layers.
  // Resolves the sha256 of the media that failed.
  async function preload(media) {
    const todo = [...media].filter(([sha]) => !verified.has(sha));
    const failed = [];
    let next = 0;
    async function worker() {
      while (next < todo.length) {
        const [sha, url] = todo[next++];
        const img = new Image();
        img.src = url;
        try { await img.decode(); verified.add(sha); } catch (e) { failed.push(sha); }
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()]);
    return failed;
  }

  // Keep the memory of verified media bounded by the live manifest.
  function forgetExcept(media) {
    verified = new Set([...verified].filter((sha) => media.has(sha)));
  }

  // What is on screen now (sha256), or null before the first show.
  function visibleSha() {
    const cur = layers[front];
    return cur && cur.classList.contains('is-front') ? cur.signageSha : null;
  }

  // Forget everything (token revoked): hide both layers so nothing of the old board remains.
  function clear() {
    generation += 1;
    for (const img of layers) {
      unmark(img);
      img.style.visibility = 'hidden';
      img.signageSha = null;
      img.signageReady = Promise.resolve(false);
      img.removeAttribute('src');
    }
    verified = new Set();
  }

  S.stage = { init, prepare, show, visibleSha, clear, preload, forgetExcept };
})(window.Signage = window.Signage || {});
