"""Named dayparts that schedules refer to, seeded with the standard catalogue.

The catalogue (``scheduling.STANDARD_DAYPARTS``) is inserted the first time the table is used
while it is still empty, so a deployment starts with "Giờ hành chính" and friends; after that
the dayparts are the staff's own (a renamed standard daypart is not brought back). A schedule
keeps its reference: editing a daypart moves the window of every schedule using it, and rebuilds
the manifests of the boards those schedules reach.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from signage import scheduling
from signage.models import User
from signage.models.programming import Daypart, Schedule

from . import audit, impact, manifests, validation
from .errors import Conflict, NotFound, ValidationFailed, problem_detail

MAX_NAME = 80


def _days_text(days: frozenset[int] | None) -> str | None:
    return ",".join(str(d) for d in sorted(days)) if days else None


def ensure_standard_dayparts(session: Session) -> None:
    """Insert the standard catalogue into an empty table; safe against a concurrent seeder."""
    if session.scalar(select(func.count()).select_from(Daypart)):
        return
    try:
        with session.begin_nested():
            for part in scheduling.STANDARD_DAYPARTS:
                session.add(
                    Daypart(
                        name=part.name,
                        days=_days_text(part.days),
                        time_from=part.time_from,
                        time_to=part.time_to,
                    )
                )
    except IntegrityError:
        pass  # another request seeded it at the same moment


def list_dayparts(session: Session) -> list[Daypart]:
    ensure_standard_dayparts(session)
    return list(session.scalars(select(Daypart).order_by(Daypart.id)))


def get_daypart(session: Session, daypart_id: Any, field: str | None = None) -> Daypart:
    """The daypart; NotFound, or a 422 naming ``field`` when the id comes from a request body."""
    ensure_standard_dayparts(session)
    ok = isinstance(daypart_id, int) and not isinstance(daypart_id, bool) and daypart_id > 0
    daypart = session.get(Daypart, daypart_id) if ok and daypart_id < 2**31 else None
    if daypart is not None:
        return daypart
    if field is not None:
        raise ValidationFailed.field(field, "unknown_daypart", id=_quoted(daypart_id))
    raise NotFound("daypart_not_found", id=_quoted(daypart_id))


def _quoted(value: Any) -> int | str:
    """An id from a request as an error may quote it (a JSON number or text)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def clock(value: Any, field: str) -> time | None:
    """A local time of day from "HH:MM"; None for a missing one."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValidationFailed.field(field, "not_a_time_of_day")
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValidationFailed.field(field, "not_a_time_of_day") from None


def weekdays(value: Any, field: str = "days") -> frozenset[int] | None:
    """ISO weekdays from a non-empty list; None when absent."""
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ValidationFailed.field(field, "not_weekdays")
    return frozenset(validation.integer(day, field, 1, 7) for day in value)


def _values(data: Any) -> scheduling.Daypart:
    if not isinstance(data, dict):
        raise ValidationFailed.field("$", "not_a_json_object")
    part = scheduling.Daypart(
        validation.text(data.get("name"), "name", MAX_NAME),
        weekdays(data.get("days")),
        clock(data.get("time_from"), "time_from"),
        clock(data.get("time_to"), "time_to"),
    )
    problems = scheduling.validate_daypart(part)
    if problems:
        raise ValidationFailed.fields([problem_detail(f, p) for f, p in problems])
    return part


def _check_name_free(session: Session, name: str, own_id: int | None = None) -> None:
    wanted = name.casefold()
    for other_id, other in session.execute(select(Daypart.id, Daypart.name)):
        if other_id != own_id and other.casefold() == wanted:
            raise Conflict("daypart_name_taken", name=other)


def _save(session: Session, daypart: Daypart) -> None:
    try:
        with session.begin_nested():
            session.add(daypart)
    except IntegrityError:
        raise Conflict("daypart_name_taken", name=daypart.name) from None


def create_daypart(session: Session, data: Any, actor: User | None) -> Daypart:
    ensure_standard_dayparts(session)
    part = _values(data)
    _check_name_free(session, part.name)
    daypart = Daypart(
        name=part.name,
        days=_days_text(part.days),
        time_from=part.time_from,
        time_to=part.time_to,
    )
    _save(session, daypart)
    audit.record(session, actor, "create", daypart, name=daypart.name)
    return daypart


def _check_users(session: Session, part: scheduling.Daypart, schedules: list[Schedule]) -> None:
    """A daypart naming days cannot serve a schedule with an RRULE (days and rrule exclude)."""
    if part.days is None:
        return
    clashing = [s.id for s in schedules if s.rrule]
    if clashing:
        raise ValidationFailed.field("days", "daypart_used_with_rrule", schedules=clashing)


def update_daypart(session: Session, daypart: Daypart, data: Any, actor: User | None) -> Daypart:
    """Replace the daypart's name, days and window; every schedule using it follows."""
    part = _values(data)
    _check_name_free(session, part.name, daypart.id)
    schedules = list(session.scalars(select(Schedule).where(Schedule.daypart_id == daypart.id)))
    _check_users(session, part, schedules)
    daypart.name = part.name
    daypart.days = _days_text(part.days)
    daypart.time_from, daypart.time_to = part.time_from, part.time_to
    _save(session, daypart)
    audit.record(session, actor, "edit", daypart, name=daypart.name)
    boards = impact.boards_for_schedules(session, [s.id for s in schedules]) if schedules else []
    manifests.invalidate(session, boards)
    return daypart
