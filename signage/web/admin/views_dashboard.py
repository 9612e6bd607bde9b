"""The dashboard and the audit log."""

from __future__ import annotations

from flask import render_template

from signage.services import audit, overview

from ..auth import requires
from ..context import db_session
from ..presenters import offline_after_s
from . import bp

AUDIT_LIMIT = 200


@bp.get("/")
@requires("view")
def dashboard():
    state = overview.overview(db_session(), offline_after_s())
    return render_template(
        "admin/dashboard.html",
        counts=state.counts,
        boards=state.boards,
        pending=state.pending,
        now=state.at,
    )


@bp.get("/audit")
@requires("view")
def audit_log():
    lines = audit.latest(db_session(), AUDIT_LIMIT)
    return render_template("admin/audit.html", lines=lines, limit=AUDIT_LIMIT)
