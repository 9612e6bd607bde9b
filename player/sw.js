// sw.js: the player's service worker (scope /player/). It lets a board start, and keep
// playing, while the server is unreachable:
// - the player's own files: from the network when it answers (so a new release arrives with
//   the next page load), else from the copy kept at the last successful load;
// - media (/media/<sha256>.<ext>, immutable): from the cache the page fills (cache.js), else the
//   network;
// - everything else (the player API) goes to the network untouched: the page decides what a
//   failure means, and keeps the last good manifest itself.
'use strict';

// The shell: the page and the files it loads, and a cache name made from their bytes (after a
// prefix that every release's shell cache shares, by which the old ones are found). The
// server puts them in front of this script when it serves it (signage/web/player/shell.py), read
// from index.html, the only list of the player's files. A new release therefore changes this
// script: the browser installs it again, it stores the release whole under the new name, and
// activation drops the old one.
const { cache: SHELL_CACHE, prefix: SHELL_PREFIX, files: SHELL } = self.SIGNAGE_SHELL;
const MEDIA_CACHE = 'signage-media-v1'; // filled and pruned by cache.js
// A server that accepts connections but does not answer must not keep a rebooting board on a
// black screen: past this, the stored copy is used.
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

async function precache() {
  const cache = await caches.open(SHELL_CACHE);
  // `no-cache`: revalidate, so the copy stored is the release the server has now.
  await cache.addAll(SHELL.map((path) => new Request(path, { cache: 'no-cache' })));
}

self.addEventListener('activate', (event) => {
  event.waitUntil(dropOldShells().then(() => self.clients.claim()));
});

async function dropOldShells() {
  for (const name of await caches.keys()) {
    if (name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/media/') && !request.headers.has('Range')) {
    event.respondWith(media(request));
  } else if (url.pathname.startsWith(new URL(self.registration.scope).pathname)) {
    event.respondWith(shell(request, url));
  }
});

async function media(request) {
  const stored = await caches.match(request.url, { cacheName: MEDIA_CACHE });
  return stored || fetch(request);
}

// The shell's cache key: the page's URL without query or fragment, so `/player/?x` and
// `/player/` share the stored page.
const shellKey = (url) => url.origin + url.pathname;

async function shell(request, url) {
  const cache = await caches.open(SHELL_CACHE);
  const network = fetch(request);
  network.catch(() => {}); // handled below; only its late rejection would go unobserved
  // A server error (say a 502 from a proxy whose backend is down) counts as unreachable too.
  const fresh = network.then(async (res) => {
    if (res.status >= 500) throw new Error('HTTP ' + res.status);
    if (res.ok) await cache.put(shellKey(url), res.clone());
    return res;
  });
  try {
    return await withTimeout(fresh, NETWORK_TIMEOUT_MS);
  } catch (e) {
    const stored = await cache.match(shellKey(url));
    return stored || network; // nothing stored: the network's answer after all, or its error
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}
