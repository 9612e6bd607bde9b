"""Calendars of what plays: a board's or a group's week as blocks for the admin page, and the
segments of the coming days for the iCalendar feed. Both come from ``timelines.BoardInputs``, the
rules every manifest is built from, so they always agree with the manifest and with "what plays
here and why".

A group has no timeline of its own: its boards differ (subgroups, schedules on single boards,
fallback playlists). Its calendar is that of a *group board*, a board that belongs to this group
alone, in the zone most of the group's boards use: it shows every schedule that targets the group
or one of its ancestors, resolved exactly as the engine resolves them for a real board.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signage import scheduling
from signage.models import Board, Group

from .errors import NotFound
from .reach import boards_in_groups
from .timelines import BoardInputs

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
FEED_DAYS = 14
SHADES = 4  # normal schedules are drawn in this many shades, darker for a higher priority


@dataclass
class GroupBoard:
    """Stands in for a board that belongs to ``group`` alone (see the module docstring). Its id
    matches no real board, so no schedule aimed at a single board reaches it. ``members`` are the
    group's own boards, by name."""

    group: Group
    timezone: str
    members: list[Board] = field(default_factory=list)
    id: int = 0
    fallback_playlist_id: int | None = None

    @property
    def group_ids(self) -> set[int]:
        """Its only group (``reach`` reads a stored board's groups from the database)."""
        return {self.group.id}

    @property
    def name(self) -> str:
        return self.group.name


@dataclass(frozen=True)
class Block:
    """One segment, clipped to one local day, positioned in percent of that day."""

    start: datetime  # local, in the calendar's zone
    end: datetime
    top: float
    height: float
    kind: str
    priority: int
    shade: int
    schedule_ids: tuple[int, ...]
    names: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Day:
    day: date
    is_today: bool
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Week:
    monday: date
    timezone: str
    days: tuple[Day, ...]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, tz: str) -> datetime:
    """The first instant of a local day, in UTC (so day lengths are exact across DST)."""
    return datetime.combine(day, time(), ZoneInfo(tz)).astimezone(UTC)


def today_in(tz: str, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(tz)).date()


def group_zone(session: Session, group: Group) -> str:
    """The zone most boards of the group (and its subgroups) use; Vietnam's when it has none."""
    ids = boards_in_groups(session, [group.id])
    if not ids:
        return DEFAULT_ZONE
    zones = Counter(session.scalars(select(Board.timezone).where(Board.id.in_(ids))))
    return sorted(zones.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def group_board(session: Session, group_id: int) -> GroupBoard:
    """The stand-in board of a group, with the group's own boards; NotFound for no such group."""
    group = session.get(Group, group_id, options=[selectinload(Group.boards)])
    if group is None:
        raise NotFound("group_not_found", id=group_id)
    members = sorted(group.boards, key=lambda b: (b.name, b.id))
    return GroupBoard(group, group_zone(session, group), members)


def _programme(session: Session, board, start: datetime, end: datetime):
    """The board's segments over ``[start, end)`` and a readable name per schedule."""
    inputs = BoardInputs(session, [board])
    return scheduling.timeline(*inputs.of(board), start, end), inputs.labels()


def segment_titles(segment: scheduling.Segment) -> tuple[str, ...]:
    titles: list[str] = []
    for item in segment.items:
        title = getattr(item.payload, "title", None) or str(item.key)
        if title not in titles:
            titles.append(title)
    return tuple(titles)


def _shades(segments) -> dict[int, int]:
    priorities = sorted({s.priority for s in segments if s.kind == "normal"})
    if len(priorities) <= 1:
        return {p: 2 for p in priorities}
    last = len(priorities) - 1
    return {p: 1 + round((SHADES - 1) * rank / last) for rank, p in enumerate(priorities)}


def _blocks(segments, labels, shades, start: datetime, end: datetime, tz: str) -> list[Block]:
    length = (end - start).total_seconds()
    zinfo = ZoneInfo(tz)
    blocks = []
    for segment in segments:
        s, e = max(segment.start, start), min(segment.end, end)
        if s >= e:
            continue
        blocks.append(
            Block(
                start=s.astimezone(zinfo),
                end=e.astimezone(zinfo),
                top=round((s - start).total_seconds() / length * 100, 3),
                height=round((e - s).total_seconds() / length * 100, 3),
                kind=segment.kind,
                priority=segment.priority,
                shade=shades.get(segment.priority, 0) if segment.kind == "normal" else 0,
                schedule_ids=segment.schedule_ids,
                names=tuple(labels.get(i, f"#{i}") for i in segment.schedule_ids),
                titles=segment_titles(segment),
            )
        )
    return blocks


def week(session: Session, board: Board | GroupBoard, monday: date, now=None) -> Week:
    """The seven local days from ``monday`` in the board's zone, each with its blocks."""
    tz = board.timezone
    bounds = [local_midnight(monday + timedelta(days=i), tz) for i in range(8)]
    segments, labels = _programme(session, board, bounds[0], bounds[-1])
    shades = _shades(segments)
    today = today_in(tz, now)
    days = tuple(
        Day(
            day=monday + timedelta(days=i),
            is_today=monday + timedelta(days=i) == today,
            blocks=tuple(_blocks(segments, labels, shades, bounds[i], bounds[i + 1], tz)),
        )
        for i in range(7)
    )
    return Week(monday, tz, days)


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    start: datetime  # UTC, clipped to the feed's window
    end: datetime
    kind: str
    priority: int
    names: tuple[str, ...]
    titles: tuple[str, ...]


def feed_events(
    session: Session, board: Board | GroupBoard, uid_prefix: str, now: datetime | None = None
) -> list[FeedEvent]:
    """One event per segment from today's local midnight for ``FEED_DAYS`` days. The window starts
    at midnight so an event's times stay put for a whole day; its UID comes from the segment's
    own start and schedules, so it stays the same across fetches."""
    tz = board.timezone
    start = local_midnight(today_in(tz, now), tz)
    end = start + timedelta(days=FEED_DAYS)
    segments, labels = _programme(session, board, start, end)
    events = []
    for segment in segments:
        s, e = max(segment.start, start), min(segment.end, end)
        if s >= e:
            continue
        ids = ".".join(map(str, segment.schedule_ids)) or "fallback"
        stamp = segment.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        events.append(
            FeedEvent(
                uid=f"{uid_prefix}-{stamp}-{ids}@signage",
                start=s.astimezone(UTC),
                end=e.astimezone(UTC),
                kind=segment.kind,
                priority=segment.priority,
                names=tuple(labels.get(i, f"#{i}") for i in segment.schedule_ids),
                titles=segment_titles(segment),
            )
        )
    return events
