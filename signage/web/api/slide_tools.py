"""Slide actions beyond the approval flow: move to a newer layout version, print export."""

from __future__ import annotations

from flask import jsonify, request

from signage.services import printing, slides

from ..auth import actor, requires
from ..bodies import json_body
from ..context import db_session, runtime
from ..presenters import print_response
from . import bp
from .common import slide_json


@bp.post("/slides/<int:slide_id>/relayout")
@requires("edit")
def relayout_slide(slide_id: int):
    """A new draft revision on another layout version (default: the newest of the same key)."""
    session = db_session()
    slide = slides.get_slide(session, slide_id)
    body = json_body() if request.get_data() else {}
    slides.relayout(session, slide, body.get("layout_id"), actor(), runtime().store)
    session.commit()
    return jsonify(slide_json(slide))


@bp.get("/slides/<int:slide_id>/print")
@requires("view")
def print_slide(slide_id: int):
    """A print-ready file: ?size=594x841mm|A1&dpi=150&bleed_mm=3&format=pdf|png."""
    session = db_session()
    slide = slides.get_slide(session, slide_id)
    settings = printing.read_request(request.args.to_dict())
    return print_response(printing.export_slide(session, runtime().store, slide, settings))
