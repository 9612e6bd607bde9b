"""Endpoints a board's player calls, authenticated by the board's own token."""

from __future__ import annotations

from flask import current_app, g, jsonify, request

from signage.services import board_health, manifests, pairing, plays

from ..auth import board_required, public
from ..bodies import json_body
from ..context import db_session, runtime
from ..limits import limiter
from . import bp


@bp.post("/api/v1/player/pairings")
@public
@limiter.limit("10 per minute")
def start_pairing():
    session = db_session()
    created = pairing.start(session)
    session.commit()
    body = {
        "pairing_id": created.id,
        "code": created.code,
        "expires_at": manifests.iso(created.expires_at),
    }
    return jsonify(body), 201


@bp.get("/api/v1/player/pairings/<pairing_id>")
@public
@limiter.limit("60 per minute")
def poll_pairing(pairing_id: str):
    session = db_session()
    result = pairing.poll(session, pairing_id)
    session.commit()
    if "expires_at" in result:
        result["expires_at"] = manifests.iso(result["expires_at"])
    return jsonify(result)


@bp.get("/api/v1/player/manifest")
@board_required
def manifest():
    session = db_session()
    # Most polls revalidate an unchanged manifest: answer those from its version alone,
    # without loading or decoding the body.
    fresh = manifests.fresh_version(session, g.board.id)
    if fresh is not None and request.if_none_match.contains_weak(fresh):
        return _manifest_headers(current_app.response_class(status=304), fresh)
    settings = runtime().settings
    current = manifests.current(
        session, runtime().store, g.board, settings.manifest_hours, settings.poll_seconds
    )
    session.commit()
    if request.if_none_match.contains_weak(current.version):
        response = current_app.response_class(status=304)
    else:
        response = jsonify(manifests.response_body(current))
    return _manifest_headers(response, current.version)


def _manifest_headers(response, version: str):
    response.headers["ETag"] = f'"{version}"'
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/api/v1/player/plays")
@board_required
def report_plays():
    session = db_session()
    accepted, duplicates = plays.ingest(session, g.board, json_body())
    session.commit()
    return jsonify({"accepted": accepted, "duplicates": duplicates})


@bp.post("/api/v1/player/heartbeat")
@board_required
def heartbeat():
    session = db_session()
    board_health.record_heartbeat(session, g.board, json_body())
    session.commit()
    return "", 204
