"""Schemas of the OpenAPI document: request bodies, responses and the player protocol."""

from __future__ import annotations


def obj(required: list[str], **props) -> dict:
    schema = {"type": "object", "properties": props}
    if required:  # OpenAPI 3.0 forbids an empty "required" list
        schema["required"] = required
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


ERROR = {"$ref": "#/components/schemas/Error"}
STR, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": "number"}
TIME = {"type": "string", "format": "date-time"}
IDS = {"type": "array", "items": INT}
TRANSITION = {
    "type": "string",
    "enum": ["cut", "crossfade"],
    "default": "cut",
    "description": "how the player changes from one item to the next",
}

# What staff set on a board: the same fields to register, change or pair one.
BOARD_SETTINGS = dict(
    name=STR, width=INT, height=INT, timezone=STR, groups=IDS, transition=TRANSITION
)

SCHEMAS = {
    "Error": obj(
        ["error", "code", "details"],
        error={**STR, "description": "words in the request's language (session, Accept-Language)"},
        code={**STR, "description": "stable snake_case code; never changes with the language"},
        details={"type": "array", "items": ref("Problem")},
    ),
    "Problem": {
        **obj(
            ["code", "message"],
            field={**STR, "description": "the field, e.g. items[0].slide_id"},
            path={**STR, "description": "or the JSON path, e.g. $.regions[2].box"},
            code=STR,
            message={**STR, "description": "the code in words, in the request's language"},
        ),
        "additionalProperties": True,
        "description": "one problem; the code's parameters (e.g. low, high) are extra keys",
    },
    "Board": obj(["name", "width", "height"], **BOARD_SETTINGS),
    "BoardUpdate": {
        **obj([], **BOARD_SETTINGS),
        "description": "only the keys sent change; the board's cached manifest is rebuilt",
    },
    "BoardPairing": obj(
        ["code", "name", "width", "height"],
        code={**STR, "description": "the code the new board's screen shows"},
        **BOARD_SETTINGS,
    ),
    "BoardState": obj(
        ["id", "name", "width", "height", "timezone", "transition", "groups", "status"],
        id=INT,
        name=STR,
        width=INT,
        height=INT,
        timezone=STR,
        transition=TRANSITION,
        groups=IDS,
        status={
            "type": "string",
            "enum": ["online", "offline", "never"],
            "description": "offline: no heartbeat for longer than the server's offline_after_s "
            "setting (180 s by default); never: no heartbeat yet",
        },
        last_seen_at={**TIME, "nullable": True, "description": "the last heartbeat"},
        offline_since={**TIME, "nullable": True, "description": "last_seen_at while offline"},
        current={**obj([], slide_id=INT, sha256=STR), "nullable": True},
        player_version={**STR, "nullable": True},
        screen={**obj([], width=INT, height=INT), "nullable": True},
        screen_mismatch={
            "type": "boolean",
            "description": "the reported screen differs from the board's width and height",
        },
        uptime_s={**INT, "nullable": True},
    ),
    "BoardList": obj(["boards"], boards={"type": "array", "items": ref("BoardState")}),
    "Group": obj(["name"], name=STR, parent_id=INT),
    "Slide": obj(
        ["layout_id", "fields"],
        layout_id=INT,
        fields={"type": "object", "additionalProperties": True},
        duration_s=INT,
        valid_from=TIME,
        valid_until=TIME,
    ),
    "Playlist": obj(
        ["name", "items"],
        name=STR,
        items={"type": "array", "items": obj(["slide_id"], slide_id=INT, duration_s=INT)},
    ),
    "Schedule": obj(
        ["playlist_id", "targets", "starts_at"],
        playlist_id=INT,
        name=STR,
        targets=obj([], boards=IDS, groups=IDS),
        starts_at=TIME,
        ends_at=TIME,
        days={"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}},
        time_from={"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
        time_to={"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
        rrule=STR,
        priority={"type": "integer", "minimum": 0, "maximum": 100},
        kind={"type": "string", "enum": ["normal", "emergency"]},
        daypart_id={**INT, "description": "instead of days, time_from and time_to"},
        exdates={
            "type": "array",
            "maxItems": 366,
            "items": {"type": "string", "format": "date"},
            "description": "local dates whose window (the one starting that day) is skipped",
        },
    ),
    "Daypart": obj(
        ["name"],
        name={"type": "string", "maxLength": 80},
        days={"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}},
        time_from={"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
        time_to={"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
    ),
    "Item": obj(
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
    "Segment": obj(
        ["start", "end", "priority", "items"],
        start=TIME,
        end=TIME,
        priority=INT,
        kind=STR,
        items={"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
    ),
    "Play": obj(
        ["id", "slide_id", "sha256", "started_at", "duration_s"],
        id=STR,
        slide_id=INT,
        sha256=STR,
        started_at=TIME,
        duration_s=NUM,
    ),
    "SlideEdit": {
        "type": "object",
        "properties": {
            "layout_id": INT,
            "fields": {"type": "object", "additionalProperties": True},
            "duration_s": INT,
            "valid_from": TIME,
            "valid_until": TIME,
        },
    },
    "SlideState": obj(
        ["id", "revision", "status"],
        id=INT,
        revision=INT,
        status={"type": "string", "enum": ["draft", "pending", "approved", "rejected"]},
        playing_revision={"type": "integer", "nullable": True},
        reject_reason={"type": "string", "nullable": True},
    ),
    "BoardCreated": obj(["id", "token", "player_url"], id=INT, token=STR, player_url=STR, name=STR),
    "Created": obj(["id"], id=INT),
    "Asset": obj(["id", "sha256", "width", "height"], id=INT, sha256=STR, width=INT, height=INT),
    "LayoutDetail": obj(
        ["id", "key", "name", "version", "fields", "previews"],
        id=INT,
        key=STR,
        name=STR,
        version=INT,
        fields={"type": "array", "items": {}},
        schema_version=INT,
        previews={
            "type": "array",
            "items": obj(
                ["width", "height", "variant", "warnings"],
                width=INT,
                height=INT,
                variant=STR,
                warnings={"type": "array", "items": ref("Problem")},
                problems={"type": "array", "items": ref("Problem")},
            ),
        },
    ),
    "Relayout": obj([], layout_id=INT),
    "LayoutUploaded": obj(
        ["id", "name", "version", "warnings"],
        id=INT,
        name=STR,
        version=INT,
        warnings={"type": "array", "items": ref("Problem")},
    ),
    "Code": obj(["code"], code=STR),
    "Reason": obj(["reason"], reason=STR),
    "Timeline": obj(
        ["segments"], segments={"type": "array", "items": {"$ref": "#/components/schemas/Segment"}}
    ),
    "PlaysReport": obj(
        ["plays", "totals"],
        plays={"type": "array", "items": {"$ref": "#/components/schemas/Play"}},
        totals=obj([], plays=INT, duration_s=NUM),
    ),
    "PairingStarted": obj(
        ["pairing_id", "code", "expires_at"], pairing_id=STR, code=STR, expires_at=TIME
    ),
    "PairingStatus": obj(
        ["status"],
        status={"type": "string", "enum": ["pending", "claimed"]},
        token={**STR, "description": "claimed only; handed out once, later polls get 404"},
        expires_at={**TIME, "description": "pending only"},
    ),
    "Manifest": obj(
        [
            "board",
            "version",
            "generated_at",
            "valid_until",
            "server_time",
            "poll_seconds",
            "segments",
        ],
        board=obj(
            ["id", "name", "width", "height", "timezone", "transition"],
            id=INT,
            name=STR,
            width=INT,
            height=INT,
            timezone=STR,
            transition=TRANSITION,
        ),
        version=STR,
        generated_at=TIME,
        valid_until=TIME,
        server_time=TIME,
        poll_seconds=INT,
        segments={"type": "array", "items": {"$ref": "#/components/schemas/Segment"}},
    ),
    "PlayBatch": obj(
        ["plays"],
        plays={"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/Play"}},
    ),
    "PlaysAccepted": obj(["accepted", "duplicates"], accepted=INT, duplicates=INT),
    "Heartbeat": obj(
        [],
        player_version=STR,
        current={
            **obj([], slide_id=INT, sha256={"type": "string", "pattern": "^[0-9a-f]{64}$"}),
            "nullable": True,
        },
        screen={**obj([], width=INT, height=INT), "nullable": True},
        uptime_s=INT,
    ),
}
