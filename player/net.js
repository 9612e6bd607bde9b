// net.js: the authenticated API wrapper, a backoff helper, uuids and safe localStorage.
// Loaded after clock.js (every response feeds the clock estimate).
'use strict';
(function (S) {
  // ---- API wrapper ----------------------------------------------------------------
  // Raised when the server rejects the board token (revoked or unknown): the caller must stop
  // and go back to pairing.
  class Unauthorized extends Error {}

  let token = null;

  // fetch() with the bearer token and JSON body; always feeds the clock. Network failures
  // throw (TypeError); HTTP errors are returned for the caller to judge, except 401.
  async function api(method, path, { body, headers = {}, auth = true } = {}) {
    const h = Object.assign({}, headers);
    if (auth && token) h.Authorization = 'Bearer ' + token;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const t0 = Date.now();
    const res = await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', // API answers are never taken from the HTTP cache; ETag is ours to send
    });
    res.timing = { t0, t1: Date.now() };
    S.clock.observe(res);
    if (auth && res.status === 401) throw new Unauthorized('board token rejected');
    return res;
  }

  // ---- Backoff --------------------------------------------------------------------
  // Doubling delay with jitter, so a fleet of boards does not retry in lockstep after an outage.
  function backoff(baseMs, capMs) {
    let failures = 0;
    return {
      fail() {
        failures += 1;
        const d = Math.min(capMs, baseMs * 2 ** (failures - 1));
        return Math.round(d * (0.8 + Math.random() * 0.4));
      },
      reset() { failures = 0; },
      get failures() { return failures; },
    };
  }

  // ---- UUID -----------------------------------------------------------------------
  // crypto.randomUUID only exists in secure contexts; a board on plain-HTTP LAN gets the
  // fallback (getRandomValues works everywhere; Math.random is the last resort).
  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // localStorage can throw (quota, disabled storage); the player must keep running regardless.
  const store = {
    get(key) {
      try { return localStorage.getItem(key); } catch (e) { return null; }
    },
    // Returns null on success, else the error (so a caller can tell a full quota from no storage).
    set(key, value) {
      try { localStorage.setItem(key, value); return null; } catch (e) { return e; }
    },
    remove(key) {
      try { localStorage.removeItem(key); } catch (e) { /* nothing to do */ }
    },
  };

  Object.assign(S, {
    api, Unauthorized, backoff, uuid, store,
    setToken(t) { token = t; },
    getToken() { return token; },
  });
})(window.Signage = window.Signage || {});
