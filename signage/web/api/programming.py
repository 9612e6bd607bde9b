"""Playlists, schedules and dayparts."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from flask import jsonify

from signage.services import dayparts, programming
from signage.services.manifests import iso

from ..auth import actor, requires
from ..bodies import json_body
from ..context import db_session
from . import bp


def playlist_json(playlist: Any) -> dict:
    return {
        "id": playlist.id,
        "name": playlist.name,
        "items": [{"slide_id": i.slide_id, "duration_s": i.duration_s} for i in playlist.items],
    }


def _clock(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def daypart_json(daypart: Any) -> dict:
    return {
        "id": daypart.id,
        "name": daypart.name,
        "days": daypart.day_list,
        "time_from": _clock(daypart.time_from),
        "time_to": _clock(daypart.time_to),
    }


def schedule_json(schedule: Any) -> dict:
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
        "time_from": _clock(schedule.time_from),
        "time_to": _clock(schedule.time_to),
        "daypart_id": schedule.daypart_id,
        "exdates": schedule.exdate_list,
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
    rows = sorted(programming.list_playlists(db_session()), key=attrgetter("id"))  # by id
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
    rows = sorted(programming.list_schedules(db_session()), key=attrgetter("id"))  # by id
    return jsonify({"schedules": [schedule_json(s) for s in rows]})


@bp.delete("/schedules/<int:schedule_id>")
@requires("edit")
def delete_schedule(schedule_id: int):
    session = db_session()
    programming.delete_schedule(session, schedule_id, actor())
    session.commit()
    return "", 204


@bp.get("/dayparts")
@requires("view")
def list_dayparts():
    session = db_session()
    rows = dayparts.list_dayparts(session)
    session.commit()  # the standard catalogue is seeded on first use
    return jsonify({"dayparts": [daypart_json(d) for d in rows]})


@bp.post("/dayparts")
@requires("edit")
def create_daypart():
    session = db_session()
    daypart = dayparts.create_daypart(session, json_body(), actor())
    session.commit()
    return jsonify(daypart_json(daypart)), 201


@bp.put("/dayparts/<int:daypart_id>")
@requires("edit")
def update_daypart(daypart_id: int):
    session = db_session()
    daypart = dayparts.get_daypart(session, daypart_id)
    dayparts.update_daypart(session, daypart, json_body(), actor())
    session.commit()
    return jsonify(daypart_json(daypart))
