// plays.js: the proof-of-play queue (IndexedDB) and its sender.
// Each play gets its id (a UUID) on the board when it is recorded, and keeps it through every
// retry, reload and outage; it leaves the queue only once the server has answered 200 for a
// batch holding it. The server is idempotent by id, so a batch whose answer was lost and is
// sent again is counted once: together, every play is counted exactly once.
// The server counts a play for the board of the token that sends it, so each play also keeps the
// id of the board it was made on, and is sent only under a token whose manifest names that board.
// A new token (rotated, or the screen re-paired) thus keeps the queue: the same board's plays
// still go out under it, another board's are dropped.
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
  // A play as the queue keeps it. board_id is null for plays queued by players before 0.3.0,
  // which did not record it (see settleUntagged).
  const queued = (p) => ({ ...wire(p), board_id: p.board_id == null ? null : p.board_id });

  // ---- IndexedDB ----------------------------------------------------------------------
  // Records are {seq, id, slide_id, sha256, started_at, duration_s, board_id}; the
  // auto-incremented seq keeps the queue in recording order, so the oldest plays go first.
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
    // Write `boardId` into every play without a board, or drop those when it is null.
    settle: (boardId) => transact('readwrite', (store) => {
      answer(store.getAll(), (all) => {
        for (const p of all.filter((q) => q.board_id == null)) {
          if (boardId == null) store.delete(p.seq);
          else store.put({ ...p, board_id: boardId });
        }
      });
    }, 'strict'),
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
      settle: async (boardId) => {
        items = items.filter((p) => p.board_id != null || boardId != null)
          .map((p) => (p.board_id == null ? { ...p, board_id: boardId } : p));
      },
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
  let settling = Promise.resolve(); // readers wait for it: no untagged play is read mid-settle
  const queue = {
    async add(play) {
      const q = await db();
      await q.add([play]);
      if (++addsSinceTrim >= TRIM_EVERY) {
        addsSinceTrim = 0;
        await q.trim(MAX_QUEUED);
      }
    },
    async peek(n) {
      await settling;
      return (await db()).peek(n);
    },
    remove: async (seqs) => (await db()).remove(seqs),
    size: async () => (await db()).size(),
    // The token is being left (refused, or replaced by another). Plays queued by a player before
    // 0.3.0 carry no board; that player cleared the queue on every change of token, so they were
    // made under the token being left, and the sender counts them as its board's. Before another
    // token can claim them, they get that board written in (`boardId`, from the manifest it
    // received); when it is unknown (no manifest), they are dropped, as the older player did.
    settleUntagged(boardId) {
      const run = (async () => {
        await adoptSaved(); // the localStorage lists too, which may hold such plays
        await (await db()).settle(boardId);
      })();
      settling = run.catch(() => {}); // a failure is the caller's to report, not every reader's
      return run;
    },
  };

  // Move the localStorage lists into the queue. Their plays keep their ids, so one that was
  // also written to IndexedDB before the page went away is still counted once by the server.
  async function adoptSaved() {
    for (const key of [UNLOAD_KEY, LEGACY_KEY]) {
      let saved;
      try { saved = JSON.parse(S.store.get(key) || '[]'); } catch (e) { saved = []; }
      if (Array.isArray(saved) && saved.length) await (await db()).add(saved.map(queued));
      S.store.remove(key);
    }
  }

  // ---- Recording ----------------------------------------------------------------------
  // A play is recorded once the item leaves the screen, with the time it was actually visible
  // (server clock). Zero-length plays (a swap in the same millisecond) say nothing: skipped.
  // `shown.board_id` is the board of the manifest live when the item went on screen.
  function playOf(shown, endedAt) {
    const ms = endedAt - shown.startedMs;
    if (!(ms > 0)) return null;
    return {
      id: S.uuid(),
      slide_id: shown.slide_id,
      sha256: shown.sha256,
      started_at: new Date(shown.startedMs).toISOString(),
      duration_s: Math.round(ms) / 1000,
      board_id: shown.board_id,
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
  // The board named by a manifest the current token received from the server (null until one
  // arrives, and again once the token is refused): the only board whose plays may be sent.
  let board = null;

  // A batch the server refuses as a whole (400/413/422) must not block the queue for ever:
  // halve the batch until the offending play stands alone, then drop that one play.
  let batchSize = BATCH;
  const refused = (status) => status === 400 || status === 413 || status === 422;

  // Send one batch; its plays leave the queue once the server has taken (or refused) them.
  async function send(batch) {
    const res = await S.api('POST', '/api/v1/player/plays', { body: { plays: batch.map(wire) } });
    if (refused(res.status) && batch.length > 1) {
      batchSize = Math.ceil(batch.length / 2);
      return;
    }
    if (refused(res.status)) console.warn('signage: play refused by the server, dropped', batch[0]);
    else if (res.status !== 200) throw new Error('plays: HTTP ' + res.status);
    await queue.remove(batch.map((p) => p.seq));
    if (res.status === 200) batchSize = Math.min(BATCH, batchSize * 2);
  }

  // Untagged plays are the current token's (see settleUntagged).
  const ours = (p, owner) => p.board_id == null || p.board_id === owner;

  // Plays of another board can never be counted: the token that could send them is gone, and
  // under this one the server would count them for the wrong board.
  async function dropForeign(plays) {
    console.warn(`signage: ${plays.length} plays made on another board dropped`);
    await queue.remove(plays.map((p) => p.seq));
  }

  async function flush() {
    const owner = board;
    for (;;) {
      const batch = await queue.peek(batchSize);
      // Nothing goes out before this token's manifest names its board, or once it is refused.
      if (owner === null || owner !== board || !batch.length) return;
      const foreign = batch.filter((p) => !ours(p, owner));
      if (foreign.length) await dropForeign(foreign);
      else await send(batch);
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
    stop() { running = false; board = null; clearTimeout(timer); timer = null; },
    // A manifest came from the server under the current token: it names the token's board.
    // The first one lets the plays kept meanwhile go at once.
    setBoard(id) {
      const first = board === null;
      board = id;
      if (first && board !== null && running && !busy) schedule(0);
    },
    // Send now, unless a send is running or we are backing off after a failure.
    kick() { if (running && !busy && retry.failures === 0) schedule(0); },
    get busy() { return busy; },
    // The server answers again (the manifest poll got through): end any backoff, send now.
    resume() {
      if (!running || retry.failures === 0) return;
      retry.reset();
      if (!busy) schedule(0);
    },
  };

  S.plays = { queue, record, recordNow, sender };
})(window.Signage = window.Signage || {});
