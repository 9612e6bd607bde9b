"""Pairing codes: they expire, name one screen, bind new or existing boards, hand out once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from signage.models import Board, Pairing, utcnow
from signage.services import boards, pairing
from signage.services.errors import Conflict, NotFound, ValidationFailed


@pytest.fixture
def board(session) -> Board:
    made, _ = boards.create_board(session, "Bảng LED", 384, 192)
    session.commit()
    return made


def _refused_code(action) -> str:
    """The code of the problem ``action`` is refused for, which must be on the code field."""
    with pytest.raises(ValidationFailed) as caught:
        action()
    assert [d["field"] for d in caught.value.details] == ["code"]
    return caught.value.details[0]["code"]


def _board_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Board))


def test_a_code_lives_fifteen_minutes(session):
    started = pairing.start(session)
    assert timedelta(minutes=14) < started.expires_at - utcnow() <= pairing.LIFETIME
    assert len(started.code) == pairing.CODE_LENGTH
    assert set(started.code) <= set(pairing.CODE_ALPHABET)


def test_an_expired_code_binds_nothing_and_polls_as_gone(session, board):
    started = pairing.start(session)
    started.expires_at = utcnow() - timedelta(seconds=1)
    refused = _refused_code(lambda: pairing.claim(session, started.code, board))
    assert refused == "unknown_pairing_code"  # a guesser learns nothing from an expired code
    with pytest.raises(NotFound) as gone:
        pairing.poll(session, started.id)
    assert gone.value.code == "pairing_not_found"
    before = _board_count(session)
    _refused_code(lambda: pairing.claim_new_board(session, started.code, "Mới", 640, 320))
    assert _board_count(session) == before


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (None, "required"),
        ("", "required"),
        ("   ", "required"),
        (123456, "not_a_string"),
        (["ABCDEF"], "not_a_string"),
        ("ZZZZZZ", "unknown_pairing_code"),
    ],
)
def test_wrong_codes_are_refused_on_the_code_field(session, board, typed, code):
    pairing.start(session)
    token_hash = board.token_hash
    assert _refused_code(lambda: pairing.claim(session, typed, board)) == code
    assert board.token_hash == token_hash  # the board's address still works


def test_a_new_board_is_registered_and_bound_in_one_step(session):
    started = pairing.start(session)
    typed = f"{started.code[:3].lower()} - {started.code[3:]}"
    made, bound = pairing.claim_new_board(
        session, typed, "UBND xã Tân Thanh", 1080, 1920, "Asia/Bangkok", (), "crossfade"
    )
    assert bound.id == started.id and bound.board_id == made.id
    assert (made.width, made.height, made.timezone, made.transition) == (
        1080,
        1920,
        "Asia/Bangkok",
        "crossfade",
    )
    handed = pairing.poll(session, started.id)
    assert boards.board_for_token(session, handed["token"]).id == made.id


def test_a_wrong_code_registers_no_board(session):
    pairing.start(session)
    before = _board_count(session)
    _refused_code(lambda: pairing.claim_new_board(session, "ZZZZZZ", "Mới", 640, 320))
    assert _board_count(session) == before


def test_the_token_is_handed_out_once(session, board):
    started = pairing.start(session)
    assert pairing.poll(session, started.id) == {
        "status": "pending",
        "expires_at": started.expires_at,
    }
    pairing.claim(session, started.code, board)
    handed = pairing.poll(session, started.id)
    assert handed["status"] == "claimed"
    assert boards.board_for_token(session, handed["token"]).id == board.id
    stored = session.get(Pairing, started.id)
    assert stored.pending_token is None and stored.delivered_at is not None
    with pytest.raises(NotFound) as again:
        pairing.poll(session, started.id)
    assert again.value.code == "pairing_token_handed_out"


def test_a_code_binds_one_board_only(session, board):
    started = pairing.start(session)
    other, _ = boards.create_board(session, "Bảng khác", 640, 320)
    pairing.claim(session, started.code, board)
    _refused_code(lambda: pairing.claim(session, started.code, other))
    assert session.get(Pairing, started.id).board_id == board.id


def test_two_waiting_screens_never_show_the_same_code(session, monkeypatch):
    draws = iter(["AAAAAA", "AAAAAA", "CCCCCC"])
    monkeypatch.setattr(pairing, "_draw", lambda: next(draws))
    assert pairing.start(session).code == "AAAAAA"
    assert pairing.start(session).code == "CCCCCC"  # the second draw was taken, so drawn again


def test_no_free_code_is_a_conflict_not_a_duplicate(session, monkeypatch):
    monkeypatch.setattr(pairing, "_draw", lambda: "AAAAAA")
    pairing.start(session)
    with pytest.raises(Conflict) as caught:
        pairing.start(session)
    assert caught.value.code == "no_free_pairing_code"


def test_a_code_goes_to_a_board_chosen_by_id(session, board):
    started = pairing.start(session)
    for chosen, code in (
        (None, "required"),
        (424242, "unknown_boards"),
        (2**40, "unknown_boards"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            pairing.claim_for_board_id(session, started.code, chosen)
        assert [(d["field"], d["code"]) for d in caught.value.details] == [("board_id", code)]
    assert pairing.claim_for_board_id(session, started.code, board.id) is board
    assert session.get(Pairing, started.id).board_id == board.id


def test_pairings_are_kept_a_day_after_they_expire(session):
    old, recent = pairing.start(session), pairing.start(session)
    old.expires_at = utcnow() - timedelta(days=1, minutes=1)
    recent.expires_at = utcnow() - timedelta(hours=23)
    session.flush()
    assert pairing.prune_expired(session) == 1
    assert [p.id for p in session.scalars(select(Pairing))] == [recent.id]
