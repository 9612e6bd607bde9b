"""Layouts: list, upload (a JSON document or a layout package), details and previews.

Warnings and problems are ``{"code", "field" or "path", ...params}`` dicts, like an error's
details, each with its ``message`` in the request's language."""

from __future__ import annotations

from flask import Response, jsonify, request

from signage.services import layout_previews, layouts

from ..auth import actor, requires
from ..context import db_session, runtime
from ..errors import worded_details
from . import bp
from .content import uploaded_file


def layout_json(layout) -> dict:
    return {
        "id": layout.id,
        "key": layout.key,
        "name": layout.name,
        "version": layout.version,
        "builtin": layout.builtin,
        "fields": layouts.fields_of(layout),
        "resources": sorted(layout.resources or {}),
    }


@bp.get("/layouts")
@requires("view")
def list_layouts():
    return jsonify({"layouts": [layout_json(x) for x in layouts.current_layouts(db_session())]})


@bp.post("/layouts")
@requires("design")
def upload_layout():
    session = db_session()
    layout, warnings = layouts.upload_layout(session, uploaded_file(), actor(), runtime().store)
    session.commit()
    return jsonify({**layout_json(layout), "warnings": worded_details(warnings)}), 201


@bp.get("/layouts/<int:layout_id>")
@requires("view")
def get_layout(layout_id: int):
    """One layout version with its sample content previewed at every registered board size."""
    session = db_session()
    layout = layouts.require_layout(session, layout_id)
    newest = layouts.newest_version(session, layout)
    store = runtime().store
    body = {
        **layout_json(layout),
        "schema_version": layout.spec.get("schema_version"),
        "newest_version_id": newest.id,
        "previews": [_worded(p) for p in layout_previews.layout_previews(session, store, layout)],
    }
    return jsonify(body)


def _worded(preview: dict) -> dict:
    words = {key: worded_details(preview[key]) for key in ("warnings", "problems")}
    return {**preview, **words}


@bp.get("/layouts/<int:layout_id>/preview")
@requires("view")
def preview_layout(layout_id: int):
    """The layout's sample content rendered at width x height; the variant is in a header."""
    session = db_session()
    layout = layouts.require_layout(session, layout_id)
    width, height = layout_previews.size_params(
        request.args.get("width", "1920"), request.args.get("height", "1080")
    )
    result = layout_previews.render_layout(runtime().store, layout, width, height)
    response = Response(result.data, mimetype=result.mime)
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Layout-Variant"] = layouts.variant_at(layout, width, height)
    response.headers["X-Render-Warnings"] = str(len(result.warnings))
    return response
