"""What plays on a board and why, and the coming week of a board or a group as a calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import abort, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from signage.models import Group, Schedule, utcnow
from signage.scheduling import EPOCH, OPEN_END
from signage.services import boards, timelines
from signage.services import calendar as calendars
from signage.services.errors import ValidationFailed

from ..auth import requires
from ..context import db_session
from ..urls import base_url
from . import bp
from .common import or_404, problems_of, render_problems
from .pages import DAY_NAMES

STATUS_WORDS = {
    "playing": lazy_gettext("Playing"),
    "shadowed": lazy_gettext("Shadowed"),
    "inactive": lazy_gettext("Not active"),
}
KIND_WORDS = {
    "emergency": lazy_gettext("Emergency"),
    "normal": lazy_gettext("Normal"),
    "fallback": lazy_gettext("Fallback content"),
}
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def _stamp(value: str | None) -> str:
    """An ISO stamp from an explanation's params, as staff read dates."""
    try:
        return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return value or ""


def _day(value: str | None) -> str:
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value or ""


def _window(schedule: Schedule | None) -> str:
    # A schedule on a named daypart takes its hours from the daypart.
    source = schedule.daypart or schedule if schedule is not None else None
    if source is None or source.time_from is None:
        return gettext("all day")
    return f"{source.time_from:%H:%M}–{source.time_to:%H:%M}"


def _inactive_reason(code: str, params: dict, schedule: Schedule | None) -> str | None:
    if code == "not_started":
        return gettext("Not started yet: starts %(time)s", time=_stamp(params.get("starts_at")))
    if code == "ended":
        return gettext("Ended at %(time)s", time=_stamp(params.get("ends_at")))
    if code == "outside_window":
        return gettext("Outside its hours (%(window)s)", window=_window(schedule))
    if code == "exception_date":
        return gettext("Skipped on %(date)s (exception date)", date=_day(params.get("date")))
    if code == "not_recurrence_date":
        return gettext(
            "%(date)s is not a date of its recurrence rule", date=_day(params.get("date"))
        )
    if code == "not_weekday":
        weekday = date.fromisoformat(params["date"]).isoweekday() if "date" in params else 0
        label = dict(DAY_NAMES).get(weekday, "")
        return gettext("Does not play on this weekday (%(day)s)", day=label)
    if code == "no_valid_item":
        return gettext("Active, but none of its approved slides may play at this time")
    return None


def reason_text(status, schedule: Schedule | None, answer, labels: dict[int, str]) -> str:
    """The Vietnamese (or English) words for a ``RuleStatus``, chosen by its reason code."""
    code, params = status.reason, status.params or {}
    winners = ", ".join(labels.get(i, f"#{i}") for i in answer.schedule_ids)
    if code == "playing" and schedule is not None and schedule.kind == "emergency":
        return gettext("Emergency: plays above every other schedule")
    if code == "playing":
        others = [labels.get(i, f"#{i}") for i in answer.schedule_ids if i != status.rule_id]
        text = gettext("Plays at priority %(priority)s", priority=params.get("priority", ""))
        if others:
            text += " " + gettext("together with %(others)s", others=", ".join(others))
        return text
    if code == "shadowed":
        if answer.kind == "emergency" and (schedule is None or schedule.kind != "emergency"):
            return gettext("Shadowed by the emergency schedule %(by)s", by=winners)
        return gettext(
            "Shadowed by %(by)s (priority %(priority)s over %(own)s)",
            by=winners,
            priority=params.get("priority", answer.priority),
            own=params.get("own_priority", schedule.priority if schedule else ""),
        )
    return _inactive_reason(code, params, schedule) or status.message


def _schedules(ids) -> dict[int, Schedule]:
    query = (
        select(Schedule).where(Schedule.id.in_(set(ids))).options(selectinload(Schedule.playlist))
    )
    return {s.id: s for s in db_session().scalars(query)}


def _instant(value: str, tz: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.field("at", "must be a date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    return parsed.astimezone(UTC)


@bp.get("/boards/<int:board_id>/explain")
@requires("view")
def board_explain(board_id: int):
    session = db_session()
    board = or_404(boards.get_board, session, board_id)
    problems = None
    try:
        at = _instant(request.args.get("at", ""), board.timezone) or utcnow()
    except ValidationFailed as exc:
        problems, at = problems_of(exc), utcnow()
    answer = timelines.explain(session, board, at)
    schedules = _schedules(r.rule_id for r in answer.rules)
    labels = calendars.schedule_labels(session, schedules)
    rows = [
        {
            "schedule": schedules.get(r.rule_id),
            "id": r.rule_id,
            "name": labels.get(r.rule_id, f"#{r.rule_id}"),
            "status": r.status,
            "status_word": STATUS_WORDS.get(r.status, r.status),
            "reason": reason_text(r, schedules.get(r.rule_id), answer, labels),
        }
        for r in answer.rules
    ]
    zinfo = ZoneInfo(board.timezone)
    response = render_problems(
        "admin/board_explain.html",
        problems,
        board=board,
        answer=answer,
        local=lambda t: t.astimezone(zinfo),
        at_input=at.astimezone(zinfo).strftime(INPUT_FORMAT),
        winners=[row for row in rows if row["status"] == "playing"],
        others=[row for row in rows if row["status"] != "playing"],
        kind_words=KIND_WORDS,
        revision=answer.item.payload,
        since=None if answer.segment.start <= EPOCH else answer.segment.start.astimezone(zinfo),
        until=None if answer.segment.end >= OPEN_END else answer.segment.end.astimezone(zinfo),
        week=calendars.monday_of(at.astimezone(zinfo).date()),
    )
    session.commit()  # the standby slide, if this made it, is kept
    return response


def _monday(tz: str) -> date:
    try:
        return calendars.monday_of(date.fromisoformat(request.args.get("week", "")))
    except ValueError:
        return calendars.monday_of(calendars.today_in(tz))


def _calendar_page(**context):
    response = render_template("admin/calendar.html", kind_words=KIND_WORDS, **context)
    db_session().commit()
    return response


@bp.get("/boards/<int:board_id>/calendar")
@requires("view")
def board_calendar(board_id: int):
    session = db_session()
    board = or_404(boards.get_board, session, board_id)
    week = calendars.week(session, board, _monday(board.timezone))
    feed = base_url() + url_for("api.board_calendar_feed", board_id=board.id)
    return _calendar_page(board=board, group=None, week=week, members=[], feed_url=feed)


@bp.get("/groups/<int:group_id>/calendar")
@requires("view")
def group_calendar(group_id: int):
    session = db_session()
    group = session.get(Group, group_id)
    if group is None:
        abort(404)
    stand_in = calendars.group_board(session, group)
    week = calendars.week(session, stand_in, _monday(stand_in.timezone))
    members = sorted(group.boards, key=lambda b: b.name)
    feed = base_url() + url_for("api.group_calendar_feed", group_id=group.id)
    return _calendar_page(board=None, group=group, week=week, members=members, feed_url=feed)
