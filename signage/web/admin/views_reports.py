"""Proof of play: what each board showed, counted per slide, for a chosen period."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import render_template, request, url_for
from sqlalchemy import select

from signage.models import Board, Slide, utcnow
from signage.services import plays
from signage.services.errors import ValidationFailed

from ..auth import requires
from ..context import db_session
from . import bp
from .common import LOCAL_ZONE, optional_int, problems_of

DEFAULT_DAYS = 7
# Days far outside these years mean a typing slip, and overflow date arithmetic near 1 and 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _day(name: str, default: date) -> date:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.field(name, "must be a date as YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationFailed.field(name, f"must be a date from {FIRST_YEAR} to {LAST_YEAR}")
    return day


def _period() -> tuple[date, date]:
    """The first and last local day asked for; the last week by default."""
    today = utcnow().astimezone(LOCAL_ZONE).date()
    last = _day("to", today)
    first = _day("from", last - timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        raise ValidationFailed.field("to", "must not be before the first day")
    return first, last


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_ZONE)


def _names(rows) -> tuple[dict[int, str], dict[int, str]]:
    session = db_session()
    board_ids = {r.board_id for r in rows}
    slide_ids = {r.slide_id for r in rows if r.slide_id}
    boards = dict(
        session.execute(select(Board.id, Board.name).where(Board.id.in_(board_ids))).all()
    )
    slides = session.scalars(select(Slide).where(Slide.id.in_(slide_ids))).all()
    return boards, {s.id: s.latest.title for s in slides}


@bp.get("/reports/plays")
@requires("view")
def plays_report():
    try:
        first, last = _period()
        board_id = optional_int(request.args.get("board_id"), "board_id")
    except ValidationFailed as exc:
        return _page(None, None, None, [], problems_of(exc)), 422
    start, end = _local_midnight(first), _local_midnight(last + timedelta(days=1))
    rows = plays.summary(db_session(), start, end, board_id)
    return _page(first, last, board_id, rows, [])


def _page(first, last, board_id, rows, problems):
    board_names, slide_titles = _names(rows)
    csv_args = {"format": "csv", "board_id": board_id or None}
    if first:
        csv_args["from"] = _local_midnight(first).isoformat()
        csv_args["to"] = _local_midnight(last + timedelta(days=1)).isoformat()
    return render_template(
        "admin/plays_report.html",
        first=first,
        last=last,
        board_id=board_id,
        rows=rows,
        problems=problems,
        board_names=board_names,
        slide_titles=slide_titles,
        boards=db_session().scalars(select(Board).order_by(Board.name)).all(),
        totals={"plays": sum(r.plays for r in rows), "seconds": sum(r.duration_s for r in rows)},
        csv_url=url_for("api.plays_report", **csv_args),
    )
