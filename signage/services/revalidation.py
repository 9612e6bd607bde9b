"""Board tokens and manifest versions held in memory, so that a player's poll for a manifest it
already has is answered without a database round trip.

Almost every poll is such a revalidation, and answering it from the database costs two queries
and an ORM session, several times the work of the HTTP exchange itself. A whole-table snapshot,
re-read at most once every ``max_age_s`` seconds, costs one query per process per interval
whatever the number of boards polling. The price is that a new manifest or a revoked token is
seen up to ``max_age_s`` later, which is far inside a poll interval. On a deployment so large that
reading the snapshot takes a noticeable time, the interval stretches so that reading never takes
more than a twentieth of a process's time (figures in docs/performance.md).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import extract, select

from signage.db import Database
from signage.models import Board, Manifest

from .manifests import MIN_REMAINING

log = logging.getLogger(__name__)

# A re-read may take at most this share of the time between two re-reads.
READ_SHARE = 1 / 20


@dataclass(frozen=True, slots=True)
class KnownManifest:
    board_id: int
    version: str
    # Epoch seconds after which the cached manifest needs a rebuild before it may be confirmed.
    fresh_until: float


class RevalidationSnapshot:
    """token digest → the board's current manifest version, as of at most ``max_age_s`` ago."""

    def __init__(
        self,
        db: Database,
        max_age_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._max_age_s = max_age_s
        self._clock = clock
        self._by_token: dict[str, KnownManifest] | None = None
        self._loaded_at = 0.0
        self._interval = max_age_s
        self._reloading = threading.Lock()

    def lookup(self, token_digest: str) -> KnownManifest | None:
        """The board's known manifest, or None when the snapshot cannot vouch for it."""
        by_token = self._current()
        return None if by_token is None else by_token.get(token_digest)

    def _current(self) -> dict[str, KnownManifest] | None:
        if self._by_token is not None and self._clock() - self._loaded_at < self._interval:
            return self._by_token
        # One thread re-reads; the others keep answering from the previous snapshot meanwhile,
        # unless there is none yet.
        if self._reloading.acquire(blocking=self._by_token is None):
            try:
                self._reload()
            finally:
                self._reloading.release()
        return self._by_token

    def _reload(self) -> None:
        started = self._clock()
        try:
            self._by_token = read_snapshot(self._db)
            self._loaded_at = started
            self._interval = max(self._max_age_s, (self._clock() - started) / READ_SHARE)
        except Exception:
            # Without a current snapshot nothing is vouched for: every poll goes the full way,
            # where a database fault gets its proper error.
            log.exception("could not read the revalidation snapshot")
            self._by_token = None


def read_snapshot(db: Database) -> dict[str, KnownManifest]:
    margin = MIN_REMAINING.total_seconds()
    # The database turns valid_until into epoch seconds: parsing thousands of timestamps in
    # Python made up a third of the read.
    valid_until = extract("epoch", Manifest.valid_until)
    query = select(Board.token_hash, Board.id, Manifest.version, valid_until).join(
        Manifest, Manifest.board_id == Board.id
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return {
        token: KnownManifest(board_id, version, float(until) - margin)
        for token, board_id, version, until in rows
        if token is not None
    }
