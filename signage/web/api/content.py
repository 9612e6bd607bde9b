"""Assets and slides."""

from __future__ import annotations

from flask import Response, jsonify, request

from signage.services import assets, layout_previews, slides, validation
from signage.services.errors import ValidationFailed

from ..auth import actor, requires
from ..bodies import json_body
from ..context import db_session, runtime
from . import bp
from .common import slide_json


def uploaded_file() -> bytes:
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed.field("file", "multipart_file_missing")
    return upload.read()


@bp.post("/assets")
@requires("upload")
def upload_asset():
    session = db_session()
    asset = assets.upload_asset(session, runtime().store, uploaded_file(), actor())
    session.commit()
    body = {"id": asset.id, "sha256": asset.sha256, "width": asset.width, "height": asset.height}
    return jsonify(body), 201


@bp.post("/slides")
@requires("edit")
def create_slide():
    session = db_session()
    slide = slides.create_slide(session, json_body(), actor(), runtime().store)
    session.commit()
    return jsonify(slide_json(slide)), 201


@bp.get("/slides")
@requires("view")
def list_slides():
    status = request.args.get("status") or None
    rows = slides.list_slides(db_session(), status)
    return jsonify({"slides": [slide_json(s) for s in rows]})


@bp.get("/slides/<int:slide_id>")
@requires("view")
def get_slide(slide_id: int):
    return jsonify(slide_json(slides.get_slide(db_session(), slide_id)))


@bp.put("/slides/<int:slide_id>")
@requires("edit")
def edit_slide(slide_id: int):
    session = db_session()
    slide = slides.get_slide(session, slide_id)
    slides.edit_slide(session, slide, json_body(), actor(), runtime().store)
    session.commit()
    return jsonify(slide_json(slide))


@bp.get("/slides/<int:slide_id>/render")
@requires("view")
def render_slide(slide_id: int):
    """A preview of the latest revision at any size; previews are never stored."""
    session = db_session()
    slide = slides.get_slide(session, slide_id)
    width = validation.integer(request.args.get("width", "1920"), "width", 16, 8192)
    height = validation.integer(request.args.get("height", "1080"), "height", 16, 8192)
    result = layout_previews.render_slide(session, runtime().store, slide.latest, width, height)
    response = Response(result.data, mimetype=result.mime)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Render-Warnings"] = str(len(result.warnings))
    return response


def _transition(slide_id: int, change) -> tuple:
    session = db_session()
    slide = slides.get_slide(session, slide_id)
    change(session, slide)
    session.commit()
    return jsonify(slide_json(slide))


@bp.post("/slides/<int:slide_id>/submit")
@requires("edit")
def submit_slide(slide_id: int):
    return _transition(slide_id, lambda s, slide: slides.submit(s, slide, actor(), runtime().store))


@bp.post("/slides/<int:slide_id>/approve")
@requires("approve")
def approve_slide(slide_id: int):
    return _transition(slide_id, lambda s, slide: slides.approve(s, slide, actor()))


@bp.post("/slides/<int:slide_id>/reject")
@requires("approve")
def reject_slide(slide_id: int):
    reason = json_body().get("reason")
    return _transition(slide_id, lambda s, slide: slides.reject(s, slide, reason, actor()))
