"""Slide detail actions: move a slide on to a newer layout version, and export it for print."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext

from signage.services import printing, slides
from signage.services.errors import ServiceError

from ..auth import actor, requires
from ..context import db_session, runtime
from ..presenters import print_response
from . import bp
from .common import attempt, or_404, problems_of
from .views_slides import detail_page


@bp.post("/slides/<int:slide_id>/relayout")
@requires("edit")
def slide_relayout(slide_id: int):
    slide = or_404(slides.get_slide, db_session(), slide_id)
    layout_id = request.form.get("layout_id", "").strip()
    target = int(layout_id) if layout_id.isdigit() else None
    revision, problems = attempt(
        lambda: slides.relayout(db_session(), slide, target, actor(), runtime().store)
    )
    if problems:  # the refused change was rolled back: show the slide as it is stored
        return detail_page(slides.get_slide(db_session(), slide_id), problems)
    flash(
        gettext(
            "Draft revision %(number)s uses layout version %(version)s; submit it for approval.",
            number=revision.number,
            version=revision.layout.version,
        ),
        "success",
    )
    return redirect(url_for("admin.slide_detail", slide_id=slide_id))


def _custom_size(form) -> str:
    """The size text from the form: a preset, or custom width x height in mm or cm."""
    preset = form.get("preset", "")
    if preset in printing.PRESETS:
        return printing.PRESETS[preset]
    unit = form.get("unit", "mm") if form.get("unit") in ("mm", "cm") else "mm"
    width, height = form.get("width", "").strip(), form.get("height", "").strip()
    return f"{width}x{height}{unit}"


@bp.get("/slides/<int:slide_id>/print")
@requires("view")
def slide_print(slide_id: int):
    """Download the slide as a print-ready file; bad settings re-show the form with a 422."""
    session = db_session()
    slide = or_404(slides.get_slide, session, slide_id)
    form = request.args
    params = {**form.to_dict(), "size": form.get("size") or _custom_size(form)}
    try:
        settings = printing.read_request(params)
        file = printing.export_slide(session, runtime().store, slide, settings)
    except ServiceError as exc:
        return detail_page(slide, problems_of(exc), status=exc.status)
    return print_response(file)
