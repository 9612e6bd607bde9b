"""What plays on boards: their schedules as scheduling rules, their timelines, and "what plays
here at this instant, and why".

``BoardInputs`` is the one way a board's rules are gathered, for one board (a poll, the timeline
and explain answers, a calendar) or thousands (the worker's rebuild): the schedules reaching the
boards come from ``reach``, each becomes a rule once, and boards with the same schedules, zone
and fallback get the very same objects, so ``scheduling.timelines_for`` computes their timeline
once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signage import rendering, scheduling
from signage.models import Layout, Playlist, PlaylistItem, Schedule, Slide, SlideRevision
from signage.problems import Problem

from .layouts import current_layouts
from .reach import MAX_IN_LIST, reach

STANDBY_FIELDS = {
    "title": "Chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030",
    "body": "Thực hiện Nghị quyết số 49-NQ/TU ngày 28/9/2021 của Ban Thường vụ Tỉnh ủy.",
    "link": "http://tuyengiaolangson.vn",
}

BoardInput = tuple[tuple[scheduling.Rule, ...], str, tuple[scheduling.Item, ...]]


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


def _schedules(session: Session, ids: set[int]) -> list[Schedule]:
    if not ids:
        return []
    query = select(Schedule).options(PLAYLIST_CONTENT).order_by(Schedule.id)
    if len(ids) <= MAX_IN_LIST:
        query = query.where(Schedule.id.in_(ids))
    return [s for s in session.scalars(query) if s.id in ids]


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


def fallback_items(session: Session, board: Any) -> tuple[scheduling.Item, ...]:
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


class BoardInputs:
    """The (rules, time zone, fallback) of each of some boards, read once for all of them."""

    def __init__(self, session: Session, boards: list[Any]) -> None:
        self.session = session
        self.reach = reach(session, boards)
        self.schedules = {s.id: s for s in _schedules(session, self.reach.all_schedule_ids())}
        self.rules = {i: rule_for(s) for i, s in self.schedules.items()}
        self._usable: dict[tuple[int, str], bool] = {}
        self._rule_sets: dict[tuple[int, ...], tuple[scheduling.Rule, ...]] = {}
        self._fallbacks: dict[int | None, tuple[scheduling.Item, ...]] = {}

    def _plays_in(self, rule_id: int, tz: str) -> bool:
        # A schedule that makes no sense in this board's zone (say, the board moved to another
        # zone after it was checked) plays nowhere here, rather than blanking the board.
        key = (rule_id, tz)
        if key not in self._usable:
            self._usable[key] = not scheduling.validate_rule(self.rules[rule_id], tz)
        return self._usable[key]

    def of(self, board: Any) -> BoardInput:
        """The board's inputs; boards with equal ones share the very same objects."""
        reaching = self.reach.schedule_ids(board.id)
        ids = tuple(i for i in reaching if self._plays_in(i, board.timezone))
        rules = self._rule_sets.setdefault(ids, tuple(self.rules[i] for i in ids))
        playlist = board.fallback_playlist_id
        if playlist not in self._fallbacks:
            self._fallbacks[playlist] = fallback_items(self.session, board)
        return rules, board.timezone, self._fallbacks[playlist]

    def labels(self) -> dict[int, str]:
        """A readable name per schedule: its own name, else its playlist's, else its number."""
        return {i: label_of(s) for i, s in self.schedules.items()}


def label_of(schedule: Schedule) -> str:
    playlist = schedule.playlist.name if schedule.playlist else ""
    return schedule.name or playlist or f"#{schedule.id}"


def board_segments(
    session: Session, board: Any, start: datetime, end: datetime
) -> list[scheduling.Segment]:
    return scheduling.timeline(*BoardInputs(session, [board]).of(board), start, end)


# What plays here and why ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleAnswer:
    """One schedule's part in an explanation, as the admin page and the API both show it."""

    schedule_id: int
    name: str
    kind: str  # "normal" | "emergency"
    priority: int
    status: str  # "playing" | "shadowed" | "inactive"
    reason: str  # the scheduling core's reason code, e.g. "outside_window"
    problem: Problem  # its words: schedules by name, dates and times as staff read them


@dataclass(frozen=True)
class BoardAnswer:
    """What plays on a board at an instant (``answer``) and every schedule's part in it."""

    answer: scheduling.Explanation
    schedules: tuple[ScheduleAnswer, ...]

    @property
    def revision(self) -> SlideRevision:
        return self.answer.item.payload

    @property
    def since(self) -> datetime | None:
        """Where the programme on screen began; None when it has never changed."""
        start = self.answer.segment.start
        return None if start <= scheduling.EPOCH else start

    @property
    def until(self) -> datetime | None:
        """Where it ends; None when nothing is due to change it."""
        end = self.answer.segment.end
        return None if end >= scheduling.OPEN_END else end

    @property
    def winners(self) -> list[ScheduleAnswer]:
        return [s for s in self.schedules if s.status == "playing"]

    @property
    def others(self) -> list[ScheduleAnswer]:
        return [s for s in self.schedules if s.status != "playing"]


STAMP_FORMAT = "%d/%m/%Y %H:%M"
DATE_FORMAT = "%d/%m/%Y"


def _readable(problem: Problem, labels: dict[int, str]) -> Problem:
    """The core's reason with schedule ids as names and ISO values as staff read them."""
    params = dict(problem.params)
    for key in ("by", "others"):
        if key in params:
            params[key] = [labels.get(i, f"#{i}") for i in params[key]]
    for key in ("starts_at", "ends_at"):
        if key in params:
            params[key] = datetime.fromisoformat(params[key]).strftime(STAMP_FORMAT)
    if "date" in params:
        params["date"] = date.fromisoformat(params["date"]).strftime(DATE_FORMAT)
    return Problem(problem.code, params)


def explain_board(session: Session, board: Any, at: datetime) -> BoardAnswer:
    """What plays on this board at this instant, which schedule won and why the others did not,
    with each schedule's name, kind, priority and worded reason; computed from the same rules
    and timeline as the manifest, so the two always agree."""
    inputs = BoardInputs(session, [board])
    answer = scheduling.explain(*inputs.of(board), at)
    labels = inputs.labels()
    schedules = []
    for status in answer.rules:
        schedule = inputs.schedules[status.rule_id]
        schedules.append(
            ScheduleAnswer(
                schedule_id=status.rule_id,
                name=labels[status.rule_id],
                kind=schedule.kind,
                priority=schedule.priority,
                status=status.status,
                reason=status.reason,
                problem=_readable(status.problem, labels),
            )
        )
    return BoardAnswer(answer, tuple(schedules))
