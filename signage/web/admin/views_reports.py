"""Proof of play: what each board showed, counted per slide, for a chosen period."""

from __future__ import annotations

from flask import render_template, request, url_for

from signage.services import boards, reports
from signage.services.errors import ValidationFailed

from ..auth import requires
from ..context import db_session
from . import bp
from .common import LOCAL_ZONE, optional_int, problems_of


@bp.get("/reports/plays")
@requires("view")
def plays_report():
    args = request.args
    try:
        first, last = reports.period(args.get("from"), args.get("to"), LOCAL_ZONE)
        board_id = optional_int(args.get("board_id"), "board_id")
    except ValidationFailed as exc:
        return _page(None, None, None, [], problems_of(exc)), 422
    start, end = reports.day_window(first, last, LOCAL_ZONE)
    rows = reports.summary(db_session(), start, end, board_id)
    return _page(first, last, board_id, rows, [])


def _csv_url(first, last, board_id) -> str:
    """The same plays, one row each, from the API."""
    csv_args = {"format": "csv", "board_id": board_id or None}
    if first:
        start, end = reports.day_window(first, last, LOCAL_ZONE)
        csv_args["from"], csv_args["to"] = start.isoformat(), end.isoformat()
    return url_for("api.plays_report", **csv_args)


def _page(first, last, board_id, rows, problems):
    return render_template(
        "admin/plays_report.html",
        first=first,
        last=last,
        board_id=board_id,
        rows=rows,
        problems=problems,
        boards=boards.list_boards(db_session()),
        totals=reports.totals(rows),
        csv_url=_csv_url(first, last, board_id),
    )
