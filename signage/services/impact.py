"""Which boards a change reaches, so only their manifests are rebuilt."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import (
    Board,
    Group,
    PlaylistItem,
    Schedule,
    ScheduleTarget,
    Slide,
    board_groups,
)


def group_children(session: Session) -> dict[int | None, list[int]]:
    """Each group's direct children, from one read of the (small) groups table."""
    children: dict[int | None, list[int]] = {}
    for group_id, parent_id in session.execute(select(Group.id, Group.parent_id)):
        children.setdefault(parent_id, []).append(group_id)
    return children


def descendant_groups(session: Session, group_ids: Iterable[int]) -> set[int]:
    """The groups and every group nested below them: a schedule on a parent reaches them all."""
    children = group_children(session)
    found, pending = set(), list(group_ids)
    while pending:
        group_id = pending.pop()
        if group_id not in found:
            found.add(group_id)
            pending.extend(children.get(group_id, ()))
    return found


def boards_in_groups(session: Session, group_ids: Iterable[int]) -> set[int]:
    groups = descendant_groups(session, group_ids)
    if not groups:
        return set()
    query = select(board_groups.c.board_id).where(board_groups.c.group_id.in_(groups))
    return set(session.scalars(query))


def boards_for_targets(session: Session, targets: Iterable[ScheduleTarget]) -> set[int]:
    targets = list(targets)
    direct = {t.board_id for t in targets if t.board_id}
    return direct | boards_in_groups(session, {t.group_id for t in targets if t.group_id})


def boards_for_schedules(session: Session, schedule_ids: Iterable[int]) -> set[int]:
    query = select(ScheduleTarget).where(ScheduleTarget.schedule_id.in_(list(schedule_ids)))
    return boards_for_targets(session, session.scalars(query))


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
