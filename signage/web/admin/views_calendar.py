"""What plays on a board and why, and the coming week of a board or a group as a calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import render_template, request, url_for
from flask_babel import lazy_gettext

from signage.services import boards, timelines
from signage.services import calendar as calendars
from signage.services.errors import ValidationFailed

from ..auth import requires
from ..context import db_session
from ..urls import base_url
from ..words import describe
from . import bp
from .common import or_404, problems_of, render_problems

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


def _instant(value: str, tz: str) -> datetime:
    """The instant typed in the form, on the board's wall clock; now when none is typed."""
    value = value.strip()
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.field("at", "not_a_datetime") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    return parsed.astimezone(UTC)


def _row(schedule: timelines.ScheduleAnswer) -> dict:
    return {
        "id": schedule.schedule_id,
        "name": schedule.name,
        "kind": schedule.kind,
        "priority": schedule.priority,
        "status": schedule.status,
        "status_word": STATUS_WORDS.get(schedule.status, schedule.status),
        "reason": describe(schedule.problem),
    }


@bp.get("/boards/<int:board_id>/explain")
@requires("view")
def board_explain(board_id: int):
    session = db_session()
    board = or_404(boards.get_board, session, board_id)
    problems = None
    try:
        at = _instant(request.args.get("at", ""), board.timezone)
    except ValidationFailed as exc:
        problems, at = problems_of(exc), datetime.now(UTC)
    found = timelines.explain_board(session, board, at)
    zinfo = ZoneInfo(board.timezone)
    response = render_problems(
        "admin/board_explain.html",
        problems,
        board=board,
        answer=found.answer,
        local=lambda t: t.astimezone(zinfo),
        at_input=at.astimezone(zinfo).strftime(INPUT_FORMAT),
        winners=[_row(s) for s in found.winners],
        others=[_row(s) for s in found.others],
        kind_words=KIND_WORDS,
        revision=found.revision,
        since=found.since and found.since.astimezone(zinfo),
        until=found.until and found.until.astimezone(zinfo),
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
    db_session().commit()  # the standby slide, if this made it, is kept
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
    stand_in = or_404(calendars.group_board, session, group_id)
    week = calendars.week(session, stand_in, _monday(stand_in.timezone))
    feed = base_url() + url_for("api.group_calendar_feed", group_id=group_id)
    return _calendar_page(
        board=None, group=stand_in.group, week=week, members=stand_in.members, feed_url=feed
    )
