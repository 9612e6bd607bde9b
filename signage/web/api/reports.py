"""Proof-of-play reports and the OpenAPI description."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, jsonify, request

from signage.services import reports, validation
from signage.services.errors import ValidationFailed
from signage.services.manifests import iso

from ..auth import public, requires
from ..context import db_session
from . import bp
from .common import query_instant
from .openapi import document

CSV_COLUMNS = ("id", "board_id", "slide_id", "sha256", "started_at", "duration_s")
FORMATS = ("json", "csv")


def _optional_id(name: str) -> int | None:
    value = request.args.get(name)
    return None if value in (None, "") else validation.integer(value, name, 1, 2**31)


def play_json(play) -> dict:
    return {
        "id": play.id,
        "board_id": play.board_id,
        "slide_id": play.slide_id,
        "sha256": play.sha256,
        "started_at": iso(play.started_at),
        "duration_s": play.duration_s,
    }


@bp.get("/reports/plays")
@requires("view")
def plays_report():
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise ValidationFailed.field("format", "not_one_of", allowed=list(FORMATS))
    rows, totals = reports.plays(
        db_session(),
        query_instant("from", required=False),
        query_instant("to", required=False),
        _optional_id("board_id"),
        _optional_id("slide_id"),
    )
    records = [play_json(p) for p in rows]
    if fmt == "json":
        return jsonify({"plays": records, "totals": totals})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(records)
    disposition = "attachment; filename=plays.csv"
    return Response(
        out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": disposition}
    )


@bp.get("/openapi.json")
@public
def openapi():
    return Response(json.dumps(document(), ensure_ascii=False), mimetype="application/json")
