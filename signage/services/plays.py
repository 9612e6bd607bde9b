"""Proof of play: idempotent ingestion and reports."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from signage.models import Board, Play

from . import validation
from .errors import ValidationFailed

MAX_BATCH = 1000
MAX_ID = 2**31 - 1
MAX_DURATION = 7 * 24 * 3600
SHA256 = re.compile(r"[0-9a-f]{64}")


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _play_row(board: Board, index: int, raw) -> dict:
    path = f"plays[{index}]"
    if not isinstance(raw, dict):
        raise ValidationFailed.field(path, "must be an object")
    try:
        play_id = str(uuid.UUID(str(raw.get("id"))))
    except ValueError:
        raise ValidationFailed.field(f"{path}.id", "must be a UUID") from None
    sha256 = raw.get("sha256")
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256):
        raise ValidationFailed.field(f"{path}.sha256", "must be a 64-character hex digest")
    duration = raw.get("duration_s")
    if not _finite(duration) or not 0 <= duration <= MAX_DURATION:
        raise ValidationFailed.field(
            f"{path}.duration_s", f"must be a number of seconds from 0 to {MAX_DURATION}"
        )
    slide_id = raw.get("slide_id")
    if slide_id is not None:
        slide_id = validation.integer(slide_id, f"{path}.slide_id", 1, MAX_ID, strict=True)
    return {
        "id": play_id,
        "board_id": board.id,
        "slide_id": slide_id,
        "sha256": sha256,
        "started_at": validation.instant(raw.get("started_at"), f"{path}.started_at"),
        "duration_s": float(duration),
    }


def parse_batch(board: Board, payload) -> list[dict]:
    plays = payload.get("plays") if isinstance(payload, dict) else None
    if not isinstance(plays, list):
        raise ValidationFailed.field("plays", "must be a list")
    if len(plays) > MAX_BATCH:
        raise ValidationFailed.field("plays", f"at most {MAX_BATCH} plays per call")
    rows = {}
    for index, raw in enumerate(plays):
        row = _play_row(board, index, raw)
        rows[row["id"]] = row
    return list(rows.values())


def ingest(session: Session, board: Board, payload) -> tuple[int, int]:
    """Store new plays; a play id seen before is counted as a duplicate, never twice."""
    rows = parse_batch(board, payload)
    if not rows:
        return 0, 0
    dialect = session.bind.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    received = len(payload["plays"])
    statement = (
        insert(Play).values(rows).on_conflict_do_nothing(index_elements=["id"]).returning(Play.id)
    )
    # RETURNING lists the rows actually inserted; rowcount is -1 for this on psycopg.
    accepted = len(session.execute(statement).all())
    return accepted, received - accepted


def _conditions(start, end, board_id, slide_id) -> list:
    conditions = []
    if start:
        conditions.append(Play.started_at >= start)
    if end:
        conditions.append(Play.started_at < end)
    if board_id:
        conditions.append(Play.board_id == board_id)
    if slide_id:
        conditions.append(Play.slide_id == slide_id)
    return conditions


def report(
    session: Session,
    start: datetime | None,
    end: datetime | None,
    board_id: int | None,
    slide_id: int | None,
) -> tuple[list[Play], dict]:
    conditions = _conditions(start, end, board_id, slide_id)
    plays = list(session.scalars(select(Play).where(*conditions).order_by(Play.started_at)))
    totals_query = select(func.count(), func.coalesce(func.sum(Play.duration_s), 0)).where(
        *conditions
    )
    count, seconds = session.execute(totals_query).one()
    return plays, {"plays": count, "duration_s": float(seconds)}


@dataclass(frozen=True)
class PlaySummary:
    """What one board played of one slide in a period."""

    board_id: int
    slide_id: int | None
    plays: int
    duration_s: float
    first: datetime
    last: datetime


def summary(
    session: Session,
    start: datetime | None,
    end: datetime | None,
    board_id: int | None = None,
    slide_id: int | None = None,
) -> list[PlaySummary]:
    """Plays counted per board and slide, most played first."""
    conditions = _conditions(start, end, board_id, slide_id)
    query = (
        select(
            Play.board_id,
            Play.slide_id,
            func.count(),
            func.coalesce(func.sum(Play.duration_s), 0),
            func.min(Play.started_at),
            func.max(Play.started_at),
        )
        .where(*conditions)
        .group_by(Play.board_id, Play.slide_id)
        .order_by(func.count().desc(), Play.board_id, Play.slide_id)
    )
    return [
        PlaySummary(b, s, n, float(seconds), first, last)
        for b, s, n, seconds, first, last in session.execute(query)
    ]
