"""Offline bundles: download a board's next days of content as a zip for a USB stick."""

from __future__ import annotations

import tempfile
from typing import IO

from flask import flash, redirect, request, send_file, url_for
from flask_babel import gettext

from signage.services import boards, bundles
from signage.services.errors import ServiceError

from ..auth import requires
from ..context import db_session, runtime
from . import bp
from .common import or_404, problems_of


def _back_to_board(board_id: int, message: str):
    flash(message, "error")
    return redirect(url_for("admin.board_detail", board_id=board_id))


def _problem_text(exc: ServiceError) -> str:
    """The service's problems worded like any form's, each after the label of its field."""
    parts = [
        f"{problem['label']}: {problem['message']}" if problem["label"] else problem["message"]
        for problem in problems_of(exc)
    ]
    return gettext("The bundle could not be made. %(problems)s", problems="; ".join(parts))


def _spooled_zip(bundle: bundles.Bundle) -> IO[bytes]:
    """The zip in a temporary file on disk, not in memory: a week of full-HD slides runs to
    tens of MB. send_file closes the file after the response, which deletes it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (it must outlive this function)
    try:
        bundles.write_zip(bundle, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


@bp.get("/boards/<int:board_id>/bundle")
@requires("view")
def board_bundle(board_id: int):
    """The zip to copy onto a USB stick; ?days=N (1..31, default 7) from now."""
    session = db_session()
    board = or_404(boards.get_board, session, board_id)
    try:
        bundle = bundles.build(
            session,
            runtime().store,
            board,
            request.args.get("days"),
            poll_seconds=runtime().settings.poll_seconds,
        )
        handle = _spooled_zip(bundle)
    except ServiceError as exc:
        session.rollback()
        return _back_to_board(board_id, _problem_text(exc))
    session.commit()  # renditions made on the way are kept for the board's next manifest
    response = send_file(
        handle, mimetype="application/zip", as_attachment=True, download_name=bundle.filename
    )
    response.headers["Cache-Control"] = "private, no-store"  # the board's unpublished days
    return response
