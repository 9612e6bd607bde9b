"""Pairing: a player shows a short code, staff type it in, the player receives its token once."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import Board, Pairing, User, utcnow

from . import audit
from .boards import rotate_token
from .errors import NotFound, ValidationFailed

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no look-alikes such as 0/O or 1/I
CODE_LENGTH = 6
LIFETIME = timedelta(minutes=15)


def start(session: Session) -> Pairing:
    now = utcnow()
    pairing = Pairing(
        id=str(uuid.uuid4()),
        code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
        expires_at=now + LIFETIME,
    )
    session.add(pairing)
    session.flush()
    return pairing


def claim(session: Session, code: str, board: Board, actor: User | None = None) -> Pairing:
    """Bind the pairing with this code to the board; the board's old token stops working."""
    if not isinstance(code, str):
        raise ValidationFailed.field("code", "must be the code the board shows, as text")
    code = code.strip().upper().replace(" ", "").replace("-", "")
    pairing = session.scalar(
        select(Pairing).where(
            Pairing.code == code,
            Pairing.expires_at > utcnow(),
            Pairing.board_id.is_(None),
        )
    )
    if pairing is None:
        raise ValidationFailed.field("code", "no waiting board shows this code, or it expired")
    pairing.board_id = board.id
    pairing.pending_token = rotate_token(session, board, actor)
    audit.record(session, actor, "pair", board, pairing_id=pairing.id)
    return pairing


def poll(session: Session, pairing_id: str) -> dict:
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or (pairing.board_id is None and pairing.expires_at <= utcnow()):
        raise NotFound("no such pairing, or it expired")
    if pairing.board_id is None:
        return {"status": "pending", "expires_at": pairing.expires_at}
    if pairing.pending_token is None:
        raise NotFound("this pairing's token was already handed out")
    token, pairing.pending_token = pairing.pending_token, None
    pairing.delivered_at = utcnow()
    return {"status": "claimed", "token": token}
