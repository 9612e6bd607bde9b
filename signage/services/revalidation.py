"""Board tokens and manifest versions held in memory, so that a player's poll for a manifest it
already has is answered without a database round trip.

Almost every poll is such a revalidation, and answering it from the database costs two queries
and an ORM session, several times the work of the HTTP exchange itself. A whole-table snapshot,
re-read at most once every ``max_age_s`` seconds, costs one query per process per interval
whatever the number of boards polling. The price is that a new manifest or a revoked token is
seen up to twice ``max_age_s`` later (once while a re-read is under way), far inside a poll
interval. On a deployment so large that
reading the snapshot takes a noticeable time, the interval stretches, up to five seconds, so that
reading takes no more than a twentieth of a process's time (figures in docs/performance.md).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import extract, select

from signage.db import Database
from signage.models import Board, Manifest

from .manifests import MIN_REMAINING

log = logging.getLogger(__name__)

# A re-read may take at most this share of the time between two re-reads...
READ_SHARE = 1 / 20
# ...but the interval never stretches past this, so a change is always seen within seconds.
MAX_INTERVAL_S = 5.0


@dataclass(frozen=True, slots=True)
class KnownManifest:
    board_id: int
    version: str
    # Epoch seconds after which the cached manifest needs a rebuild before it may be confirmed.
    fresh_until: float


class RevalidationSnapshot:
    """token digest → the board's current manifest version, as of at most a few seconds ago.

    It never blocks a poll: while one thread re-reads, the others answer from the snapshot they
    have, or go the full way when it is too old to vouch for (a slow or failing database)."""

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
        self._loaded_at = -math.inf
        self._interval = max_age_s
        self._reloading = threading.Lock()

    def lookup(self, token_digest: str) -> KnownManifest | None:
        """The board's known manifest, or None when the snapshot cannot vouch for it."""
        by_token = self._current()
        return None if by_token is None else by_token.get(token_digest)

    def _current(self) -> dict[str, KnownManifest] | None:
        if self._max_age_s <= 0:
            return self._read_or_none()  # no caching: every poll sees the database as it is
        if self._clock() - self._loaded_at >= self._interval and self._reloading.acquire(
            blocking=False
        ):
            try:
                self._reload()
            finally:
                self._reloading.release()
        if self._clock() - self._loaded_at >= self._interval + self._max_age_s:
            return None  # the re-read is slow or stuck: answer nothing rather than something stale
        return self._by_token

    def _reload(self) -> None:
        started = self._clock()
        # A failed read is not retried before the next interval, so a database fault costs one
        # query a second, not one a poll; meanwhile every poll goes the full way.
        self._by_token = self._read_or_none()
        self._loaded_at = started
        stretched = (self._clock() - started) / READ_SHARE
        self._interval = min(max(self._max_age_s, stretched), MAX_INTERVAL_S)

    def _read_or_none(self) -> dict[str, KnownManifest] | None:
        try:
            return read_snapshot(self._db)
        except Exception:
            # Without a snapshot nothing is vouched for: the Flask view answers, and a database
            # fault gets its proper error there.
            log.exception("could not read the revalidation snapshot")
            return None


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
