// timeline.js: the clock rule, as pure functions of (manifest, now). No DOM, no timers, so the
// rule can be reasoned about (and tested) with plain values.
'use strict';
(function (S) {
  // Turn manifest segments into millisecond numbers once, instead of parsing dates on every tick.
  // Items with a non-positive duration cannot take part in a rotation and are dropped; a segment
  // left with nothing is dropped too (the contract says none is empty, but never trust input).
  function compile(manifest) {
    const segments = [];
    for (const seg of manifest.segments || []) {
      const start = Date.parse(seg.start);
      const end = Date.parse(seg.end);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) continue;
      const items = (seg.items || []).filter((it) => Number(it.duration_s) > 0);
      if (!items.length) continue;
      const durations = items.map((it) => Math.round(Number(it.duration_s) * 1000));
      const cycle = durations.reduce((a, b) => a + b, 0);
      segments.push({ start, end, items, durations, cycle });
    }
    segments.sort((a, b) => a.start - b.start);
    return segments;
  }

  // The segment that governs `now`, and the instant its rule stops applying ({seg, until}).
  // Normally start <= now < end. Past the last end (manifest beyond valid_until, server
  // unreachable) the last segment keeps rotating forever, and before the first start the first
  // one does: the screen is never blank. A gap (segments should be contiguous) plays the
  // segment before it until the next one starts.
  function segmentAt(segments, now) {
    if (!segments.length) return null;
    if (now < segments[0].start) return { seg: segments[0], until: segments[0].start };
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      const next = segments[i + 1];
      if (now < seg.end) return { seg, until: seg.end };
      if (!next) return { seg, until: Infinity };
      if (now < next.start) return { seg, until: next.start };
    }
    return null; // unreachable
  }

  const mod = (a, n) => ((a % n) + n) % n; // a true modulo: before a start, phases stay >= 0

  // What to show at `now` and when that next changes:
  // {item, index, segment, itemStart, nextAt}. itemStart is the instant (server ms) at which
  // this slot of the rotation began; nextAt is the next item boundary or segment end, whichever
  // comes first.
  function resolve(segments, now) {
    const found = segmentAt(segments, now);
    if (!found) return null;
    const seg = found.seg;
    const phase = mod(now - seg.start, seg.cycle);
    let acc = 0;
    let index = 0;
    while (acc + seg.durations[index] <= phase) {
      acc += seg.durations[index];
      index += 1;
    }
    const itemStart = now - (phase - acc);
    const nextAt = Math.min(itemStart + seg.durations[index], found.until);
    return { item: seg.items[index], index, segment: seg, itemStart, nextAt };
  }

  // The item that will be shown from `at` on; used to preload the next image before its turn.
  function upcoming(segments, at) {
    const r = resolve(segments, at);
    return r ? r.item : null;
  }

  // Every distinct media URL a manifest references, so all of them can be preloaded before
  // the manifest goes live.
  function mediaOf(segments) {
    const bySha = new Map();
    for (const seg of segments) for (const it of seg.items) bySha.set(it.sha256, it.url);
    return bySha;
  }

  S.timeline = { compile, resolve, upcoming, mediaOf };
})(window.Signage = window.Signage || {});
