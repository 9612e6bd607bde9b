"""The OpenAPI 3 description of the admin API and the player protocol."""

from __future__ import annotations

from functools import cache

from signage import __version__
from signage.services.slides import LIST_FILTERS

from .openapi_schemas import ERROR, INT, SCHEMAS, STR, TIME, obj, ref

ID_PARAM = {"in": "path", "required": True, "schema": {"type": "integer"}}

ERROR_TEXT = {
    "401": "not authenticated, or an unknown or revoked token",
    "403": "your role may not do this",
    "404": "no such object",
    "409": "not possible in the object's current state",
    "413": "the file is too large",
    "415": "the file is not an accepted type",
    "422": "validation error; details name the field or JSON path",
    "429": "too many requests; try again later",
}


def _op(
    summary: str,
    status: str = "200",
    body: str | None = None,
    multipart=False,
    params=(),
    security="bearer",
    returns: str | None = None,
    errors: tuple[str, ...] = ("401", "403", "422"),
) -> dict:
    success: dict = {"description": "success"}
    if returns:
        success["content"] = {"application/json": {"schema": ref(returns)}}
    op = {
        "summary": summary,
        "responses": {
            status: success,
            **{
                code: {
                    "description": ERROR_TEXT[code],
                    "content": {"application/json": {"schema": ERROR}},
                }
                for code in errors
            },
        },
        "security": [{security: []}] if security else [],
        "parameters": list(params),
    }
    if body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(body)}},
        }
    if multipart:
        op["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": obj(["file"], file={"type": "string", "format": "binary"})
                }
            },
        }
    return op


def _q(name: str, schema=STR, required: bool = False) -> dict:
    return {"in": "query", "name": name, "schema": schema, "required": required}


def _id(name: str) -> dict:
    return {**ID_PARAM, "name": name}


SLIDE_FILTER = {**STR, "enum": list(LIST_FILTERS)}
READ = ("401", "403")
FOUND = ("401", "403", "404")
CHANGE = ("401", "403", "404", "409", "422")
PLAYER = ("401", "422")


def _admin_paths() -> dict:
    slide, board, layout = _id("slide_id"), _id("board_id"), _id("layout_id")
    return {
        "/boards": {
            "post": _op(
                "Register a board; the token is shown once", "201", "Board", returns="BoardCreated"
            ),
            "get": _op("List boards with their status", returns="BoardList", errors=READ),
        },
        "/boards/{board_id}": {
            "get": _op(
                "One board and its status", params=[board], returns="BoardState", errors=FOUND
            ),
            "put": _op(
                "Change a board's settings",
                body="BoardUpdate",
                params=[board],
                returns="BoardState",
                errors=FOUND + ("422",),
            ),
        },
        "/boards/pair": {
            "post": _op(
                "Register a board and bind the code its screen shows; the player receives the"
                " token (wrong codes are rate-limited per user and per address)",
                "201",
                "BoardPairing",
                returns="BoardState",
                errors=("401", "403", "422", "429"),
            )
        },
        "/boards/{board_id}/pair": {
            "post": _op(
                "Bind a pairing code to this board (wrong codes are rate-limited per user and"
                " per address)",
                body="Code",
                params=[board],
                errors=FOUND + ("422", "429"),
            )
        },
        "/boards/{board_id}/timeline": {
            "get": _op(
                "Segments for any window of up to 31 days",
                params=[board, _q("from", TIME, True), _q("to", TIME, True)],
                returns="Timeline",
                errors=FOUND + ("422",),
            )
        },
        "/boards/{board_id}/explain": {
            "get": _op(
                "What plays at an instant (default now), the winning schedule and why the others"
                " do not play",
                params=[board, _q("at", TIME)],
                errors=FOUND + ("422",),
            )
        },
        "/groups": {
            "post": _op(
                "Create a group",
                "201",
                "Group",
                returns="Created",
                errors=("401", "403", "409", "422"),
            ),
            "get": _op("List groups", errors=READ),
        },
        "/layouts": {
            "get": _op("Layouts with their fields", errors=READ),
            "post": _op(
                "Upload a layout: a JSON document or a layout package (zip with layout.json)",
                "201",
                multipart=True,
                returns="LayoutUploaded",
            ),
        },
        "/layouts/{layout_id}": {
            "get": _op(
                "One layout version, previewed with sample content at every board size",
                params=[layout],
                returns="LayoutDetail",
                errors=FOUND,
            )
        },
        "/layouts/{layout_id}/preview": {
            "get": _op(
                "Sample-content image at width x height; header X-Layout-Variant names the variant",
                params=[layout, _q("width", INT), _q("height", INT)],
                errors=FOUND + ("422",),
            )
        },
        "/assets": {
            "post": _op(
                "Upload an image (PNG, JPEG, WebP)",
                "201",
                multipart=True,
                returns="Asset",
                errors=("401", "403", "413", "415", "422"),
            )
        },
        "/slides": {
            "post": _op("Create a slide (draft)", "201", "Slide", returns="SlideState"),
            "get": _op(
                "List slides, optionally only those with a status",
                params=[_q("status", SLIDE_FILTER)],
                errors=READ + ("422",),
            ),
        },
        "/slides/{slide_id}": {
            "get": _op("One slide", params=[slide], returns="SlideState", errors=FOUND),
            "put": _op(
                "Edit; an approved slide gets a new draft revision",
                body="SlideEdit",
                params=[slide],
                returns="SlideState",
                errors=FOUND + ("422",),
            ),
        },
        "/slides/{slide_id}/render": {
            "get": _op(
                "Preview image (PNG or JPEG) of the latest revision",
                params=[slide, _q("width", INT), _q("height", INT)],
                errors=FOUND + ("422",),
            )
        },
        "/slides/{slide_id}/relayout": {
            "post": _op(
                "Move to another layout version (default: the newest of the same key) as a new "
                "draft revision; the approved revision keeps playing",
                body="Relayout",
                params=[slide],
                returns="SlideState",
                errors=CHANGE,
            )
        },
        "/slides/{slide_id}/print": {
            "get": _op(
                "Print-ready PDF or PNG of the approved (else latest) revision",
                params=[
                    slide,
                    _q("size", STR, True),
                    _q("dpi", INT),
                    _q("bleed_mm", {"type": "number"}),
                    _q("format", {"type": "string", "enum": ["pdf", "png"]}),
                ],
                errors=FOUND + ("422",),
            )
        },
        "/slides/{slide_id}/submit": {
            "post": _op("Submit for approval", params=[slide], returns="SlideState", errors=CHANGE)
        },
        "/slides/{slide_id}/approve": {
            "post": _op("Approve", params=[slide], returns="SlideState", errors=CHANGE)
        },
        "/slides/{slide_id}/reject": {
            "post": _op(
                "Reject with a reason",
                body="Reason",
                params=[slide],
                returns="SlideState",
                errors=CHANGE,
            )
        },
        "/playlists": {
            "post": _op("Create a playlist", "201", "Playlist", returns="Created"),
            "get": _op("List playlists", errors=READ),
        },
        "/playlists/{playlist_id}": {
            "put": _op(
                "Replace name and items",
                body="Playlist",
                params=[_id("playlist_id")],
                errors=FOUND + ("422",),
            )
        },
        "/schedules": {
            "post": _op("Schedule a playlist", "201", "Schedule", returns="Created"),
            "get": _op("List schedules", errors=READ),
        },
        "/schedules/{schedule_id}": {
            "delete": _op("Remove", "204", params=[_id("schedule_id")], errors=FOUND)
        },
        "/dayparts": {
            "get": _op("List named dayparts (seeded with the standard ones)", errors=READ),
            "post": _op(
                "Create a named daypart",
                "201",
                "Daypart",
                returns="Created",
                errors=("401", "403", "409", "422"),
            ),
        },
        "/dayparts/{daypart_id}": {
            "put": _op(
                "Replace a daypart; every schedule using it follows",
                body="Daypart",
                params=[_id("daypart_id")],
                errors=FOUND + ("409", "422"),
            )
        },
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
                returns="PlaysReport",
            )
        },
    }


def _player_paths() -> dict:
    return {
        "/player/pairings": {
            "post": _op(
                "Start pairing (no auth, rate-limited: 10 a minute per address); the code lives"
                " 15 minutes and no other waiting screen shows it",
                "201",
                security=None,
                returns="PairingStarted",
                errors=("409", "429"),
            )
        },
        "/player/pairings/{pairing_id}": {
            "get": _op(
                "Pairing status; the token is handed out once, then 404",
                security=None,
                params=[{**_id("pairing_id"), "schema": STR}],
                returns="PairingStatus",
                errors=("404", "429"),
            )
        },
        "/player/manifest": {
            "get": _op(
                "The board's manifest; ETag, and 304 on If-None-Match",
                security="board",
                returns="Manifest",
                errors=("401",),
            )
        },
        "/player/plays": {
            "post": _op(
                "Report plays, idempotent by id",
                body="PlayBatch",
                security="board",
                returns="PlaysAccepted",
                errors=PLAYER,
            )
        },
        "/player/heartbeat": {
            "post": _op("Report health", "204", "Heartbeat", security="board", errors=PLAYER)
        },
    }


def _feed_op(summary: str, id_name: str) -> dict:
    op = _op(summary, params=[_id(id_name)], errors=FOUND)
    op["parameters"].append(
        {
            **_q("token"),
            "description": "a personal API token, for calendar apps that cannot "
            "send headers (these two feeds only)",
        }
    )
    op["responses"]["200"]["content"] = {"text/calendar": {"schema": {"type": "string"}}}
    return op


def _feed_paths() -> dict:
    return {
        "/boards/{board_id}/calendar.ics": {
            "get": _feed_op("iCalendar feed of the board's next 14 days", "board_id")
        },
        "/groups/{group_id}/calendar.ics": {
            "get": _feed_op("iCalendar feed of the group's next 14 days", "group_id")
        },
    }


def _paths() -> dict:
    return {**_admin_paths(), **_feed_paths(), **_player_paths()}


@cache
def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Signage scheduler API",
            "version": __version__,
            "description": (
                "The admin API and the player protocol v1. Outside /api/v1: GET /healthz "
                '(200 {"status": "ok", "worker": the active job runner or null}) and GET/HEAD '
                "/media/<sha256>.<ext> (immutable, byte ranges). Errors are JSON: "
                '{"error", "code", "details"}; "code" and each detail\'s "code" are stable, '
                '"error" and each detail\'s "message" are in the language of the request '
                "(the admin session's choice, else Accept-Language: vi or en, else vi)."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a personal API token (signage token create)",
                },
                "board": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a board's player token",
                },
            },
        },
        "paths": _paths(),
    }
