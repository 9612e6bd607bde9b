"""Helpers shared by the API modules: request bodies, the acting user, serialisation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from signage.models import Board, Slide
from signage.services import boards, validation
from signage.services.errors import ValidationFailed
from signage.services.manifests import iso

from ..context import runtime
from ..limits import limiter

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


def _screen_json(board: Board) -> dict | None:
    if board.screen_width is None or board.screen_height is None:
        return None
    return {"width": board.screen_width, "height": board.screen_height}


def health_json(board: Board) -> dict:
    """What the last heartbeat said, and whether it is recent enough to call the board online."""
    status = boards.status(board, runtime().settings.offline_after_s)
    last_seen = iso(board.last_seen_at) if board.last_seen_at else None
    return {
        "status": status,
        "last_seen_at": last_seen,
        "offline_since": last_seen if status == "offline" else None,
        "current": {"slide_id": board.current_slide_id, "sha256": board.current_sha256}
        if board.current_sha256
        else None,
        "player_version": board.player_version,
        "screen": _screen_json(board),
        "screen_mismatch": boards.screen_mismatch(board),
        "uptime_s": board.uptime_s,
    }


def board_json(board: Board) -> dict:
    return {
        "id": board.id,
        "name": board.name,
        "width": board.width,
        "height": board.height,
        "timezone": board.timezone,
        "transition": board.transition,
        "groups": [group.id for group in board.groups],
        **health_json(board),
    }


# Wrong pairing codes typed by staff. Codes are short, so guessing must stay slow: each user,
# and each address (several staff may share an office's address), gets a budget of mistakes.
WRONG_CODES_PER_USER = "10 per 15 minutes"
WRONG_CODES_PER_ADDRESS = "30 per 15 minutes"


def _user_key() -> str:
    return f"user:{current_user.get_id() or 'anonymous'}"


def _was_wrong_code(_response) -> bool:
    return bool(g.get("wrong_pairing_code"))


def limit_wrong_codes(on_breach: Callable | None = None) -> Callable:
    """Decorate a view that takes a pairing code. Only requests that ran into a wrong code
    (see ``counting_wrong_codes``) use up the budget; once it is spent, even a right code waits."""

    def decorate(view):
        for limit, scope, key in (
            (WRONG_CODES_PER_USER, "pairing-code-user", _user_key),
            (WRONG_CODES_PER_ADDRESS, "pairing-code-address", get_remote_address),
        ):
            view = limiter.shared_limit(
                limit,
                scope,
                key_func=key,
                methods=["POST"],
                deduct_when=_was_wrong_code,
                on_breach=on_breach,
            )(view)
        return view

    return decorate


@contextmanager
def counting_wrong_codes() -> Iterator[None]:
    """Marks the request when the service refuses the code, for ``limit_wrong_codes``."""
    try:
        yield
    except ValidationFailed as exc:
        if any(detail.get("field") == "code" for detail in exc.details):
            g.wrong_pairing_code = True
        raise


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
