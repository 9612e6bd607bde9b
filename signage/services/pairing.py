"""Pairing: a player shows a short code, staff type it in, the player receives its token once."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from signage.models import Board, Pairing, User, utcnow

from . import audit
from .boards import MAX_INT, create_board, rotate_token
from .errors import Conflict, NotFound, ValidationFailed

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no look-alikes such as 0/O or 1/I
CODE_LENGTH = 6
LIFETIME = timedelta(minutes=15)
# 25**6 codes make a collision with another waiting board rare; a few draws settle it.
CODE_DRAWS = 8
# How long an expired pairing is kept before the worker deletes it.
KEPT_AFTER_EXPIRY = timedelta(days=1)


def _wrong_code() -> ValidationFailed:
    # One answer for a wrong and an expired code: telling them apart would help a guesser.
    return ValidationFailed.field("code", "unknown_pairing_code")


def _draw() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _waiting(session: Session, code: str, now: datetime) -> Pairing | None:
    query = select(Pairing).where(
        Pairing.code == code, Pairing.expires_at > now, Pairing.board_id.is_(None)
    )
    return session.scalars(query).first()


def _free_code(session: Session, now: datetime) -> str:
    """A code that no other waiting board shows, so a typed code names exactly one screen."""
    for _ in range(CODE_DRAWS):
        code = _draw()
        if _waiting(session, code, now) is None:
            return code
    raise Conflict("no_free_pairing_code")


def start(session: Session) -> Pairing:
    now = utcnow()
    code = _free_code(session, now)
    pairing = Pairing(id=str(uuid.uuid4()), code=code, expires_at=now + LIFETIME)
    session.add(pairing)
    session.flush()
    return pairing


def normalise(code: object) -> str:
    """The code as stored: staff may type it in lower case, spaced or with a dash."""
    if code is None:
        raise ValidationFailed.field("code", "required")
    if not isinstance(code, str):
        raise ValidationFailed.field("code", "not_a_string")
    code = code.strip().upper().replace(" ", "").replace("-", "")
    if not code:
        raise ValidationFailed.field("code", "required")
    return code


def waiting(session: Session, code: object) -> Pairing:
    """The unexpired, unclaimed pairing that shows this code."""
    pairing = _waiting(session, normalise(code), utcnow())
    if pairing is None:
        raise _wrong_code()
    return pairing


def _bind(session: Session, pairing: Pairing, board: Board, actor: User | None) -> Pairing:
    """Give the board a new token and park it on the pairing for the player's next poll.

    The update only takes a pairing nobody has claimed yet, so two staff typing the same code
    at once cannot both succeed."""
    token = rotate_token(session, board, actor)
    taken = session.execute(
        update(Pairing)
        .where(Pairing.id == pairing.id, Pairing.board_id.is_(None))
        .values(board_id=board.id, pending_token=token)
    )
    if taken.rowcount != 1:
        raise _wrong_code()
    audit.record(session, actor, "pair", board, pairing_id=pairing.id)
    return pairing


def claim(session: Session, code: object, board: Board, actor: User | None = None) -> Pairing:
    """Bind the pairing with this code to the board; the board's old token stops working."""
    return _bind(session, waiting(session, code), board, actor)


def claim_for_board_id(
    session: Session, code: object, board_id: int | None, actor: User | None = None
) -> Board:
    """Bind the code to a board chosen by id in a form; a board deleted since the form was shown
    is named on the ``board_id`` field, like none chosen."""
    if board_id is None:
        raise ValidationFailed.field("board_id", "required")
    board = session.get(Board, board_id) if 0 < board_id <= MAX_INT else None
    if board is None:
        raise ValidationFailed.field("board_id", "unknown_boards", ids=[board_id])
    claim(session, code, board, actor)
    return board


def claim_new_board(
    session: Session,
    code: object,
    name: str,
    width: int,
    height: int,
    timezone: str | None = None,
    group_ids: Iterable[int] = (),
    transition: str | None = None,
    actor: User | None = None,
) -> tuple[Board, Pairing]:
    """Register a board and bind the code to it, in one step.

    The code is checked first, so a wrong code registers nothing; the caller's rollback undoes
    the board if binding fails later."""
    pairing = waiting(session, code)
    board, _unused_token = create_board(
        session, name, width, height, timezone, group_ids, actor, transition
    )
    return board, _bind(session, pairing, board, actor)


def poll(session: Session, pairing_id: str) -> dict:
    pairing = session.get(Pairing, pairing_id)
    now = utcnow()
    if pairing is None or (pairing.board_id is None and pairing.expires_at <= now):
        raise NotFound("pairing_not_found")
    if pairing.board_id is None:
        return {"status": "pending", "expires_at": pairing.expires_at}
    return {"status": "claimed", "token": _hand_out(session, pairing, now)}


def _hand_out(session: Session, pairing: Pairing, now: datetime) -> str:
    """The parked token, erased as it is read: the update only matches while the token is
    still there, so two polls racing each other cannot both receive it."""
    token = pairing.pending_token
    if token is None:
        raise NotFound("pairing_token_handed_out")
    handed = session.execute(
        update(Pairing)
        .where(Pairing.id == pairing.id, Pairing.pending_token == token)
        .values(pending_token=None, delivered_at=now)
    )
    if handed.rowcount != 1:
        raise NotFound("pairing_token_handed_out")
    return token


def prune_expired(session: Session, now: datetime | None = None) -> int:
    """Delete the pairings that expired more than a day ago; returns how many."""
    cutoff = (now or utcnow()) - KEPT_AFTER_EXPIRY
    return session.execute(delete(Pairing).where(Pairing.expires_at < cutoff)).rowcount
