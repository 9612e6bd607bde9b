"""Serve each board's manifest (player protocol v1) from the ``manifests`` cache table, and say
when it must be rebuilt.

Building and storing is ``manifest_batch``'s one path: a poll that finds no fresh manifest
rebuilds its board as a batch of one, the worker rebuilds every board that is due in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from signage.models import Board, Manifest, utcnow
from signage.storage import MediaStore

from .manifest_batch import (  # noqa: F401  (the manifest's shape, re-exported for its users)
    board_json,
    iso,
    manifest_values,
    rebuild,
    segment_json,
    version_of,
)

# A cached manifest is rebuilt once less than this much of its horizon remains.
MIN_REMAINING = timedelta(hours=36)


def build(
    session: Session, store: MediaStore, board: Board, now: datetime, hours: int, poll_seconds: int
) -> Manifest:
    """Rebuild one board's manifest and store it in the cache table: the batch of one."""
    rebuild(session, store, [board], now, hours, poll_seconds)
    return session.get(Manifest, board.id, populate_existing=True)


def current(
    session: Session, store: MediaStore, board: Board, hours: int, poll_seconds: int
) -> Manifest:
    """The cached manifest, rebuilt first if content changed or its horizon runs short."""
    now = utcnow()
    manifest = session.get(Manifest, board.id)
    if manifest is None or manifest.valid_until - now < MIN_REMAINING:
        manifest = build(session, store, board, now, hours, poll_seconds)
    return manifest


def fresh_version(session: Session, board_id: int) -> str | None:
    """The cached manifest's version while it needs no rebuild, read without its body."""
    query = select(Manifest.version).where(
        Manifest.board_id == board_id, Manifest.valid_until >= utcnow() + MIN_REMAINING
    )
    return session.scalar(query)


def response_body(manifest: Manifest) -> dict:
    return {
        **manifest.body,
        "version": manifest.version,
        "generated_at": iso(manifest.generated_at),
        "valid_until": iso(manifest.valid_until),
        "server_time": iso(utcnow()),
    }


def invalidate(session: Session, board_ids: Iterable[int] | None = None) -> None:
    """Drop cached manifests so the next request or worker pass rebuilds them."""
    query = delete(Manifest)
    if board_ids is not None:
        query = query.where(Manifest.board_id.in_(list(board_ids)))
    session.execute(query)


def refresh_due(
    session: Session, store: MediaStore, hours: int, poll_seconds: int, now: datetime | None = None
) -> int:
    """Rebuild every manifest that is missing or running short; returns how many were built."""
    now = now or utcnow()
    fresh = select(Manifest.board_id).where(Manifest.valid_until >= now + MIN_REMAINING)
    due = session.scalars(select(Board).where(Board.id.not_in(fresh)).order_by(Board.id))
    return rebuild(session, store, due, now, hours, poll_seconds)
