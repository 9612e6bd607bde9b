"""Boards and nested groups: registration, settings, tokens, membership and the listings that the
admin and the API both show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from signage.models import Board, Group, Manifest, User
from signage.models.boards import TRANSITIONS  # the choices the board forms offer, too

from . import audit, validation
from .errors import Conflict, NotFound, ValidationFailed
from .secrets import new_token, token_digest

MAX_INT = 2**31 - 1  # the largest value an INTEGER column holds on PostgreSQL
MAX_PX = validation.MAX_PIXELS


# Groups ---------------------------------------------------------------------------------------


def _parent_id(session: Session, value: Any) -> int | None:
    if value is None:
        return None
    parent_id = validation.integer(value, "parent_id", 1, MAX_INT, strict=True)
    if session.get(Group, parent_id) is None:
        raise ValidationFailed.field("parent_id", "unknown_groups", ids=[parent_id])
    return parent_id


def create_group(
    session: Session, name: Any, parent_id: Any = None, actor: User | None = None
) -> Group:
    name = validation.text(name, "name", 120)
    parent_id = _parent_id(session, parent_id)
    if group_by_name(session, name) is not None:
        raise Conflict("group_name_taken", name=name)
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
        raise ValidationFailed.field(field, "unknown_groups", ids=missing)
    return [found[i] for i in ids]


def group_by_name(session: Session, name: str) -> Group | None:
    return session.scalar(select(Group).where(Group.name == name))


def list_groups(session: Session) -> list[Group]:
    """Every group by name, with its parent and its boards loaded for the listings."""
    query = (
        select(Group)
        .options(selectinload(Group.parent), selectinload(Group.boards))
        .order_by(Group.name, Group.id)
    )
    return list(session.scalars(query))


# Boards ---------------------------------------------------------------------------------------


def transition(value: Any, field: str = "transition") -> str:
    """How the player changes items; absent means the default, a hard cut."""
    if value is None or value == "":
        return TRANSITIONS[0]
    if not isinstance(value, str) or value not in TRANSITIONS:
        raise ValidationFailed.field(field, "not_one_of", allowed=list(TRANSITIONS))
    return value


def create_board(
    session: Session,
    name: Any,
    width: Any,
    height: Any,
    timezone: str | None = None,
    group_ids: Iterable[int] = (),
    actor: User | None = None,
    transition_name: Any = None,
) -> tuple[Board, str]:
    """Register a board; returns it with its player token, which is shown only this once."""
    board = Board(
        name=validation.text(name, "name", 160),
        width=validation.integer(width, "width", 16, MAX_PX),
        height=validation.integer(height, "height", 16, MAX_PX),
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
        raise ValidationFailed.field("$", "not_a_json_object")
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
    """The board with its groups, which every page and answer about it shows."""
    board = session.get(Board, board_id, options=[selectinload(Board.groups)])
    if board is None:
        raise NotFound("board_not_found", id=board_id)
    return board


def list_boards(session: Session) -> list[Board]:
    """Every board by name, with its groups: the one listing the admin and the API share."""
    query = select(Board).options(selectinload(Board.groups)).order_by(Board.name, Board.id)
    return list(session.scalars(query))


def distinct_sizes(session: Session) -> list[tuple[int, int]]:
    rows = session.execute(select(Board.width, Board.height).distinct())
    return sorted({(w, h) for w, h in rows})
