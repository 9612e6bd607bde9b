"""Proof-of-play reports: every play in a period (the API's rows and CSV), and plays counted per
board and slide over whole local days (the admin's report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from signage.models import Board, Play, Slide, utcnow

from .errors import ValidationFailed

DEFAULT_DAYS = 7
# Days far outside these years mean a typing slip, and overflow date arithmetic near 1 and 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _conditions(start, end, board_id, slide_id) -> list:
    conditions = []
    if start:
        conditions.append(Play.started_at >= start)
    if end:
        conditions.append(Play.started_at < end)
    if board_id:
        conditions.append(Play.board_id == board_id)
    if slide_id:
        conditions.append(Play.slide_id == slide_id)
    return conditions


def plays(
    session: Session,
    start: datetime | None,
    end: datetime | None,
    board_id: int | None,
    slide_id: int | None,
) -> tuple[list[Play], dict]:
    """Every play in ``[start, end)``, oldest first, and their totals."""
    conditions = _conditions(start, end, board_id, slide_id)
    rows = list(session.scalars(select(Play).where(*conditions).order_by(Play.started_at)))
    totals_query = select(func.count(), func.coalesce(func.sum(Play.duration_s), 0)).where(
        *conditions
    )
    count, seconds = session.execute(totals_query).one()
    return rows, {"plays": count, "duration_s": float(seconds)}


# Whole local days ------------------------------------------------------------------------------


def _day(value: str | None, field: str, default: date) -> date:
    text = (value or "").strip()
    if not text:
        return default
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.field(field, "not_a_date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationFailed.field(field, "date_out_of_range", low=FIRST_YEAR, high=LAST_YEAR)
    return day


def period(
    first: str | None, last: str | None, zone: ZoneInfo, today: date | None = None
) -> tuple[date, date]:
    """The first and last local day asked for (``YYYY-MM-DD``); the last week by default."""
    today = today or utcnow().astimezone(zone).date()
    last_day = _day(last, "to", today)
    first_day = _day(first, "from", last_day - timedelta(days=DEFAULT_DAYS - 1))
    if first_day > last_day:
        raise ValidationFailed.field("to", "before_first_day")
    return first_day, last_day


def day_window(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants from the first day's local midnight to the midnight after the last day."""
    start = datetime.combine(first, time(), zone)
    return start, datetime.combine(last + timedelta(days=1), time(), zone)


@dataclass(frozen=True)
class PlaySummary:
    """What one board played of one slide in a period."""

    board_id: int
    board_name: str
    slide_id: int | None
    slide_title: str
    plays: int
    duration_s: float
    first: datetime
    last: datetime


def _board_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Board.id, Board.name).where(Board.id.in_(ids))).all())


def _slide_titles(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(Slide).where(Slide.id.in_(ids)).options(selectinload(Slide.revisions))
    return {s.id: s.latest.title for s in session.scalars(query)}


def _counted(session: Session, conditions: list) -> list:
    query = (
        select(
            Play.board_id,
            Play.slide_id,
            func.count(),
            func.coalesce(func.sum(Play.duration_s), 0),
            func.min(Play.started_at),
            func.max(Play.started_at),
        )
        .where(*conditions)
        .group_by(Play.board_id, Play.slide_id)
        .order_by(func.count().desc(), Play.board_id, Play.slide_id)
    )
    return list(session.execute(query))


def summary(
    session: Session,
    start: datetime | None,
    end: datetime | None,
    board_id: int | None = None,
    slide_id: int | None = None,
) -> list[PlaySummary]:
    """Plays counted per board and slide, most played first, with the names to show. A board
    or slide that no longer exists is named by its number; the standby slide has no title."""
    counted = _counted(session, _conditions(start, end, board_id, slide_id))
    names = _board_names(session, {row[0] for row in counted})
    titles = _slide_titles(session, {row[1] for row in counted if row[1]})
    return [
        PlaySummary(
            board_id=b,
            board_name=names.get(b, f"#{b}"),
            slide_id=s,
            slide_title=titles.get(s, f"#{s}") if s else "",
            plays=n,
            duration_s=float(seconds),
            first=first,
            last=last,
        )
        for b, s, n, seconds, first, last in counted
    ]


def totals(rows: list[PlaySummary]) -> dict:
    return {"plays": sum(r.plays for r in rows), "seconds": sum(r.duration_s for r in rows)}
