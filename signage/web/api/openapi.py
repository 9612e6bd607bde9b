"""The OpenAPI 3 description of the admin API and the player protocol."""

from __future__ import annotations

from functools import cache

from signage import __version__

ERROR = {"$ref": "#/components/schemas/Error"}
ID_PARAM = {"in": "path", "required": True, "schema": {"type": "integer"}}


def _obj(required: list[str], **props) -> dict:
    return {"type": "object", "required": required, "properties": props}


STR, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": "number"}
TIME = {"type": "string", "format": "date-time"}
IDS = {"type": "array", "items": INT}

SCHEMAS = {
    "Error": _obj(["error", "details"], error=STR, details={"type": "array", "items": {}}),
    "Board": _obj(
        ["name", "width", "height"], name=STR, width=INT, height=INT, timezone=STR, groups=IDS
    ),
    "Group": _obj(["name"], name=STR, parent_id=INT),
    "Slide": _obj(
        ["layout_id", "fields"],
        layout_id=INT,
        fields={"type": "object", "additionalProperties": True},
        duration_s=INT,
        valid_from=TIME,
        valid_until=TIME,
    ),
    "Playlist": _obj(
        ["name", "items"],
        name=STR,
        items={"type": "array", "items": _obj(["slide_id"], slide_id=INT, duration_s=INT)},
    ),
    "Schedule": _obj(
        ["playlist_id", "targets", "starts_at"],
        playlist_id=INT,
        name=STR,
        targets=_obj([], boards=IDS, groups=IDS),
        starts_at=TIME,
        ends_at=TIME,
        days={"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}},
        time_from={"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
        time_to={"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
        rrule=STR,
        priority={"type": "integer", "minimum": 0, "maximum": 100},
        kind={"type": "string", "enum": ["normal", "emergency"]},
    ),
    "Item": _obj(
        ["slide_id", "revision", "url", "sha256", "mime", "width", "height", "duration_s"],
        slide_id=INT,
        revision=INT,
        url=STR,
        sha256=STR,
        mime=STR,
        width=INT,
        height=INT,
        duration_s=INT,
    ),
    "Segment": _obj(
        ["start", "end", "priority", "items"],
        start=TIME,
        end=TIME,
        priority=INT,
        kind=STR,
        items={"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
    ),
    "Play": _obj(
        ["id", "slide_id", "sha256", "started_at", "duration_s"],
        id=STR,
        slide_id=INT,
        sha256=STR,
        started_at=TIME,
        duration_s=NUM,
    ),
    "Heartbeat": _obj(
        ["player_version"],
        player_version=STR,
        current={"type": "object", "nullable": True},
        screen=_obj([], width=INT, height=INT),
        uptime_s=INT,
    ),
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _op(
    summary: str,
    status: str = "200",
    body: str | None = None,
    multipart=False,
    params=(),
    security="user",
) -> dict:
    errors = {
        code: {"description": text, "content": {"application/json": {"schema": ERROR}}}
        for code, text in (
            ("401", "not authenticated"),
            ("403", "role may not do this"),
            ("422", "validation error; details name the field"),
        )
    }
    op = {
        "summary": summary,
        "responses": {status: {"description": "success"}, **errors},
        "security": [{"bearer": []}] if security else [],
        "parameters": list(params),
    }
    if body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    if multipart:
        op["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": _obj(["file"], file={"type": "string", "format": "binary"})
                }
            },
        }
    return op


def _q(name: str, schema=STR) -> dict:
    return {"in": "query", "name": name, "schema": schema}


def _id(name: str) -> dict:
    return {**ID_PARAM, "name": name}


def _paths() -> dict:
    slide = _id("slide_id")
    return {
        "/boards": {
            "post": _op("Register a board; the token is shown once", "201", "Board"),
            "get": _op("List boards"),
        },
        "/boards/{board_id}": {"get": _op("One board and its status", params=[_id("board_id")])},
        "/boards/{board_id}/pair": {
            "post": _op("Bind a pairing code to this board", params=[_id("board_id")])
        },
        "/boards/{board_id}/timeline": {
            "get": _op(
                "Segments for any window",
                params=[_id("board_id"), _q("from", TIME), _q("to", TIME)],
            )
        },
        "/groups": {"post": _op("Create a group", "201", "Group"), "get": _op("List groups")},
        "/layouts": {
            "get": _op("Layouts with their fields"),
            "post": _op("Upload a layout (JSON)", "201", multipart=True),
        },
        "/assets": {"post": _op("Upload an image (PNG, JPEG, WebP)", "201", multipart=True)},
        "/slides": {"post": _op("Create a slide (draft)", "201", "Slide"), "get": _op("List")},
        "/slides/{slide_id}": {
            "get": _op("One slide", params=[slide]),
            "put": _op("Edit (new revision if approved)", body="Slide", params=[slide]),
        },
        "/slides/{slide_id}/render": {
            "get": _op("Preview image", params=[slide, _q("width", INT), _q("height", INT)])
        },
        "/slides/{slide_id}/submit": {"post": _op("Submit for approval", params=[slide])},
        "/slides/{slide_id}/approve": {"post": _op("Approve", params=[slide])},
        "/slides/{slide_id}/reject": {"post": _op("Reject with a reason", params=[slide])},
        "/playlists": {"post": _op("Create a playlist", "201", "Playlist"), "get": _op("List")},
        "/playlists/{playlist_id}": {
            "put": _op("Replace name and items", body="Playlist", params=[_id("playlist_id")])
        },
        "/schedules": {"post": _op("Schedule a playlist", "201", "Schedule"), "get": _op("List")},
        "/schedules/{schedule_id}": {"delete": _op("Remove", "204", params=[_id("schedule_id")])},
        "/reports/plays": {
            "get": _op(
                "Proof of play (json or csv)",
                params=[
                    _q("from", TIME),
                    _q("to", TIME),
                    _q("board_id", INT),
                    _q("slide_id", INT),
                    _q("format", {"type": "string", "enum": ["json", "csv"]}),
                ],
            )
        },
        "/player/pairings": {
            "post": _op("Start pairing (no auth, rate-limited)", "201", security=None)
        },
        "/player/pairings/{pairing_id}": {
            "get": _op(
                "Pairing status; the token is handed out once",
                security=None,
                params=[{**_id("pairing_id"), "schema": STR}],
            )
        },
        "/player/manifest": {"get": _op("The board's manifest; ETag and 304")},
        "/player/plays": {"post": _op("Report plays, idempotent by id")},
        "/player/heartbeat": {"post": _op("Report health", "204", "Heartbeat")},
    }


@cache
def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Signage scheduler API", "version": __version__},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": _paths(),
    }
