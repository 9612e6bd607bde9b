// plays.js: the proof-of-play queue and its sender.
// All storage access lives in `queue` below, behind a Promise-based API, so moving it from
// localStorage to IndexedDB later only touches this object.
'use strict';
(function (S) {
  const KEY = 'signage.plays';
  const MAX_QUEUED = 20000; // about 3 MB of JSON; the oldest plays are dropped first
  const BATCH = 1000; // the contract's limit per POST
  const SEND_EVERY_MS = 15000;
  const EAGER_AT = 200; // on item changes, send early once this many plays wait

  // ---- Storage ----------------------------------------------------------------------
  // An in-memory copy avoids re-parsing megabytes of JSON on every item change; every change
  // is written through at once so a crash or reload loses nothing.
  let cache = null;

  function load() {
    if (cache) return cache;
    try {
      const parsed = JSON.parse(S.store.get(KEY) || '[]');
      cache = Array.isArray(parsed) ? parsed : [];
    } catch (e) {
      cache = []; // corrupt storage: start over rather than stop recording
    }
    return cache;
  }

  function persist() {
    // On a quota error, drop the oldest tenth and try again: recent plays matter most. Any other
    // error (storage disabled) keeps the bounded in-memory queue, which then still gets sent.
    for (;;) {
      const err = S.store.set(KEY, JSON.stringify(cache));
      if (!err || err.name !== 'QuotaExceededError' || !cache.length) return;
      cache.splice(0, Math.ceil(cache.length / 10));
    }
  }

  const queue = {
    async add(play) {
      const q = load();
      q.push(play);
      if (q.length > MAX_QUEUED) q.splice(0, q.length - MAX_QUEUED);
      persist();
    },
    async peek(n) { return load().slice(0, n); },
    async remove(ids) {
      const gone = new Set(ids);
      cache = load().filter((p) => !gone.has(p.id));
      persist();
    },
    async size() { return load().length; },
    async clear() { cache = []; S.store.remove(KEY); },
  };

  // ---- Recording --------------------------------------------------------------------
  // A play is recorded once the item leaves the screen, with the time it was actually visible
  // (server clock). Zero-length plays (a swap in the same millisecond) say nothing and are skipped.
  async function record(shown, endedAt) {
    const ms = endedAt - shown.startedMs;
    if (!(ms > 0)) return;
    await queue.add({
      id: S.uuid(),
      slide_id: shown.slide_id,
      sha256: shown.sha256,
      started_at: new Date(shown.startedMs).toISOString(),
      duration_s: Math.round(ms) / 1000,
    });
    if ((await queue.size()) >= EAGER_AT) sender.kick();
  }

  // ---- Sending ----------------------------------------------------------------------
  // One loop: send everything queued in batches, then sleep 15 s; on failure, back off (the
  // ids make a retried batch harmless: the server is idempotent by id).
  const retry = S.backoff(15000, 300000);
  let timer = null;
  let busy = false;
  let running = false;
  let onUnauthorized = () => {};

  // A batch the server refuses as a whole (400/413/422) must not block the queue for ever:
  // halve the batch until the offending play stands alone, then drop that one play.
  let batchSize = BATCH;
  const refused = (status) => status === 400 || status === 413 || status === 422;

  async function flush() {
    for (;;) {
      const batch = await queue.peek(batchSize);
      if (!batch.length) return;
      const res = await S.api('POST', '/api/v1/player/plays', { body: { plays: batch } });
      if (refused(res.status) && batch.length === 1) {
        console.warn('signage: play refused by the server, dropped', batch[0]);
      } else if (refused(res.status)) {
        batchSize = Math.ceil(batch.length / 2);
        continue;
      } else if (res.status !== 200) {
        throw new Error('plays: HTTP ' + res.status);
      }
      await queue.remove(batch.map((p) => p.id));
      if (res.status === 200) batchSize = Math.min(BATCH, batchSize * 2);
    }
  }

  async function cycle() {
    timer = null;
    if (!running || busy) return;
    busy = true;
    let delay = SEND_EVERY_MS;
    try {
      await flush();
      retry.reset();
    } catch (e) {
      if (e instanceof S.Unauthorized) { busy = false; onUnauthorized(); return; }
      delay = Math.max(SEND_EVERY_MS, retry.fail());
    }
    busy = false;
    schedule(delay);
  }

  function schedule(ms) {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(cycle, ms);
  }

  const sender = {
    start(unauthorized) {
      onUnauthorized = unauthorized;
      running = true;
      schedule(2000); // soon after start: send what a previous session left behind
    },
    stop() { running = false; clearTimeout(timer); timer = null; },
    // Send now, unless a send is running or we are backing off after a failure.
    kick() { if (running && !busy && retry.failures === 0) schedule(0); },
  };

  S.plays = { queue, record, sender };
})(window.Signage = window.Signage || {});
