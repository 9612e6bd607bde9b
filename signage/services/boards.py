"""Boards and nested groups: registration, tokens, membership and health."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from signage.models import Board, Group, Heartbeat, Manifest, User, utcnow
from signage.models.boards import TRANSITIONS

from . import audit, validation
from .errors import Conflict, NotFound, ValidationFailed
from .secrets import new_token, token_digest

MAX_INT = 2**31 - 1  # the largest value an INTEGER column holds on PostgreSQL
MAX_PX = validation.MAX_PIXELS
SHA256 = re.compile(r"[0-9a-f]{64}")


def create_group(
    session: Session, name: str, parent_id: int | None = None, actor: User | None = None
) -> Group:
    name = validation.text(name, "name", 120)
    if parent_id is not None and session.get(Group, parent_id) is None:
        raise ValidationFailed.field("parent_id", f"unknown group {parent_id}")
    if session.scalar(select(Group).where(Group.name == name)):
        raise Conflict(f"a group named {name!r} exists")
    group = Group(name=name, parent_id=parent_id)
    session.add(group)
    session.flush()
    audit.record(session, actor, "create", group, name=name)
    return group


def groups_by_id(session: Session, ids: Iterable[int], field: str = "groups") -> list[Group]:
    ids = list(ids)
    found = {g.id: g for g in session.scalars(select(Group).where(Group.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed.field(field, f"unknown group id(s): {missing}")
    return [found[i] for i in ids]


def group_by_name(session: Session, name: str) -> Group | None:
    return session.scalar(select(Group).where(Group.name == name))


def transition(value: Any, field: str = "transition") -> str:
    """How the player changes items; absent means the default, a hard cut."""
    if value is None or value == "":
        return TRANSITIONS[0]
    if value not in TRANSITIONS:
        raise ValidationFailed.field(field, "must be cut or crossfade")
    return value


def create_board(
    session: Session,
    name: str,
    width: int,
    height: int,
    timezone: str | None = None,
    group_ids: Iterable[int] = (),
    actor: User | None = None,
    transition_name: str | None = None,
) -> tuple[Board, str]:
    """Register a board; returns it with its player token, which is shown only this once."""
    board = Board(
        name=validation.text(name, "name", 160),
        width=validation.integer(width, "width", 16, validation.MAX_PIXELS),
        height=validation.integer(height, "height", 16, validation.MAX_PIXELS),
        timezone=validation.timezone(timezone),
        transition=transition(transition_name),
        groups=groups_by_id(session, group_ids),
    )
    token, board.token_hash = new_token("sgb")
    session.add(board)
    session.flush()
    audit.record(session, actor, "create", board, size=f"{board.width}x{board.height}")
    return board, token


def update_board(session: Session, board: Board, data: Any, actor: User | None = None) -> Board:
    """Change a board's settings; its cached manifest is dropped, since size, zone, groups and
    transition all change what the player receives."""
    if not isinstance(data, dict):
        raise ValidationFailed.field("$", "the body must be a JSON object")
    # A key that is left out keeps the board's current value.
    name = validation.text(data.get("name", board.name), "name", 160)
    width = validation.integer(data.get("width", board.width), "width", 16, MAX_PX)
    height = validation.integer(data.get("height", board.height), "height", 16, MAX_PX)
    zone = validation.timezone(data.get("timezone", board.timezone))
    chosen = transition(data.get("transition", board.transition))
    groups = board.groups
    if "groups" in data:
        groups = groups_by_id(session, validation.id_list(data["groups"], "groups"))
    board.name, board.width, board.height, board.timezone = name, width, height, zone
    board.transition, board.groups = chosen, groups
    session.flush()
    session.execute(delete(Manifest).where(Manifest.board_id == board.id))
    audit.record(session, actor, "edit", board, size=f"{width}x{height}", transition=chosen)
    return board


def rotate_token(session: Session, board: Board, actor: User | None = None) -> str:
    """Revoke the board's token and issue a new one."""
    token, board.token_hash = new_token("sgb")
    audit.record(session, actor, "rotate_token", board)
    return token


def board_for_token(session: Session, token: str) -> Board | None:
    return session.scalar(select(Board).where(Board.token_hash == token_digest(token)))


def get_board(session: Session, board_id: int) -> Board:
    board = session.get(Board, board_id)
    if board is None:
        raise NotFound(f"no board {board_id}")
    return board


def group_closure(groups: Iterable[Group]) -> set[int]:
    """The ids of the given groups and all their ancestors: a schedule on a parent reaches here."""
    seen: set[int] = set()
    for group in groups:
        node: Group | None = group
        while node is not None and node.id not in seen:
            seen.add(node.id)
            node = node.parent
    return seen


def distinct_sizes(session: Session) -> list[tuple[int, int]]:
    rows = session.execute(select(Board.width, Board.height).distinct())
    return sorted({(w, h) for w, h in rows})


def _optional_int(container: dict, key: str, path: str) -> int | None:
    value = container.get(key)
    if value is None:
        return None
    return validation.integer(value, path, 0, MAX_INT, strict=True)


def _object(payload: dict, key: str, shape: str) -> dict:
    value = payload.get(key)
    if value is not None and not isinstance(value, dict):
        raise ValidationFailed.field(key, f"must be {shape} or null")
    return value or {}


def parse_heartbeat(payload: dict) -> dict:
    """The values of a player's heartbeat, checked; each problem names its JSON path."""
    current = _object(payload, "current", "{slide_id, sha256}")
    screen = _object(payload, "screen", "{width, height}")
    sha256 = current.get("sha256")
    if sha256 is not None and not (isinstance(sha256, str) and SHA256.fullmatch(sha256)):
        raise ValidationFailed.field("current.sha256", "must be a 64-character hex digest")
    version = payload.get("player_version")
    if version is not None and not isinstance(version, str):
        raise ValidationFailed.field("player_version", "must be a string")
    return {
        "player_version": (version or "").strip()[:40] or None,
        "slide_id": _optional_int(current, "slide_id", "current.slide_id"),
        "sha256": sha256,
        "screen_width": _optional_int(screen, "width", "screen.width"),
        "screen_height": _optional_int(screen, "height", "screen.height"),
        "uptime_s": _optional_int(payload, "uptime_s", "uptime_s"),
    }


def record_heartbeat(session: Session, board: Board, payload: dict) -> None:
    """Keep the heartbeat, and copy it onto the board so status pages read one row."""
    beat = Heartbeat(board_id=board.id, **parse_heartbeat(payload))
    session.add(beat)
    board.last_seen_at = utcnow()
    board.current_slide_id = beat.slide_id
    board.current_sha256 = beat.sha256
    board.player_version = beat.player_version
    board.screen_width, board.screen_height = beat.screen_width, beat.screen_height
    board.uptime_s = beat.uptime_s


def status(board: Board, offline_after_s: int, now: datetime | None = None) -> str:
    """online, offline (silent for longer than the threshold) or never (no heartbeat yet)."""
    if board.last_seen_at is None:
        return "never"
    silent = (now or utcnow()) - board.last_seen_at
    return "online" if silent <= timedelta(seconds=offline_after_s) else "offline"


def screen_mismatch(board: Board) -> bool:
    """The player reports a screen of another size than the one content is rendered for:
    slides would be scaled, or cut off."""
    if board.screen_width is None or board.screen_height is None:
        return False
    return (board.screen_width, board.screen_height) != (board.width, board.height)
