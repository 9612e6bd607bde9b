// pairing.js: a board without a token asks the server for a short code, shows it very large,
// and waits until staff enter it in the admin UI; the server then hands out the token once.
'use strict';
(function (S) {
  const POLL_MS = 3000; // the contract's rhythm for GET /pairings/<id>
  let ui = null;

  function init(elements) { ui = elements; }

  function render(code, message) {
    ui.root.hidden = false;
    ui.code.textContent = code || '';
    ui.code.hidden = !code;
    ui.message.textContent = message || '';
  }

  // A code, or throws (network error, rate limit, server error). A 429's Retry-After is honoured
  // through the returned error, so a crowd of boards powering up together backs off properly.
  async function request() {
    const res = await S.api('POST', '/api/v1/player/pairings', { auth: false });
    if (res.status === 201) return res.json();
    const err = new Error('pairing request failed: HTTP ' + res.status);
    err.retryAfterMs = Number(res.headers.get('Retry-After')) * 1000 || 0;
    throw err;
  }

  // Poll until the code is claimed (resolves the token) or expires (resolves null). Network
  // errors while polling keep the code on screen: it is still valid on the server.
  async function waitForClaim(pairing, isCancelled) {
    const expires = Date.parse(pairing.expires_at);
    for (;;) {
      await S.sleep(POLL_MS);
      if (isCancelled()) return null;
      if (Number.isFinite(expires) && S.clock.now() >= expires) return null;
      let res;
      try {
        res = await S.api('GET', '/api/v1/player/pairings/' + encodeURIComponent(pairing.pairing_id),
          { auth: false });
      } catch (e) {
        continue;
      }
      if (res.status === 404 || res.status === 410) return null; // expired or forgotten
      if (res.status !== 200) continue;
      const body = await res.json().catch(() => ({}));
      if (body.status === 'claimed' && body.token) return body.token;
      if (body.status === 'expired') return null;
    }
  }

  // Show codes until one is claimed; resolves the board token. `onCode` lets the player mirror
  // the code into window.signagePlayer for tests and diagnostics.
  async function run(onCode, isCancelled = () => false) {
    const retry = S.backoff(3000, 60000);
    render('', 'Đang kết nối máy chủ…');
    while (!isCancelled()) {
      let pairing;
      try {
        pairing = await request();
        retry.reset();
      } catch (e) {
        render('', 'Chưa kết nối được máy chủ, đang thử lại…');
        await S.sleep(Math.max(retry.fail(), e.retryAfterMs || 0));
        continue;
      }
      onCode(pairing);
      render(pairing.code, '');
      const token = await waitForClaim(pairing, isCancelled);
      if (token) {
        ui.root.hidden = true;
        return token;
      }
    }
    return null;
  }

  function hide() { if (ui) ui.root.hidden = true; }

  S.pairing = { init, run, hide };
})(window.Signage = window.Signage || {});
