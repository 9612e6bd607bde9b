"""Proof of play: what players report they showed, stored once per play."""

from __future__ import annotations

import math
import uuid
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from signage.models import Board, Play

from . import validation
from .board_health import SHA256
from .errors import ValidationFailed

MAX_BATCH = 1000
MAX_ID = 2**31 - 1
MAX_DURATION = 7 * 24 * 3600


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _play_id(raw: dict, path: str) -> str:
    try:
        return str(uuid.UUID(str(raw.get("id"))))
    except ValueError:
        raise ValidationFailed.field(f"{path}.id", "not_a_uuid") from None


def _sha256(raw: dict, path: str) -> str:
    sha256 = raw.get("sha256")
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256):
        raise ValidationFailed.field(f"{path}.sha256", "not_a_sha256")
    return sha256


def _duration(raw: dict, path: str) -> float:
    duration = raw.get("duration_s")
    if not _finite(duration) or not 0 <= duration <= MAX_DURATION:
        raise ValidationFailed.field(
            f"{path}.duration_s", "not_a_duration", low=0, high=MAX_DURATION
        )
    return float(duration)


def _slide_id(raw: dict, path: str) -> int | None:
    slide_id = raw.get("slide_id")
    if slide_id is None:
        return None
    return validation.integer(slide_id, f"{path}.slide_id", 1, MAX_ID, strict=True)


def _play_row(board: Board, index: int, raw: Any) -> dict:
    path = f"plays[{index}]"
    if not isinstance(raw, dict):
        raise ValidationFailed.field(path, "not_a_json_object")
    play_id, sha256, duration = _play_id(raw, path), _sha256(raw, path), _duration(raw, path)
    return {
        "id": play_id,
        "board_id": board.id,
        "slide_id": _slide_id(raw, path),
        "sha256": sha256,
        "started_at": validation.instant(raw.get("started_at"), f"{path}.started_at"),
        "duration_s": duration,
    }


def parse_batch(board: Board, payload: Any) -> list[dict]:
    plays = payload.get("plays") if isinstance(payload, dict) else None
    if not isinstance(plays, list):
        raise ValidationFailed.field("plays", "not_a_list")
    if len(plays) > MAX_BATCH:
        raise ValidationFailed.field("plays", "too_many", count=len(plays), limit=MAX_BATCH)
    rows = {}
    for index, raw in enumerate(plays):
        row = _play_row(board, index, raw)
        rows[row["id"]] = row
    return list(rows.values())


def ingest(session: Session, board: Board, payload: Any) -> tuple[int, int]:
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
