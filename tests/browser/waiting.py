"""Waiting for a condition in a page that runs under the project's Content-Security-Policy.

Playwright's ``wait_for_function`` builds its condition with ``new Function``, which a policy
without 'unsafe-eval' (the player's and the admin's) rightly refuses. ``page.evaluate`` goes
through the DevTools protocol, which the page's policy does not govern, so the condition is
asked that way, again and again, until it holds."""

from __future__ import annotations

import time

from playwright.sync_api import Error

POLL_S = 0.02


def wait_for(page, expression: str, arg=None, timeout: float = 30_000):
    """The truthy value of ``expression`` (or of a function string called with ``arg``), once it
    is truthy; fails after ``timeout`` milliseconds."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            value = page.evaluate(expression, arg)
        except Error as exc:  # a navigation replaced the page in the middle: ask the new one
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"not true after {timeout} ms: {expression}"
        time.sleep(POLL_S)
