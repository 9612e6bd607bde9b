"""iCalendar (RFC 5545) feeds of what a board or a group plays over the coming two weeks.

Calendar apps subscribe by URL and cannot send an Authorization header, so these two routes, and
only these, also take the personal API token as ``?token=``. The token then sits in the app's
settings and may reach proxy and server access logs: use a token of a ``viewer`` account made for
the purpose, and revoke it if the URL leaks (see docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

import icalendar
from flask import Response, g, request, url_for

from signage.services import accounts, boards
from signage.services import calendar as calendars

from ..auth import requires, unauthorized
from ..context import db_session
from ..urls import base_url
from ..words import describe
from . import bp


def token_in_query(view: Callable) -> Callable:
    """Accept ``?token=`` as if it were sent as a Bearer token; a wrong one is a 401."""

    @wraps(view)
    def accept(*args, **kwargs):
        token = request.args.get("token", "").strip()
        if token and "Authorization" not in request.headers:
            user = accounts.user_for_token(db_session(), token)
            if user is None:
                return unauthorized("unauthorized")
            g._login_user = user  # what Flask-Login's current_user reads for this request
            g.token_auth = True
        return view(*args, **kwargs)

    return accept


# The feed is worded in the request's language (?lang=, else Accept-Language, else Vietnamese),
# from the codes catalogue; a schedule's kind is its schedule_kind_* code.


def _summary(event: calendars.FeedEvent) -> str:
    if event.kind == "fallback" or not event.names:
        return describe({"code": "calendar_fallback"})
    names = " + ".join(event.names)
    if event.kind == "emergency":
        return describe({"code": "calendar_emergency_summary", "names": names})
    return names


def _description(event: calendars.FeedEvent) -> str:
    if event.kind == "fallback":
        lines = [describe({"code": "calendar_kind_fallback"})]
    else:
        kind = f"schedule_kind_{event.kind}"
        lines = [
            describe({"code": "calendar_kind", "kind_code": kind}),
            describe({"code": "calendar_priority", "priority": event.priority}),
        ]
    if event.titles:
        lines.append(describe({"code": "calendar_slides", "titles": "; ".join(event.titles)}))
    return "\n".join(lines)


def feed(name: str, timezone: str, events: list[calendars.FeedEvent], page: str) -> Response:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Resolution 49 signage//Lang Son//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", describe({"code": "calendar_name", "name": name}))
    cal.add("x-wr-timezone", timezone)
    now = datetime.now(UTC).replace(microsecond=0)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", _summary(item))
        event.add("description", _description(item))
        event.add("url", page)
        event.add("transp", "TRANSPARENT")  # a board's programme never makes anyone busy
        cal.add_component(event)
    response = Response(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/boards/<int:board_id>/calendar.ics")
@token_in_query
@requires("view")
def board_calendar_feed(board_id: int):
    session = db_session()
    board = boards.get_board(session, board_id)
    events = calendars.feed_events(session, board, f"board-{board.id}")
    page = base_url() + url_for("admin.board_calendar", board_id=board.id)
    response = feed(board.name, board.timezone, events, page)
    session.commit()  # the standby slide, if this made it, is kept
    return response


@bp.get("/groups/<int:group_id>/calendar.ics")
@token_in_query
@requires("view")
def group_calendar_feed(group_id: int):
    session = db_session()
    stand_in = calendars.group_board(session, group_id)
    events = calendars.feed_events(session, stand_in, f"group-{group_id}")
    page = base_url() + url_for("admin.group_calendar", group_id=group_id)
    response = feed(stand_in.name, stand_in.timezone, events, page)
    session.commit()
    return response
