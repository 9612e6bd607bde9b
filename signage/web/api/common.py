"""Helpers shared by the API modules: request bodies, the acting user, serialisation."""

from __future__ import annotations

import re

from flask import request
from flask_login import current_user

from signage.models import Board, Slide
from signage.services import validation
from signage.services.errors import ValidationFailed
from signage.services.manifests import iso

_SPACED_OFFSET = re.compile(
    r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$"
)


def json_body() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ValidationFailed.field("$", "the body must be a JSON object")
    return payload


def query_instant(name: str, required: bool = True):
    """An ISO 8601 instant from the query string. An unescaped "+" in the offset arrives as a
    space ("08:00:00 07:00"); it can only mean "+", so it is read as one."""
    value = request.args.get(name)
    if value:
        value = _SPACED_OFFSET.sub(r"\1+\2", value.strip())
    return validation.instant(value, name, required=required)


def actor():
    return current_user._get_current_object()


def board_json(board: Board) -> dict:
    return {
        "id": board.id,
        "name": board.name,
        "width": board.width,
        "height": board.height,
        "timezone": board.timezone,
        "groups": [g.id for g in board.groups],
        "last_seen_at": iso(board.last_seen_at) if board.last_seen_at else None,
        "current": {"slide_id": board.current_slide_id, "sha256": board.current_sha256}
        if board.current_sha256
        else None,
        "player_version": board.player_version,
    }


def slide_json(slide: Slide) -> dict:
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
