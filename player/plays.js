// plays.js: the proof-of-play queue (IndexedDB) and its sender.
// Each play gets its id (a UUID) on the board when it is recorded, and keeps it through every
// retry, reload and outage; it leaves the queue only once the server has answered 200 for a
// batch holding it. The server is idempotent by id, so a batch whose answer was lost and is
// sent again is counted once: together, every play is counted exactly once.
'use strict';
(function (S) {
  const DB_NAME = 'signage-player';
  const STORE = 'plays';
  const MAX_QUEUED = 100000; // about 20 MB: weeks of 10 s slides; the oldest go first beyond it
  const TRIM_EVERY = 100; // adds between two checks of the queue's length
  const BATCH = 1000; // the contract's limit per POST
  const SEND_EVERY_MS = 15000;
  const EAGER_AT = 200; // on item changes, send early once this many plays wait
  // Synchronous localStorage lists read once at start: plays closed while the page unloaded
  // (IndexedDB cannot be trusted to finish then), and the queue of players before this one.
  const UNLOAD_KEY = 'signage.plays.unload';
  const LEGACY_KEY = 'signage.plays';

  // A play as the contract sends it (the queue adds its own `seq`).
  const wire = ({ id, slide_id, sha256, started_at, duration_s }) =>
    ({ id, slide_id, sha256, started_at, duration_s });

  // ---- IndexedDB ----------------------------------------------------------------------
  // Records are {seq, id, slide_id, sha256, started_at, duration_s}; the auto-incremented seq
  // keeps the queue in recording order, so the oldest plays are sent first.
  let opening = null;

  function openDb() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
        };
        req.onsuccess = () => {
          const db = req.result;
          db.onversionchange = () => { db.close(); opening = null; }; // a newer player upgrades
          resolve(db);
        };
        req.onerror = () => reject(req.error);
      });
      opening.catch(() => { opening = null; });
    }
    return opening;
  }

  // Run `work(store, setResult)` in one transaction; resolves once it is committed. New plays
  // are written with strict durability (flushed to disk before success): a play lost in a power
  // cut is never counted, whereas a removal lost that way only means one resend, which the
  // server recognises by its id.
  async function transact(mode, work, durability = 'default') {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode, { durability });
      let result;
      work(tx.objectStore(STORE), (value) => { result = value; });
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
    });
  }

  const answer = (request, set) => { request.onsuccess = () => set(request.result); };

  const idbQueue = {
    add: (plays) => transact('readwrite', (store) => {
      for (const p of plays) store.add(p);
    }, 'strict'),
    peek: (n) => transact('readonly', (store, set) => answer(store.getAll(null, n), set)),
    remove: (seqs) => transact('readwrite', (store) => { for (const s of seqs) store.delete(s); }),
    size: () => transact('readonly', (store, set) => answer(store.count(), set)),
    clear: () => transact('readwrite', (store) => store.clear()),
    // Drop the oldest plays beyond `max`.
    trim: (max) => transact('readwrite', (store, set) => {
      answer(store.count(), (count) => {
        if (count <= max) return;
        answer(store.getAllKeys(null, count - max), (keys) => {
          store.delete(IDBKeyRange.bound(keys[0], keys[keys.length - 1]));
          set(count - max);
        });
      });
    }),
  };

  // Without IndexedDB (disabled storage), plays still get sent while the page lives.
  function memoryQueue() {
    let items = [];
    let seq = 0;
    return {
      add: async (plays) => { for (const p of plays) items.push({ ...p, seq: ++seq }); },
      peek: async (n) => items.slice(0, n),
      remove: async (seqs) => {
        const gone = new Set(seqs);
        items = items.filter((p) => !gone.has(p.seq));
      },
      size: async () => items.length,
      clear: async () => { items = []; },
      trim: async (max) => { items = items.slice(-max); },
    };
  }

  let backend = null;
  async function db() {
    if (backend) return backend;
    try {
      await openDb();
      backend = idbQueue;
    } catch (e) {
      console.warn('signage: no IndexedDB, plays are kept in memory only', e);
      backend = memoryQueue();
    }
    return backend;
  }

  let addsSinceTrim = 0;
  const queue = {
    async add(play) {
      const q = await db();
      await q.add([play]);
      if (++addsSinceTrim >= TRIM_EVERY) {
        addsSinceTrim = 0;
        await q.trim(MAX_QUEUED);
      }
    },
    peek: async (n) => (await db()).peek(n),
    remove: async (seqs) => (await db()).remove(seqs),
    size: async () => (await db()).size(),
    async clear() {
      S.store.remove(UNLOAD_KEY);
      S.store.remove(LEGACY_KEY);
      await (await db()).clear();
    },
  };

  // Move the localStorage lists into the queue. Their plays keep their ids, so one that was
  // also written to IndexedDB before the page went away is still counted once by the server.
  async function adoptSaved() {
    for (const key of [UNLOAD_KEY, LEGACY_KEY]) {
      let saved;
      try { saved = JSON.parse(S.store.get(key) || '[]'); } catch (e) { saved = []; }
      if (Array.isArray(saved) && saved.length) await (await db()).add(saved.map(wire));
      S.store.remove(key);
    }
  }

  // ---- Recording ----------------------------------------------------------------------
  // A play is recorded once the item leaves the screen, with the time it was actually visible
  // (server clock). Zero-length plays (a swap in the same millisecond) say nothing: skipped.
  function playOf(shown, endedAt) {
    const ms = endedAt - shown.startedMs;
    if (!(ms > 0)) return null;
    return {
      id: S.uuid(),
      slide_id: shown.slide_id,
      sha256: shown.sha256,
      started_at: new Date(shown.startedMs).toISOString(),
      duration_s: Math.round(ms) / 1000,
    };
  }

  async function record(shown, endedAt) {
    const play = playOf(shown, endedAt);
    if (!play) return;
    try {
      await queue.add(play);
    } catch (e) {
      console.error('signage: could not queue a play', e);
      return;
    }
    if ((await queue.size()) >= EAGER_AT) sender.kick();
  }

  // The page is going away: an IndexedDB write might not finish, a localStorage one does.
  function recordNow(shown, endedAt) {
    const play = playOf(shown, endedAt);
    if (!play) return;
    let saved;
    try { saved = JSON.parse(S.store.get(UNLOAD_KEY) || '[]'); } catch (e) { saved = []; }
    saved.push(play);
    S.store.set(UNLOAD_KEY, JSON.stringify(saved));
  }

  // ---- Sending ------------------------------------------------------------------------
  // One loop: send everything queued in batches, then sleep 15 s; on failure, back off
  // exponentially (4 s doubling to 5 min, with jitter so a fleet does not retry in step).
  const retry = S.backoff(4000, 300000);
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
      const res = await S.api('POST', '/api/v1/player/plays', { body: { plays: batch.map(wire) } });
      if (refused(res.status) && batch.length === 1) {
        console.warn('signage: play refused by the server, dropped', batch[0]);
      } else if (refused(res.status)) {
        batchSize = Math.ceil(batch.length / 2);
        continue;
      } else if (res.status !== 200) {
        throw new Error('plays: HTTP ' + res.status);
      }
      await queue.remove(batch.map((p) => p.seq));
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
      delay = retry.fail();
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
    async start(unauthorized) {
      onUnauthorized = unauthorized;
      running = true;
      try { await adoptSaved(); } catch (e) { console.error('signage: saved plays lost', e); }
      schedule(2000); // soon after start: send what a previous session left behind
    },
    stop() { running = false; clearTimeout(timer); timer = null; },
    // Send now, unless a send is running or we are backing off after a failure.
    kick() { if (running && !busy && retry.failures === 0) schedule(0); },
    // The server answers again (the manifest poll got through): end any backoff, send now.
    resume() {
      if (!running || retry.failures === 0) return;
      retry.reset();
      if (!busy) schedule(0);
    },
  };

  S.plays = { queue, record, recordNow, sender };
})(window.Signage = window.Signage || {});
