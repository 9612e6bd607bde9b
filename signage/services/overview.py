"""The state of the whole deployment at a glance: what the dashboard shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.models import Board, Playlist, Schedule, Slide, utcnow

from . import board_health, boards, slides


@dataclass(frozen=True)
class Overview:
    at: datetime
    counts: dict[str, int]
    boards: list[Board]
    pending: list[Slide]  # slides whose newest revision awaits approval


def _count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def overview(session: Session, offline_after_s: int, now: datetime | None = None) -> Overview:
    now = now or utcnow()
    every_slide = slides.list_slides(session)
    every_board = boards.list_boards(session)
    pending = [s for s in every_slide if s.latest.status == "pending"]
    counts = {
        "slides": len(every_slide),
        "on_air": sum(1 for s in every_slide if s.playable is not None),
        "pending": len(pending),
        "boards": len(every_board),
        "online": board_health.count_online(every_board, offline_after_s, now),
        "playlists": _count(session, Playlist),
        "schedules": _count(session, Schedule),
    }
    return Overview(now, counts, every_board, pending)
