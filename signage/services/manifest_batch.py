"""Rebuild many boards' manifests in one pass.

Each schedule becomes a scheduling rule once, the group tree is read once, and boards that share
the same schedules, time zone and fallback share one computed timeline. Renditions are looked up
once per revision and size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from signage import scheduling
from signage.models import (
    Board,
    Manifest,
    Schedule,
    board_groups,
)
from signage.storage import MediaStore

from . import manifests
from .impact import group_children
from .renditions import ensure_rendition
from .timelines import PLAYLIST_CONTENT, fallback_items, rule_for


class _Reach:
    """Which boards each schedule reaches, from one read of the groups and memberships."""

    def __init__(self, session: Session) -> None:
        self.children = group_children(session)
        self.members: dict[int, set[int]] = defaultdict(set)
        for board_id, group_id in session.execute(select(board_groups)):
            self.members[group_id].add(board_id)
        self._below: dict[int, set[int]] = {}

    def boards_below(self, group_id: int) -> set[int]:
        if group_id not in self._below:
            boards = set(self.members[group_id])
            for child in self.children.get(group_id, ()):
                boards |= self.boards_below(child)
            self._below[group_id] = boards
        return self._below[group_id]

    def of(self, schedule: Schedule) -> set[int]:
        reached: set[int] = set()
        for target in schedule.targets:
            if target.board_id:
                reached.add(target.board_id)
            elif target.group_id:
                reached |= self.boards_below(target.group_id)
        return reached


def _schedules(session: Session) -> list[Schedule]:
    query = (
        select(Schedule)
        .options(
            selectinload(Schedule.targets),
            PLAYLIST_CONTENT,
        )
        .order_by(Schedule.id)
    )
    return list(session.scalars(query))


class _Inputs:
    """The (rules, time zone, fallback) of each board, sharing equal inputs by identity."""

    def __init__(self, session: Session) -> None:
        self.session = session
        schedules = _schedules(session)
        self.rules = {s.id: rule_for(s) for s in schedules}
        reach = _Reach(session)
        self.by_board: dict[int, list[int]] = defaultdict(list)
        for schedule in schedules:
            for board_id in reach.of(schedule):
                self.by_board[board_id].append(schedule.id)
        self._valid: dict[tuple[int, str], bool] = {}
        self._rule_sets: dict[tuple, tuple] = {}
        self._fallbacks: dict[int | None, tuple] = {}

    def _usable(self, rule_id: int, tz: str) -> bool:
        key = (rule_id, tz)
        if key not in self._valid:
            self._valid[key] = not scheduling.validate_rule(self.rules[rule_id], tz)
        return self._valid[key]

    def of(self, board: Board) -> tuple:
        ids = tuple(i for i in self.by_board.get(board.id, ()) if self._usable(i, board.timezone))
        rules = self._rule_sets.setdefault(ids, tuple(self.rules[i] for i in ids))
        playlist = board.fallback_playlist_id
        if playlist not in self._fallbacks:
            self._fallbacks[playlist] = fallback_items(self.session, board)
        return rules, board.timezone, self._fallbacks[playlist]


class _Renditions:
    def __init__(self, session: Session, store: MediaStore) -> None:
        self.session, self.store, self.found = session, store, {}

    def __call__(self, revision, width: int, height: int):
        key = (revision.id, width, height)
        if key not in self.found:
            self.found[key] = ensure_rendition(self.session, self.store, revision, width, height)
        return self.found[key]


class _SegmentsJson:
    """Boards with equal inputs share Segment objects, so each one is serialised once a size."""

    def __init__(self, session: Session, store: MediaStore) -> None:
        self.session, self.store = session, store
        self.renditions = _Renditions(session, store)
        self.done: dict[tuple[int, int, int], dict] = {}

    def __call__(self, board: Board, segments: list[scheduling.Segment]) -> list[dict]:
        out = []
        for segment in segments:
            key = (id(segment), board.width, board.height)
            if key not in self.done:
                self.done[key] = manifests.segment_json(
                    self.session, self.store, board, segment, self.renditions
                )
            out.append(self.done[key])
        return out


def _upsert(session: Session, rows: list[dict]) -> None:
    """Write the manifests in bulk; a row another process wrote meanwhile is overwritten."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), 500):
        statement = insert(Manifest).values(rows[start : start + 500])
        columns = ("version", "body", "generated_at", "valid_until")
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["board_id"],
                set_={c: getattr(statement.excluded, c) for c in columns},
            )
        )


def rebuild(
    session: Session,
    store: MediaStore,
    boards: Iterable[Board],
    now: datetime,
    hours: int,
    poll_seconds: int,
) -> int:
    """Rebuild and cache the manifests of these boards; returns how many were built."""
    boards = list(boards)
    if not boards:
        return 0
    valid_until = now + timedelta(hours=hours)
    inputs = _Inputs(session)
    timelines = scheduling.timelines_for({b.id: inputs.of(b) for b in boards}, now, valid_until)
    serialise = _SegmentsJson(session, store)
    rows = [
        {
            "board_id": board.id,
            **manifests.manifest_values(
                board, serialise(board, timelines[board.id]), now, valid_until, poll_seconds
            ),
        }
        for board in boards
    ]
    _upsert(session, rows)
    session.expire_all()  # cached Manifest objects must not shadow what was just written
    return len(boards)
