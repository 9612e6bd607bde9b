"""How a manifest is built and stored: the one path, for one board (a poll that finds none
cached) or thousands (the worker's rebuild).

``build_rows`` builds: the boards' rules come from ``timelines.BoardInputs`` (each schedule
becomes a rule once, the group tree is read once), boards that share schedules, time zone and
fallback share one computed timeline, each shared segment is serialised once per board size, and
renditions are looked up once per revision and size. ``store_rows`` stores: one bulk upsert, so a
row another process wrote meanwhile is overwritten rather than refused. ``rebuild`` does both.

The manifest's JSON shape lives here too (``segment_json``, ``board_json``, ``manifest_values``):
it is what ``version`` hashes, so a rebuild that changes nothing keeps the ETag.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from signage import scheduling
from signage.models import Board, Manifest, Rendition, SlideRevision
from signage.storage import MediaStore

from .renditions import ensure_rendition
from .timelines import BoardInputs

RenditionFor = Callable[[SlideRevision, int, int], Rendition]
_UPSERT_CHUNK = 500
_PREFETCH_CHUNK = 500
# What a manifest item quotes of its rendition (a row of these reads faster than an object).
_RENDITION_COLUMNS = (
    Rendition.revision_id,
    Rendition.width,
    Rendition.height,
    Rendition.sha256,
    Rendition.mime,
    Rendition.ext,
)
_COLUMNS = ("version", "body", "generated_at", "valid_until")


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _item_json(item: scheduling.Item, rendition: Rendition) -> dict:
    revision = item.payload
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
    session: Session,
    store: MediaStore,
    board: Any,
    segment: scheduling.Segment,
    renditions: RenditionFor | None = None,
) -> dict:
    """One segment as the contract shows it, each item with its rendition at the board's size
    (from ``renditions`` when given, else found or rendered now)."""
    if renditions is None:
        renditions = Renditions(session, store)
    items = [
        _item_json(item, renditions(item.payload, board.width, board.height))
        for item in segment.items
    ]
    return {
        "start": iso(segment.start),
        "end": iso(segment.end),
        "priority": segment.priority,
        "kind": segment.kind,
        "schedule_ids": list(segment.schedule_ids),
        "items": items,
    }


def board_json(board: Any) -> dict:
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


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def version_of(
    board: dict, segments: list[dict], poll_seconds: int, segments_text: str | None = None
) -> str:
    """Derived from the board's settings and the segments only, so an idle rebuild keeps it.

    It hashes ``canonical({"board", "poll_seconds", "segments"})``, written out here so that
    boards sharing their segments can pass the segments' canonical text, computed once."""
    text = segments_text if segments_text is not None else canonical(segments)
    whole = f'{{"board":{canonical(board)},"poll_seconds":{canonical(poll_seconds)},'
    whole += f'"segments":{text}}}'
    return hashlib.sha256(whole.encode()).hexdigest()[:32]


def manifest_values(
    board: Any,
    segments: list[dict],
    now: datetime,
    valid_until: datetime,
    poll_seconds: int,
    segments_text: str | None = None,
) -> dict:
    """The cached row's columns for a board whose segments carry their renditions."""
    board_part = board_json(board)
    body = {"board": board_part, "poll_seconds": poll_seconds, "segments": segments}
    return {
        "version": version_of(board_part, segments, poll_seconds, segments_text),
        "body": body,
        "generated_at": now,
        "valid_until": valid_until,
    }


class Renditions:
    """Each revision's rendition at a size, found (or rendered) once per build."""

    def __init__(self, session: Session, store: MediaStore) -> None:
        self.session, self.store, self.found = session, store, {}

    def prefetch(self, revision_ids: set[int], sizes: set[tuple[int, int]]) -> None:
        """Read the stored renditions of these revisions at these sizes in a few queries, rather
        than one query an item: the largest cost of a rebuild before."""
        ids = sorted(revision_ids)
        for start in range(0, len(ids), _PREFETCH_CHUNK):
            query = select(*_RENDITION_COLUMNS).where(
                Rendition.revision_id.in_(ids[start : start + _PREFETCH_CHUNK])
            )
            for row in self.session.execute(query):
                if (row.width, row.height) in sizes:
                    self.found.setdefault((row.revision_id, row.width, row.height), row)

    def __call__(self, revision: SlideRevision, width: int, height: int) -> Rendition:
        key = (revision.id, width, height)
        if key not in self.found:
            self.found[key] = ensure_rendition(self.session, self.store, revision, width, height)
        return self.found[key]


class _SegmentsJson:
    """Boards with equal inputs share Segment objects, so each one is serialised once a size,
    and each list of them once a size too (its canonical JSON, which the version hashes, is
    then computed once as well)."""

    def __init__(self, session: Session, store: MediaStore, timelines: dict[int, list]) -> None:
        self.session, self.store = session, store
        self.renditions = Renditions(session, store)
        self.done: dict[tuple[int, int, int], dict] = {}
        self.lists: dict[tuple, list[dict]] = {}
        self.texts: dict[int, str] = {}
        self.timelines = timelines

    def prefetch(self, boards: list[Board]) -> None:
        segments = {id(s): s for found in self.timelines.values() for s in found}.values()
        revisions = {item.payload.id for segment in segments for item in segment.items}
        self.renditions.prefetch(revisions, {(b.width, b.height) for b in boards})

    def __call__(self, board: Board) -> list[dict]:
        segments = self.timelines[board.id]
        whole = (tuple(id(s) for s in segments), board.width, board.height)
        if whole not in self.lists:
            self.lists[whole] = [self._one(board, segment) for segment in segments]
        return self.lists[whole]

    def _one(self, board: Board, segment: scheduling.Segment) -> dict:
        key = (id(segment), board.width, board.height)
        if key not in self.done:
            self.done[key] = segment_json(self.session, self.store, board, segment, self.renditions)
        return self.done[key]

    def text(self, segments: list[dict]) -> str:
        if id(segments) not in self.texts:
            self.texts[id(segments)] = canonical(segments)
        return self.texts[id(segments)]


def build_rows(
    session: Session,
    store: MediaStore,
    boards: list[Board],
    now: datetime,
    valid_until: datetime,
    poll_seconds: int,
) -> list[dict]:
    """The manifest row of each board, built from ``now`` to ``valid_until``."""
    inputs = BoardInputs(session, boards)
    timelines = scheduling.timelines_for({b.id: inputs.of(b) for b in boards}, now, valid_until)
    serialise = _SegmentsJson(session, store, timelines)
    serialise.prefetch(boards)
    rows = []
    for board in boards:
        segments = serialise(board)
        values = manifest_values(
            board, segments, now, valid_until, poll_seconds, serialise.text(segments)
        )
        rows.append({"board_id": board.id, **values})
    return rows


def store_rows(session: Session, rows: list[dict]) -> None:
    """Write the manifests in bulk; a row another process wrote meanwhile is overwritten."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), _UPSERT_CHUNK):
        statement = insert(Manifest).values(rows[start : start + _UPSERT_CHUNK])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["board_id"],
                set_={c: getattr(statement.excluded, c) for c in _COLUMNS},
            )
        )
    # Manifest objects this session already holds must not shadow what was just written.
    for row in rows:
        cached = session.identity_map.get(identity_key(Manifest, row["board_id"]))
        if cached is not None:
            session.expire(cached)


def rebuild(
    session: Session,
    store: MediaStore,
    boards: Iterable[Board],
    now: datetime,
    hours: int,
    poll_seconds: int,
) -> int:
    """Build and store the manifests of these boards; returns how many were built."""
    boards = list(boards)
    if not boards:
        return 0
    rows = build_rows(session, store, boards, now, now + timedelta(hours=hours), poll_seconds)
    store_rows(session, rows)
    return len(rows)
