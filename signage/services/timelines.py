"""Turn a board's schedules into scheduling rules and segments, with renditions for each item."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from signage import rendering, scheduling
from signage.models import (
    Board,
    Layout,
    Playlist,
    PlaylistItem,
    Schedule,
    ScheduleTarget,
    Slide,
    SlideRevision,
)

from .boards import group_closure
from .layouts import current_layouts

STANDBY_FIELDS = {
    "title": "Chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030",
    "body": "Thực hiện Nghị quyết số 49-NQ/TU ngày 28/9/2021 của Ban Thường vụ Tỉnh ủy.",
    "link": "http://tuyengiaolangson.vn",
}


def playlist_items(playlist: Playlist) -> tuple[scheduling.Item, ...]:
    """The approved revisions of a playlist's slides, in order; unapproved slides never play."""
    items = []
    for entry in playlist.items:
        revision = entry.slide_playable
        if revision is None:
            continue
        items.append(
            scheduling.Item(
                key=(revision.slide_id, revision.number),
                duration_s=entry.duration_s or revision.duration_s,
                valid_from=revision.valid_from,
                valid_until=revision.valid_until,
                payload=revision,
            )
        )
    return tuple(items)


def rule_for(schedule: Schedule) -> scheduling.Rule:
    """The schedule as a scheduling rule; a daypart it refers to is applied now, so editing the
    daypart moves the windows of every schedule using it."""
    days = schedule.day_list
    rule = scheduling.Rule(
        id=schedule.id,
        items=playlist_items(schedule.playlist),
        starts_at=schedule.starts_at,
        ends_at=schedule.ends_at,
        days=frozenset(days) if days else None,
        time_from=schedule.time_from,
        time_to=schedule.time_to,
        rrule=schedule.rrule,
        priority=schedule.priority,
        emergency=schedule.kind == "emergency",
        exdates=frozenset(date.fromisoformat(d) for d in schedule.exdates or ()),
    )
    if schedule.daypart is None:
        return rule
    daypart = schedule.daypart.pattern()
    try:
        return scheduling.apply_daypart(rule, daypart)
    except scheduling.RuleError:
        # Days and an rrule together: validate_rule refuses the result, so the schedule plays
        # nowhere instead of breaking every board's manifest.
        window = {"time_from": daypart.time_from, "time_to": daypart.time_to}
        return replace(rule, days=daypart.days, **window)


# What building a schedule's rule reads: its playlist's slides and their revisions.
PLAYLIST_CONTENT = (
    selectinload(Schedule.playlist)
    .selectinload(Playlist.items)
    .selectinload(PlaylistItem.slide)
    .selectinload(Slide.revisions)
)


def schedules_for(session: Session, board: Board) -> list[Schedule]:
    groups = group_closure(board.groups)
    target = or_(ScheduleTarget.board_id == board.id, ScheduleTarget.group_id.in_(groups))
    query = (
        select(Schedule)
        .where(Schedule.id.in_(select(ScheduleTarget.schedule_id).where(target)))
        .options(PLAYLIST_CONTENT)
        .order_by(Schedule.id)
    )
    return list(session.scalars(query))


def standby_slide(session: Session) -> Slide:
    """The deployment's last-resort content, created once, so no board ever shows nothing."""
    slide = session.scalar(select(Slide).where(Slide.standby).order_by(Slide.id))
    if slide is not None and slide.playable is not None:
        return slide
    layout = _standby_layout(session)
    slide = Slide(created_by_id=None, standby=True)
    slide.revisions.append(
        SlideRevision(
            number=1, layout_id=layout.id, fields=STANDBY_FIELDS, duration_s=20, status="approved"
        )
    )
    session.add(slide)
    session.flush()
    return slide


def _standby_layout(session: Session) -> Layout:
    layouts = current_layouts(session)
    for layout in layouts:
        fields = {f["name"] for f in rendering.layout_fields(layout.spec)}
        if layout.builtin and {"title", "body"} <= fields:
            return layout
    return layouts[0]


def fallback_items(session: Session, board: Board) -> tuple[scheduling.Item, ...]:
    if board.fallback_playlist_id:
        items = playlist_items(session.get(Playlist, board.fallback_playlist_id))
        if items:
            return items
    revision = standby_slide(session).playable
    return (
        scheduling.Item(
            key=(revision.slide_id, revision.number),
            duration_s=revision.duration_s,
            payload=revision,
        ),
    )


def board_rules(session: Session, board: Board) -> list[scheduling.Rule]:
    rules = [rule_for(s) for s in schedules_for(session, board)]
    # A schedule that makes no sense in this board's zone (say, the board moved to another zone
    # after it was checked) plays nowhere here, rather than blanking the board's manifest.
    return [r for r in rules if not scheduling.validate_rule(r, board.timezone)]


def board_segments(
    session: Session, board: Board, start: datetime, end: datetime
) -> list[scheduling.Segment]:
    rules = board_rules(session, board)
    return scheduling.timeline(rules, board.timezone, fallback_items(session, board), start, end)


def explain(session: Session, board: Board, at: datetime) -> scheduling.Explanation:
    """What plays on this board at this instant, which schedule won and why the others did not;
    computed from the same rules and timeline as the manifest, so the two always agree."""
    rules = board_rules(session, board)
    return scheduling.explain(rules, board.timezone, fallback_items(session, board), at)
