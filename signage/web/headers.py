"""Security headers on every response: ``X-Content-Type-Options: nosniff`` and a
``Content-Security-Policy`` chosen by what the response is.

A WSGI layer outside everything else, so that the answers given ahead of Flask (the manifest
fast path's 304) carry them too. A response that already names a header keeps its own.

- The web player (``/player/``: its page, scripts, style sheets and its service worker, whose own
  policy governs the worker's fetches) loads only its own files, fetches the API and ``/media/``
  on the same origin, and draws a ``data:`` favicon.
- Any other HTML page (the admin, its login and error pages) loads only its own scripts and style
  sheets. The templates position and size some elements with ``style`` attributes (calendar
  blocks, preview frames), so attributes may carry inline style where ``style-src-elem`` is
  understood, and inline ``<style>`` elements stay forbidden; no inline script anywhere.
- Everything else (JSON, media, CSV, print files, the admin's static files) is never a page that
  runs or loads anything: ``default-src 'none'``.

No page may be framed: a board shows the player as its top-level page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PLAYER_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "style-src-elem 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
NONE_POLICY = "default-src 'none'; frame-ancestors 'none'"


def policy_for(path: str, content_type: str) -> str:
    if path == "/player" or path.startswith("/player/"):
        return PLAYER_POLICY
    if content_type.split(";")[0].strip().lower() == "text/html":
        return PAGE_POLICY
    return NONE_POLICY


class SecurityHeaders:
    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")

        def with_headers(status: str, headers: list[tuple[str, str]], exc_info=None):
            named = {name.lower(): value for name, value in headers}
            added = list(headers)
            if "x-content-type-options" not in named:
                added.append(("X-Content-Type-Options", "nosniff"))
            if "content-security-policy" not in named:
                policy = policy_for(path, named.get("content-type", ""))
                added.append(("Content-Security-Policy", policy))
            return start_response(status, added, exc_info)

        return self.app(environ, with_headers)
