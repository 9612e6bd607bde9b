"""The dashboard and the audit log."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from signage.models import Board, Playlist, Schedule, utcnow
from signage.services import audit, slides

from ..auth import requires
from ..context import db_session
from . import bp
from .pages import is_online

AUDIT_LIMIT = 200


def _count(model) -> int:
    return db_session().scalar(select(func.count()).select_from(model)) or 0


@bp.get("/")
@requires("view")
def dashboard():
    session = db_session()
    all_slides = slides.list_slides(session)
    boards = list(
        session.scalars(select(Board).options(selectinload(Board.groups)).order_by(Board.name))
    )
    now = utcnow()
    online = [b for b in boards if is_online(b, now)]
    pending = [s for s in all_slides if s.latest.status == "pending"]
    counts = {
        "slides": len(all_slides),
        "on_air": sum(1 for s in all_slides if s.playable is not None),
        "pending": len(pending),
        "boards": len(boards),
        "online": len(online),
        "playlists": _count(Playlist),
        "schedules": _count(Schedule),
    }
    return render_template(
        "admin/dashboard.html", counts=counts, boards=boards, pending=pending, now=now
    )


@bp.get("/audit")
@requires("view")
def audit_log():
    lines = audit.latest(db_session(), AUDIT_LIMIT)
    return render_template("admin/audit.html", lines=lines, limit=AUDIT_LIMIT)
