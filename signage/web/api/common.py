"""Helpers shared by the API modules: query instants and serialisation. (Request bodies are
read by ``web/bodies.py``, shared with the player protocol.)"""

from __future__ import annotations

import re

from flask import request

from signage.services import manifests, validation
from signage.services.manifests import iso

from .. import presenters

_SPACED_OFFSET = re.compile(
    r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$"
)


def query_instant(name: str, required: bool = True):
    """An ISO 8601 instant from the query string. An unescaped "+" in the offset arrives as a
    space ("08:00:00 07:00"); it can only mean "+", so it is read as one."""
    value = request.args.get(name)
    if value:
        value = _SPACED_OFFSET.sub(r"\1+\2", value.strip())
    return validation.instant(value, name, required=required)


def _screen_json(board) -> dict | None:
    if board.screen_width is None or board.screen_height is None:
        return None
    return {"width": board.screen_width, "height": board.screen_height}


def _iso_or_none(instant) -> str | None:
    return iso(instant) if instant else None


def health_json(board) -> dict:
    """What the last heartbeat said, and whether it is recent enough to call the board online."""
    health = presenters.health(board)
    current = None
    if board.current_sha256:
        current = {"slide_id": board.current_slide_id, "sha256": board.current_sha256}
    return {
        "status": health.status,
        "last_seen_at": _iso_or_none(health.last_seen_at),
        "offline_since": _iso_or_none(health.offline_since),
        "current": current,
        "player_version": board.player_version,
        "screen": _screen_json(board),
        "screen_mismatch": health.screen_mismatch,
        "uptime_s": board.uptime_s,
    }


def board_json(board) -> dict:
    """The board's settings as its manifest states them, its groups, and its health."""
    return {
        **manifests.board_json(board),
        "groups": [group.id for group in board.groups],
        **health_json(board),
    }


def slide_json(slide) -> dict:
    latest, playable = slide.latest, slide.playable
    return {
        "id": slide.id,
        "revision": latest.number,
        "status": latest.status,
        "layout_id": latest.layout_id,
        "fields": latest.fields,
        "duration_s": latest.duration_s,
        "valid_from": iso(latest.valid_from) if latest.valid_from else None,
        "valid_until": iso(latest.valid_until) if latest.valid_until else None,
        "playing_revision": playable.number if playable else None,
        "reject_reason": latest.reject_reason,
    }
