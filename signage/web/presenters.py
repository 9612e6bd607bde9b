"""What the admin pages and the API both present: a board's health, judged by this deployment's
settings so the two never disagree on whether a board is online, and a print file download."""

from __future__ import annotations

from datetime import datetime

from flask import Response

from signage.services import board_health, printing

from .context import runtime


def offline_after_s() -> int:
    return runtime().settings.offline_after_s


def health(board, now: datetime | None = None) -> board_health.Health:
    """online, offline or never, with when it was last seen, by the offline threshold."""
    return board_health.health(board, offline_after_s(), now)


def print_response(file: printing.PrintFile) -> Response:
    response = Response(file.data, mimetype=file.mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Print-Pixels"] = f"{file.width_px}x{file.height_px}"
    response.headers["X-Print-Revision"] = f"{file.revision.number} ({file.which})"
    response.headers["X-Render-Warnings"] = str(len(file.warnings))
    return response
