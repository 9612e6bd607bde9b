"""The fast path for the hottest request of all: a player asking whether its manifest changed.

This WSGI layer sits in front of Flask. When a manifest poll carries a board token and an
If-None-Match that the in-memory snapshot confirms, it answers 304 at once. Every other request,
and every poll it cannot confirm (no or unknown token, a changed or ageing manifest, no snapshot),
goes on to the Flask view, which authenticates against the database and builds what is due.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from werkzeug.http import parse_etags

from signage.services.revalidation import RevalidationSnapshot
from signage.services.secrets import parse_bearer, token_digest

MANIFEST_PATH = "/api/v1/player/manifest"


class ManifestRevalidation:
    def __init__(self, app: Callable, snapshot: RevalidationSnapshot) -> None:
        self.app = app
        self.snapshot = snapshot

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == MANIFEST_PATH and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            version = self._confirmed_version(environ)
            if version is not None:
                start_response("304 NOT MODIFIED", _headers(version))
                return []
        return self.app(environ, start_response)

    def _confirmed_version(self, environ: dict) -> str | None:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        token = parse_bearer(environ.get("HTTP_AUTHORIZATION", ""))
        if not if_none_match or token is None:
            return None
        known = self.snapshot.lookup(token_digest(token))
        if known is None or time.time() >= known.fresh_until:
            return None
        return known.version if parse_etags(if_none_match).contains_weak(known.version) else None


def _headers(version: str) -> list[tuple[str, str]]:
    # The same headers the Flask view sets on its own 304.
    return [("ETag", f'"{version}"'), ("Cache-Control", "no-cache")]
