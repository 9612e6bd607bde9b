"""Which boards a change reaches, so only their manifests are rebuilt. Which boards a schedule
reaches (groups nest) is ``reach``'s answer; this module asks it about what a change touched."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import Board, PlaylistItem, Schedule, ScheduleTarget, Slide

from .reach import boards_reached


def boards_for_schedules(session: Session, schedule_ids: Iterable[int]) -> set[int]:
    query = select(ScheduleTarget).where(ScheduleTarget.schedule_id.in_(list(schedule_ids)))
    return boards_reached(session, session.scalars(query))


def boards_for_playlists(session: Session, playlist_ids: Iterable[int]) -> set[int]:
    """Boards that schedule these playlists, or fall back to them."""
    playlist_ids = list(playlist_ids)
    schedules = select(Schedule.id).where(Schedule.playlist_id.in_(playlist_ids))
    fallback = select(Board.id).where(Board.fallback_playlist_id.in_(playlist_ids))
    return boards_for_schedules(session, session.scalars(schedules)) | set(
        session.scalars(fallback)
    )


def boards_for_slides(session: Session, slide_ids: Iterable[int]) -> set[int] | None:
    """Boards that may show these slides; None (meaning every board) for the standby slide."""
    slide_ids = list(slide_ids)
    if session.scalar(select(Slide.id).where(Slide.id.in_(slide_ids), Slide.standby)):
        return None
    playlists = select(PlaylistItem.playlist_id).where(PlaylistItem.slide_id.in_(slide_ids))
    return boards_for_playlists(session, set(session.scalars(playlists)))
