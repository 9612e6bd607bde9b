"""Playlists and schedules."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from signage.models import Playlist, Schedule
from signage.services import programming
from signage.services.manifests import iso

from ..auth import requires
from ..context import db_session
from . import bp
from .common import actor, json_body


def playlist_json(playlist: Playlist) -> dict:
    return {
        "id": playlist.id,
        "name": playlist.name,
        "items": [{"slide_id": i.slide_id, "duration_s": i.duration_s} for i in playlist.items],
    }


def schedule_json(schedule: Schedule) -> dict:
    return {
        "id": schedule.id,
        "name": schedule.name,
        "playlist_id": schedule.playlist_id,
        "targets": {
            "boards": [t.board_id for t in schedule.targets if t.board_id],
            "groups": [t.group_id for t in schedule.targets if t.group_id],
        },
        "starts_at": iso(schedule.starts_at),
        "ends_at": iso(schedule.ends_at) if schedule.ends_at else None,
        "days": schedule.day_list,
        "time_from": schedule.time_from.strftime("%H:%M") if schedule.time_from else None,
        "time_to": schedule.time_to.strftime("%H:%M") if schedule.time_to else None,
        "rrule": schedule.rrule,
        "priority": schedule.priority,
        "kind": schedule.kind,
    }


@bp.post("/playlists")
@requires("edit")
def create_playlist():
    session = db_session()
    playlist = programming.create_playlist(session, json_body(), actor())
    session.commit()
    return jsonify(playlist_json(playlist)), 201


@bp.get("/playlists")
@requires("view")
def list_playlists():
    rows = db_session().scalars(select(Playlist).order_by(Playlist.id))
    return jsonify({"playlists": [playlist_json(p) for p in rows]})


@bp.put("/playlists/<int:playlist_id>")
@requires("edit")
def update_playlist(playlist_id: int):
    session = db_session()
    playlist = programming.get_playlist(session, playlist_id)
    programming.update_playlist(session, playlist, json_body(), actor())
    session.commit()
    return jsonify(playlist_json(playlist))


@bp.post("/schedules")
@requires("edit")
def create_schedule():
    session = db_session()
    schedule = programming.create_schedule(session, json_body(), actor())
    session.commit()
    return jsonify(schedule_json(schedule)), 201


@bp.get("/schedules")
@requires("view")
def list_schedules():
    rows = db_session().scalars(select(Schedule).order_by(Schedule.id))
    return jsonify({"schedules": [schedule_json(s) for s in rows]})


@bp.delete("/schedules/<int:schedule_id>")
@requires("edit")
def delete_schedule(schedule_id: int):
    session = db_session()
    programming.delete_schedule(session, schedule_id, actor())
    session.commit()
    return "", 204
