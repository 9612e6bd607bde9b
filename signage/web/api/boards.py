"""Boards, groups, pairing and timelines."""

from __future__ import annotations

from datetime import UTC, datetime
from operator import attrgetter

from flask import jsonify

from signage.services import boards, manifests, pairing, timelines, validation
from signage.services.errors import ValidationFailed

from ..auth import actor, requires
from ..bodies import json_body
from ..context import db_session, runtime
from ..limits import counting_wrong_codes, limit_wrong_codes
from ..urls import player_url
from ..words import describe
from . import bp
from .common import board_json, query_instant

# The longest window one timeline request may ask for: a month of segments.
MAX_TIMELINE_DAYS = 31


def group_json(group) -> dict:
    return {"id": group.id, "name": group.name, "parent_id": group.parent_id}


@bp.post("/boards")
@requires("manage")
def create_board():
    data = json_body()
    session = db_session()
    board, token = boards.create_board(
        session,
        data.get("name"),
        data.get("width"),
        data.get("height"),
        data.get("timezone"),
        validation.id_list(data.get("groups"), "groups"),
        actor(),
        data.get("transition"),
    )
    session.commit()
    body = {**board_json(board), "token": token, "player_url": player_url(token)}
    return jsonify(body), 201


@bp.put("/boards/<int:board_id>")
@requires("manage")
def update_board(board_id: int):
    session = db_session()
    board = boards.get_board(session, board_id)
    boards.update_board(session, board, json_body(), actor())
    session.commit()
    return jsonify(board_json(board))


@bp.get("/boards")
@requires("view")
def list_boards():
    rows = sorted(boards.list_boards(db_session()), key=attrgetter("id"))  # API lists by id
    return jsonify({"boards": [board_json(b) for b in rows]})


@bp.get("/boards/<int:board_id>")
@requires("view")
def get_board(board_id: int):
    return jsonify(board_json(boards.get_board(db_session(), board_id)))


@bp.post("/boards/<int:board_id>/pair")
@requires("manage")
@limit_wrong_codes()
def pair_board(board_id: int):
    session = db_session()
    board = boards.get_board(session, board_id)
    with counting_wrong_codes():
        pairing.claim(session, json_body().get("code"), board, actor())
    session.commit()
    return jsonify({"board_id": board.id, "status": "claimed"})


@bp.post("/boards/pair")
@requires("manage")
@limit_wrong_codes()
def pair_new_board():
    """Register a board and bind the code its screen shows; the player receives the token."""
    data = json_body()
    session = db_session()
    with counting_wrong_codes():
        board, _ = pairing.claim_new_board(
            session,
            data.get("code"),
            data.get("name"),
            data.get("width"),
            data.get("height"),
            data.get("timezone"),
            validation.id_list(data.get("groups"), "groups"),
            data.get("transition"),
            actor(),
        )
    session.commit()
    return jsonify(board_json(board)), 201


@bp.get("/boards/<int:board_id>/timeline")
@requires("view")
def timeline(board_id: int):
    session = db_session()
    board = boards.get_board(session, board_id)
    start, end = query_instant("from"), query_instant("to")
    if end <= start:
        raise ValidationFailed.field("to", "not_after_from")
    if (end - start).days > MAX_TIMELINE_DAYS:
        raise ValidationFailed.field("to", "window_too_long", days=MAX_TIMELINE_DAYS)
    store = runtime().store
    segments = [
        manifests.segment_json(session, store, board, s)
        for s in timelines.board_segments(session, board, start, end)
    ]
    session.commit()  # renditions made on the way are kept
    return jsonify({"board": manifests.board_json(board), "segments": segments})


def _schedule_answer_json(schedule) -> dict:
    return {
        "schedule_id": schedule.schedule_id,
        "name": schedule.name,
        "status": schedule.status,
        "reason": schedule.reason,
        "message": describe(schedule.problem),
    }


@bp.get("/boards/<int:board_id>/explain")
@requires("view")
def explain(board_id: int):
    """What plays on a board at an instant (default: now) and why: the same answer as the
    admin's page, its reasons worded in the request's language."""
    session = db_session()
    board = boards.get_board(session, board_id)
    at = query_instant("at", required=False) or datetime.now(UTC)
    told = timelines.explain_board(session, board, at)
    answer, revision = told.answer, told.revision
    return jsonify(
        {
            "board": manifests.board_json(board),
            "at": manifests.iso(answer.at),
            "kind": answer.kind,
            "priority": answer.priority,
            "schedule_ids": list(answer.schedule_ids),
            "item": {
                "slide_id": revision.slide_id,
                "revision": revision.number,
                "title": revision.title,
                "duration_s": answer.item.duration_s,
                "started_at": manifests.iso(answer.item_started_at),
            },
            "segment": {
                "start": manifests.iso(answer.segment.start),
                "end": manifests.iso(answer.segment.end),
            },
            "schedules": [_schedule_answer_json(s) for s in told.schedules],
        }
    )


@bp.post("/groups")
@requires("manage")
def create_group():
    data = json_body()
    session = db_session()
    group = boards.create_group(session, data.get("name"), data.get("parent_id"), actor())
    session.commit()
    return jsonify(group_json(group)), 201


@bp.get("/groups")
@requires("view")
def list_groups():
    groups = [group_json(g) for g in boards.list_groups(db_session())]
    return jsonify({"groups": groups})
