"""Playlists and schedules: the listings the admin and the API share, and their changes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signage import scheduling
from signage.models import (
    Board,
    Group,
    Playlist,
    PlaylistItem,
    Schedule,
    ScheduleTarget,
    Slide,
    User,
)
from signage.models.programming import Daypart

from . import audit, dayparts, impact, manifests, reach, validation
from .errors import NotFound, ValidationFailed, problem_detail

PRIORITY_RANGE = scheduling.PRIORITY_RANGE
KINDS = ("normal", "emergency")
MAX_RRULE = 500
DEFAULT_TZ = "Asia/Ho_Chi_Minh"
MAX_EXDATES = 366
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What a daypart stands for in a schedule: a schedule gives either these or a daypart_id.
WINDOW_FIELDS = ("days", "time_from", "time_to")


def _playlist_items(session: Session, items: Any) -> list[PlaylistItem]:
    if not isinstance(items, list) or not items:
        raise ValidationFailed.field("items", "not_a_slide_list")
    built = []
    for index, item in enumerate(items):
        path = f"items[{index}]"
        if not isinstance(item, dict):
            raise ValidationFailed.field(path, "not_a_playlist_item")
        slide_id = item.get("slide_id")
        if not _is_id(slide_id) or session.get(Slide, slide_id) is None:
            raise ValidationFailed.field(f"{path}.slide_id", "unknown_slide", id=_quoted(slide_id))
        duration = item.get("duration_s")
        if duration is not None:
            duration = validation.integer(duration, f"{path}.duration_s", 1, 3600)
        built.append(PlaylistItem(position=index, slide_id=slide_id, duration_s=duration))
    return built


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _quoted(value: Any) -> int | str:
    """A value from a request as an error may quote it (a JSON number or text)."""
    return value if _is_id(value) else str(value)


def create_playlist(session: Session, data: dict, actor: User | None) -> Playlist:
    playlist = Playlist(
        name=validation.text(data.get("name"), "name", 160),
        created_by_id=actor.id if actor else None,
    )
    playlist.items = _playlist_items(session, data.get("items"))
    session.add(playlist)
    session.flush()
    audit.record(session, actor, "create", playlist, slides=[i.slide_id for i in playlist.items])
    return playlist


def update_playlist(session: Session, playlist: Playlist, data: dict, actor: User | None) -> None:
    playlist.name = validation.text(data.get("name", playlist.name), "name", 160)
    new_items = _playlist_items(session, data.get("items"))
    playlist.items.clear()
    session.flush()
    playlist.items.extend(new_items)
    session.flush()
    audit.record(session, actor, "edit", playlist, slides=[i.slide_id for i in playlist.items])
    manifests.invalidate(session, impact.boards_for_playlists(session, [playlist.id]))


def get_playlist(session: Session, playlist_id: int) -> Playlist:
    playlist = session.get(Playlist, playlist_id)
    if playlist is None:
        raise NotFound("playlist_not_found", id=playlist_id)
    return playlist


def list_playlists(session: Session) -> list[Playlist]:
    """Every playlist by name, with its slides and their revisions (what the listings show)."""
    query = (
        select(Playlist)
        .options(
            selectinload(Playlist.items)
            .selectinload(PlaylistItem.slide)
            .selectinload(Slide.revisions)
        )
        .order_by(Playlist.name, Playlist.id)
    )
    return list(session.scalars(query))


def list_schedules(session: Session) -> list[Schedule]:
    """Every schedule, the strongest first (emergencies, then by priority, then by start), with
    its targets and playlist."""
    query = (
        select(Schedule)
        .options(selectinload(Schedule.targets), selectinload(Schedule.playlist))
        .order_by(Schedule.kind.desc(), Schedule.priority.desc(), Schedule.starts_at, Schedule.id)
    )
    return list(session.scalars(query))


def _exdates(value: Any) -> frozenset[date]:
    """Local dates (YYYY-MM-DD) whose window is skipped; each bad entry is named by index."""
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise ValidationFailed.field("exdates", "not_a_date_list")
    if len(value) > MAX_EXDATES:
        raise ValidationFailed.field("exdates", "too_many", count=len(value), limit=MAX_EXDATES)
    found = set()
    for index, entry in enumerate(value):
        try:
            if not isinstance(entry, str) or not _ISO_DATE.fullmatch(entry):
                raise ValueError
            found.add(date.fromisoformat(entry))
        except ValueError:
            raise ValidationFailed.field(f"exdates[{index}]", "not_a_date") from None
    return frozenset(found)


def _rrule(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValidationFailed.field("rrule", "not_an_rrule")
    return validation.text(value, "rrule", MAX_RRULE)


def _targets(session: Session, raw: Any) -> list[ScheduleTarget]:
    if not isinstance(raw, dict):
        raise ValidationFailed.field("targets", "not_a_targets_object")
    boards = validation.id_list(raw.get("boards"), "targets.boards")
    groups = validation.id_list(raw.get("groups"), "targets.groups")
    if not boards and not groups:
        raise ValidationFailed.field("targets", "no_targets")
    known_boards = set(session.scalars(select(Board.id).where(Board.id.in_(boards))))
    known_groups = set(session.scalars(select(Group.id).where(Group.id.in_(groups))))
    if missing := [b for b in boards if b not in known_boards]:
        raise ValidationFailed.field("targets.boards", "unknown_boards", ids=missing)
    if missing := [g for g in groups if g not in known_groups]:
        raise ValidationFailed.field("targets.groups", "unknown_groups", ids=missing)
    return [ScheduleTarget(board_id=b) for b in boards] + [
        ScheduleTarget(group_id=g) for g in groups
    ]


def _schedule_values(session: Session, data: dict) -> dict:
    playlist_id = data.get("playlist_id")
    if not _is_id(playlist_id) or session.get(Playlist, playlist_id) is None:
        raise ValidationFailed.field("playlist_id", "unknown_playlist", id=_quoted(playlist_id))
    kind = data.get("kind") or "normal"
    if kind not in KINDS:
        raise ValidationFailed.field("kind", "not_one_of", allowed=list(KINDS))
    return {
        "name": validation.text(data.get("name"), "name", 160, required=False),
        "playlist_id": playlist_id,
        "starts_at": validation.instant(data.get("starts_at"), "starts_at"),
        "ends_at": validation.instant(data.get("ends_at"), "ends_at", required=False),
        "days": dayparts.weekdays(data.get("days")),
        "time_from": dayparts.clock(data.get("time_from"), "time_from"),
        "time_to": dayparts.clock(data.get("time_to"), "time_to"),
        "exdates": _exdates(data.get("exdates")),
        "rrule": _rrule(data.get("rrule")),
        "priority": validation.integer(data.get("priority", 10), "priority", *PRIORITY_RANGE),
        "kind": kind,
        "daypart": _daypart(session, data),
    }


def _daypart(session: Session, data: dict) -> Daypart | None:
    """The daypart a schedule refers to instead of its own days and time window."""
    daypart_id = data.get("daypart_id")
    if daypart_id is None:
        return None
    if any(data.get(name) not in (None, "") for name in WINDOW_FIELDS):
        raise ValidationFailed.field("daypart_id", "daypart_and_window")
    return dayparts.get_daypart(session, daypart_id, field="daypart_id")


def _rule(values: dict) -> scheduling.Rule:
    rule = scheduling.Rule(
        id=0,
        items=(),
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        days=values["days"],
        time_from=values["time_from"],
        time_to=values["time_to"],
        rrule=values["rrule"],
        priority=values["priority"],
        emergency=values["kind"] == "emergency",
        exdates=values["exdates"],
    )
    if values["daypart"] is None:
        return rule
    try:
        return scheduling.apply_daypart(rule, values["daypart"].pattern())
    except scheduling.RuleError as exc:
        raise ValidationFailed.fields([problem_detail("daypart_id", exc.problem)]) from None


def _check_rule(values: dict, time_zones: set[str]) -> None:
    """The rule must make sense in the time zone of every board it reaches."""
    rule = _rule(values)
    for tz in sorted(time_zones | {DEFAULT_TZ}):
        problems = scheduling.validate_rule(rule, tz)
        if problems:
            raise ValidationFailed.fields([problem_detail(f, p) for f, p in problems])


def _time_zones(session: Session, targets: list[ScheduleTarget]) -> set[str]:
    board_ids = reach.boards_reached(session, targets)
    if not board_ids:
        return set()
    return set(session.scalars(select(Board.timezone).where(Board.id.in_(board_ids))))


def create_schedule(session: Session, data: dict, actor: User | None) -> Schedule:
    if not isinstance(data, dict):
        raise ValidationFailed.field("$", "not_a_json_object")
    values = _schedule_values(session, data)
    targets = _targets(session, data.get("targets"))
    _check_rule(values, _time_zones(session, targets))
    days = values.pop("days")
    exdates = values.pop("exdates")
    schedule = Schedule(
        **values,
        days=",".join(str(d) for d in sorted(days)) if days else None,
        exdates=sorted(d.isoformat() for d in exdates) or None,
        created_by_id=actor.id if actor else None,
    )
    schedule.targets = targets
    session.add(schedule)
    session.flush()
    audit.record(
        session,
        actor,
        "schedule",
        schedule,
        playlist_id=schedule.playlist_id,
        kind=schedule.kind,
        priority=schedule.priority,
    )
    manifests.invalidate(session, reach.boards_reached(session, schedule.targets))
    return schedule


def delete_schedule(session: Session, schedule_id: int, actor: User | None) -> None:
    schedule = session.get(Schedule, schedule_id)
    if schedule is None:
        raise NotFound("schedule_not_found", id=schedule_id)
    audit.record(session, actor, "unschedule", schedule)
    manifests.invalidate(session, reach.boards_reached(session, schedule.targets))
    session.delete(schedule)
