// cache.js: the board's own copy of what it needs to play with the server unreachable: every
// media file of the live manifest, and that manifest itself. Both live in Cache Storage, which
// the service worker (sw.js) serves from and navigator.storage.persist() protects from eviction.
// The page fills the caches itself rather than leaving it to the worker: only the page knows
// when a manifest is good (all of its media stored and decodable), and it works the same before
// the worker controls the page.
// Cache Storage exists only in secure contexts; elsewhere (plain HTTP on a LAN address) media
// rely on the HTTP cache and the manifest on localStorage, which still survives a reload.
'use strict';
(function (S) {
  const MEDIA_CACHE = 'signage-media-v1'; // also named in sw.js
  const STATE_CACHE = 'signage-state-v1';
  // A cache key only: no such file exists on the server.
  const MANIFEST_URL = new URL('state/manifest.json', location.href).href;
  const MANIFEST_KEY = 'signage.manifest'; // localStorage, when Cache Storage is missing
  const PARALLEL = 4; // decoding a whole manifest at once would spike memory on small boards

  const hasCaches = () => typeof caches !== 'undefined';
  const absolute = (url) => new URL(url, location.href).href;

  // ---- Media ----------------------------------------------------------------------
  // Content-addressed and immutable: once a file is stored and decoded, it is never checked
  // again while manifests keep referring to it.
  let verified = new Set();

  async function sha256Hex(bytes) {
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // Store one file unless it is there already. The bytes must hash to the name: an error page
  // or a truncated body stored under an immutable name would be replayed for ever.
  async function store(cache, sha, url) {
    if (await cache.match(url)) return;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = await res.arrayBuffer();
    if (crypto.subtle && (await sha256Hex(bytes)) !== sha) throw new Error('sha256 mismatch');
    const type = res.headers.get('Content-Type') || 'application/octet-stream';
    await cache.put(url, new Response(bytes, { headers: { 'Content-Type': type } }));
  }

  // The stored bytes are also a picture the browser can draw: decode once, then drop it.
  async function decodable(url) {
    const img = new Image();
    img.src = url;
    await img.decode();
  }

  // Store and decode every file of `media` (Map sha256 -> url) not already known to be fine.
  // Resolves the sha256 of the files that failed; a failed file is tried again next time.
  async function ensureMedia(media) {
    const cache = hasCaches() ? await caches.open(MEDIA_CACHE).catch(() => null) : null;
    const todo = [...media].filter(([sha]) => !verified.has(sha));
    const failed = [];
    let next = 0;
    async function worker() {
      while (next < todo.length) {
        const [sha, url] = todo[next++];
        try {
          if (cache) await store(cache, sha, url);
          await decodable(url);
          verified.add(sha);
        } catch (e) {
          failed.push(sha);
        }
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    return failed;
  }

  // Keep storage bounded by the live manifest: files it no longer names are deleted.
  async function pruneMedia(media) {
    verified = new Set([...verified].filter((sha) => media.has(sha)));
    if (!hasCaches()) return;
    const keep = new Set([...media.values()].map(absolute));
    const cache = await caches.open(MEDIA_CACHE);
    for (const request of await cache.keys()) {
      if (!keep.has(request.url)) await cache.delete(request);
    }
  }

  // ---- The last good manifest ------------------------------------------------------
  async function saveManifest(record) {
    const text = JSON.stringify(record);
    if (hasCaches()) {
      try {
        const cache = await caches.open(STATE_CACHE);
        await cache.put(MANIFEST_URL, new Response(text, {
          headers: { 'Content-Type': 'application/json' },
        }));
        S.store.remove(MANIFEST_KEY); // one copy only: an older one must never come back
        return;
      } catch (e) { /* quota or storage error: fall back to localStorage */ }
    }
    S.store.set(MANIFEST_KEY, text);
  }

  // The saved {etag, manifest}, or null. The localStorage copy is read too: it is where boards
  // without Cache Storage, and players before this one, kept it.
  async function loadManifest() {
    if (hasCaches()) {
      try {
        const res = await (await caches.open(STATE_CACHE)).match(MANIFEST_URL);
        if (res) return await res.json();
      } catch (e) { /* unreadable: try the other copy */ }
    }
    return JSON.parse(S.store.get(MANIFEST_KEY) || 'null');
  }

  async function forgetManifest() {
    S.store.remove(MANIFEST_KEY);
    verified = new Set();
    if (!hasCaches()) return;
    try {
      await (await caches.open(STATE_CACHE)).delete(MANIFEST_URL);
    } catch (e) { /* nothing stored */ }
  }

  S.cache = { ensureMedia, pruneMedia, saveManifest, loadManifest, forgetManifest };
})(window.Signage = window.Signage || {});
