// clock.js: the server's clock, as seen from this browser. Loaded first.
// Playback must follow the *server's* clock (contract: boards with the same segment show the
// same slide at the same moment), so local time is corrected by an estimated offset, and
// every module uses Signage.clock.now() instead of Date.now().
//
// Each response bounds the offset: the server read its clock somewhere between our send (t0)
// and our receive (t1), and a whole-second stamp (the Date header always is one) was truncated,
// so the server's time then lay in [stamp, stamp + 1 s). Hence offset is in
// [stamp - t1, stamp + 1000 - t0]. Intersecting the intervals of recent samples narrows this far
// below the header's 1 s resolution; the estimate is the middle of the intersection.
// sync() makes that fast: it times probes so that the server's second ticks over in the middle
// of the remaining uncertainty, which halves it with each probe (down to about the round trip).
'use strict';
(function (S) {
  const SAMPLE_TTL_MS = 10 * 60 * 1000; // older samples are dropped: the local clock drifts
  const MAX_SAMPLES = 64;
  const GOOD_ENOUGH_MS = 5; // half-width at which sync() stops probing
  const COARSE_MS = 25; // above this half-width a consistent previous estimate is kept

  const SAVED_KEY = 'signage.clockOffset';

  let samples = []; // {lo, hi, at}: bounds on the offset in ms, and when they were taken
  let bounds = { lo: -Infinity, hi: Infinity };
  // Until the server answers, the offset learnt before a reload is the best guess: a board
  // whose own clock is wrong must stay in step even when it restarts while offline.
  let offsetMs = Number(read(SAVED_KEY)) || 0;
  let lastRtt = 0;
  // Added on top of the estimate by test hooks only (signagePlayer.test.shiftClock), so a test
  // can visit any instant of the manifest's horizon without waiting for it. Never saved.
  let shiftMs = 0;

  function read(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }

  function addSample(serverMs, resolutionMs, t0, t1) {
    const at = Date.now();
    samples = samples.filter((s) => at - s.at < SAMPLE_TTL_MS && s.at <= at).slice(-MAX_SAMPLES + 1);
    samples.push({ lo: serverMs - t1, hi: serverMs + resolutionMs - t0, at });
    lastRtt = t1 - t0;
    bounds = intersect();
    const next = choose(offsetMs);
    const changed = next !== offsetMs;
    offsetMs = next;
    if (changed) {
      try { localStorage.setItem(SAVED_KEY, String(offsetMs)); } catch (e) { /* not vital */ }
    }
    if (clock.onChange) clock.onChange(offsetMs);
  }

  // While the interval is still wide (one coarse sample after a reload, or while offline
  // samples trickle in), the previous estimate is kept if the samples allow it: it came from
  // an earlier, finer sync (or is 0, right for a board whose clock is NTP-synced), and jumping to
  // the middle of a 1 s interval would move the slides by up to half a second.
  function choose(previous) {
    const mid = Math.round((bounds.lo + bounds.hi) / 2);
    const wide = bounds.hi - bounds.lo > 2 * COARSE_MS;
    return wide && previous >= bounds.lo && previous <= bounds.hi ? previous : mid;
  }

  function intersect() {
    let lo = -Infinity;
    let hi = Infinity;
    for (const s of samples) {
      lo = Math.max(lo, s.lo);
      hi = Math.min(hi, s.hi);
    }
    if (lo <= hi) return { lo, hi };
    // The samples disagree: the local clock was set or jumped. Only the newest still holds.
    samples = samples.slice(-1);
    return { lo: samples[0].lo, hi: samples[0].hi };
  }

  // Whole-second ISO stamps are treated like the Date header (truncated); stamps with a
  // fraction are precise to the millisecond.
  const isoResolution = (iso) => (/\.\d+/.test(iso) ? 1 : 1000);

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

  const clock = {
    now: () => Date.now() + offsetMs + shiftMs,
    offset: () => offsetMs,
    shift(ms) { shiftMs += ms; },
    // Half the width of the interval known to hold the offset (ms); Infinity before any answer.
    uncertainty: () => (bounds.hi - bounds.lo) / 2,
    onChange: null, // set by the player to mirror the offset into window.signagePlayer

    // Learn from a response of S.api() (which stores its round trip in response.timing): its
    // Date header, or a body timestamp such as the manifest's server_time.
    observe(response, serverTimeIso) {
      const { t0, t1 } = response.timing || {};
      if (t0 === undefined) return;
      const date = Date.parse(response.headers.get('Date') || '');
      if (serverTimeIso === undefined) {
        if (Number.isFinite(date)) addSample(date, 1000, t0, t1);
        return;
      }
      const body = Date.parse(serverTimeIso);
      // A body stamp counts only if it agrees with the Date header: a cached body could carry a
      // stale server_time, and the contract does not promise that it is fresh.
      if (Number.isFinite(body) && (!Number.isFinite(date) || Math.abs(body - date) < 2000)) {
        addSample(body, isoResolution(serverTimeIso), t0, t1);
      }
    },

    // Narrow the estimate with a few well-timed probes. `probe` performs one cheap request
    // through S.api (so that it is observed); it may throw, which ends the sync.
    async sync(probe, maxProbes = 10) {
      await probe(); // also refreshes the sample set (expired samples go when one is added)
      for (let i = 0; i < maxProbes && clock.uncertainty() > GOOD_ENOUGH_MS; i++) {
        const mid = (bounds.lo + bounds.hi) / 2;
        // The next whole server second at least 100 ms away (by the current estimate)...
        const boundary = Math.ceil((Date.now() + mid + 100) / 1000) * 1000;
        // ...should fall in the middle of the probe's round trip.
        await sleep(boundary - mid - lastRtt / 2 - Date.now());
        await probe();
      }
    },
  };

  S.clock = clock;
  S.sleep = sleep;
})(window.Signage = window.Signage || {});
