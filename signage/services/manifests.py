"""Build, cache and serve each board's manifest (player protocol v1)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from signage import scheduling
from signage.models import Board, Manifest, utcnow
from signage.storage import MediaStore

from .renditions import ensure_rendition
from .timelines import board_segments

# A cached manifest is rebuilt once less than this much of its horizon remains.
MIN_REMAINING = timedelta(hours=36)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _item_json(
    session: Session, store: MediaStore, board: Board, item: scheduling.Item, renditions=None
) -> dict:
    revision = item.payload
    if renditions is None:
        rendition = ensure_rendition(session, store, revision, board.width, board.height)
    else:
        rendition = renditions(revision, board.width, board.height)
    return {
        "slide_id": revision.slide_id,
        "revision": revision.number,
        "url": f"/media/{rendition.sha256}.{rendition.ext}",
        "sha256": rendition.sha256,
        "mime": rendition.mime,
        "width": rendition.width,
        "height": rendition.height,
        "duration_s": item.duration_s,
    }


def segment_json(
    session: Session, store: MediaStore, board: Board, segment, renditions=None
) -> dict:
    return {
        "start": iso(segment.start),
        "end": iso(segment.end),
        "priority": segment.priority,
        "kind": segment.kind,
        "schedule_ids": list(segment.schedule_ids),
        "items": [_item_json(session, store, board, item, renditions) for item in segment.items],
    }


def board_json(board: Board) -> dict:
    """The manifest's board part. It feeds the version too, so a changed setting (such as the
    transition) reaches the players as a new version."""
    return {
        "id": board.id,
        "name": board.name,
        "width": board.width,
        "height": board.height,
        "timezone": board.timezone,
        "transition": board.transition or "cut",
    }


def version_of(board: dict, segments: list[dict], poll_seconds: int) -> str:
    """Derived from the board's settings and the segments only, so an idle rebuild keeps it."""
    canonical = json.dumps(
        {"board": board, "segments": segments, "poll_seconds": poll_seconds},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def build(
    session: Session, store: MediaStore, board: Board, now: datetime, hours: int, poll_seconds: int
) -> Manifest:
    """Rebuild one board's manifest and store it in the cache table."""
    valid_until = now + timedelta(hours=hours)
    segments = board_segments(session, board, now, valid_until)
    segments_json = [segment_json(session, store, board, s) for s in segments]
    values = manifest_values(board, segments_json, now, valid_until, poll_seconds)
    return _store(session, board.id, values)


def manifest_values(
    board: Board, segments: list[dict], now: datetime, valid_until: datetime, poll_seconds: int
) -> dict:
    """The cached row's columns for a board whose segments carry their renditions."""
    board_part = board_json(board)
    body = {"board": board_part, "poll_seconds": poll_seconds, "segments": segments}
    return {
        "version": version_of(board_part, segments, poll_seconds),
        "body": body,
        "generated_at": now,
        "valid_until": valid_until,
    }


def _store(session: Session, board_id: int, values: dict) -> Manifest:
    """Insert or update the cached row; another process may insert it at the same moment."""
    manifest = session.get(Manifest, board_id)
    if manifest is None:
        try:
            with session.begin_nested():
                manifest = Manifest(board_id=board_id, **values)
                session.add(manifest)
            return manifest
        except IntegrityError:
            manifest = session.get(Manifest, board_id, populate_existing=True)
    for name, value in values.items():
        setattr(manifest, name, value)
    session.flush()
    return manifest


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
    from .manifest_batch import rebuild  # the batch builds on this module

    now = now or utcnow()
    fresh = select(Manifest.board_id).where(Manifest.valid_until >= now + MIN_REMAINING)
    due = session.scalars(select(Board).where(Board.id.not_in(fresh)).order_by(Board.id))
    return rebuild(session, store, due, now, hours, poll_seconds)
