"""What players say about themselves: heartbeats, and the health and status read off them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signage.models import Board, Heartbeat, Rendition, Slide, utcnow

from . import validation
from .errors import ValidationFailed

MAX_INT = 2**31 - 1  # the largest value an INTEGER column holds on PostgreSQL
SHA256 = re.compile(r"[0-9a-f]{64}")
PLAYER_VERSION_LENGTH = 40


def _optional_int(container: dict, key: str, path: str) -> int | None:
    value = container.get(key)
    if value is None:
        return None
    return validation.integer(value, path, 0, MAX_INT, strict=True)


def _object(payload: dict, key: str, keys: tuple[str, ...]) -> dict:
    value = payload.get(key)
    if value is not None and not isinstance(value, dict):
        raise ValidationFailed.field(key, "not_an_object_or_null", keys=list(keys))
    return value or {}


def _player_version(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationFailed.field("player_version", "not_a_string")
    return (value or "").strip()[:PLAYER_VERSION_LENGTH] or None


def parse_heartbeat(payload: dict) -> dict:
    """The values of a player's heartbeat, checked; each problem names its JSON path."""
    current = _object(payload, "current", ("slide_id", "sha256"))
    screen = _object(payload, "screen", ("width", "height"))
    sha256 = current.get("sha256")
    if sha256 is not None and not (isinstance(sha256, str) and SHA256.fullmatch(sha256)):
        raise ValidationFailed.field("current.sha256", "not_a_sha256")
    return {
        "player_version": _player_version(payload.get("player_version")),
        "slide_id": _optional_int(current, "slide_id", "current.slide_id"),
        "sha256": sha256,
        "screen_width": _optional_int(screen, "width", "screen.width"),
        "screen_height": _optional_int(screen, "height", "screen.height"),
        "uptime_s": _optional_int(payload, "uptime_s", "uptime_s"),
    }


def record_heartbeat(session: Session, board: Board, payload: dict) -> None:
    """Keep the heartbeat, and copy it onto the board so status pages read one row."""
    beat = Heartbeat(board_id=board.id, **parse_heartbeat(payload))
    session.add(beat)
    board.last_seen_at = utcnow()
    board.current_slide_id = beat.slide_id
    board.current_sha256 = beat.sha256
    board.player_version = beat.player_version
    board.screen_width, board.screen_height = beat.screen_width, beat.screen_height
    board.uptime_s = beat.uptime_s


def status(board: Board, offline_after_s: int, now: datetime | None = None) -> str:
    """online, offline (silent for longer than the threshold) or never (no heartbeat yet)."""
    if board.last_seen_at is None:
        return "never"
    silent = (now or utcnow()) - board.last_seen_at
    return "online" if silent <= timedelta(seconds=offline_after_s) else "offline"


def screen_mismatch(board: Board) -> bool:
    """The player reports a screen of another size than the one content is rendered for:
    slides would be scaled, or cut off."""
    if board.screen_width is None or board.screen_height is None:
        return False
    return (board.screen_width, board.screen_height) != (board.width, board.height)


@dataclass(frozen=True)
class Health:
    """A board's health as every listing shows it, judged by the offline threshold."""

    status: str  # "online" | "offline" | "never"
    last_seen_at: datetime | None
    screen_mismatch: bool

    @property
    def online(self) -> bool:
        return self.status == "online"

    @property
    def offline_since(self) -> datetime | None:
        return self.last_seen_at if self.status == "offline" else None


def health(board: Board, offline_after_s: int, now: datetime | None = None) -> Health:
    return Health(status(board, offline_after_s, now), board.last_seen_at, screen_mismatch(board))


def count_online(rows: Iterable[Board], offline_after_s: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    return sum(1 for board in rows if status(board, offline_after_s, now) == "online")


@dataclass(frozen=True)
class OnScreen:
    """What a board reported it shows: the slide, its title, and the image when it is known
    here (the media address of what is really on the screen)."""

    slide_id: int
    title: str
    media_path: str | None


def _titles(session: Session, slide_ids: set[int]) -> dict[int, str]:
    if not slide_ids:
        return {}
    query = select(Slide).where(Slide.id.in_(slide_ids)).options(selectinload(Slide.revisions))
    return {s.id: (s.playable or s.latest).title for s in session.scalars(query)}


def _media_paths(session: Session, digests: set[str]) -> dict[str, str]:
    if not digests:
        return {}
    query = select(Rendition.sha256, Rendition.ext).where(Rendition.sha256.in_(digests))
    return {sha: f"/media/{sha}.{ext}" for sha, ext in session.execute(query)}


def on_screen(session: Session, rows: Iterable[Board]) -> dict[int, OnScreen]:
    """By board id, what each board that reported a slide shows."""
    showing = [b for b in rows if b.current_slide_id]
    titles = _titles(session, {b.current_slide_id for b in showing})
    paths = _media_paths(session, {b.current_sha256 for b in showing if b.current_sha256})
    return {
        b.id: OnScreen(
            b.current_slide_id, titles.get(b.current_slide_id, ""), paths.get(b.current_sha256)
        )
        for b in showing
    }
