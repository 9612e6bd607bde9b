"""Slides: list, write, edit, preview at every board size, submit, approve and reject."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from signage.services import accounts, layout_previews, layouts, printing, slides

from ..auth import actor, requires
from ..context import db_session, runtime
from . import bp
from .common import attempt, or_404, render_problems
from .messages import field_label
from .slide_form import (
    asset_choices,
    blank_values,
    field_inputs,
    preview_version,
    read_slide_data,
    revision_values,
    submitted_values,
)


def layout_name(layout) -> str:
    return layouts.display_name(layout.spec, str(get_locale() or "vi"))


@bp.get("/slides", endpoint="slides")  # the function name must not shadow the service
@requires("view")
def slides_list():
    status = request.args.get("status")
    status = status if status in slides.LIST_FILTERS else None  # anything else: every slide
    rows = slides.list_slides(db_session(), status)
    return render_template(
        "admin/slides.html",
        slides=rows,
        status=status,
        statuses=slides.STATUSES,
        layout_name=layout_name,
        names=accounts.usernames(db_session(), (s.created_by_id for s in rows)),
    )


@bp.get("/slides/new")
@requires("edit")
def slide_new():
    choices = [(layout, field_inputs(layout)) for layout in layouts.current_layouts(db_session())]
    return render_template("admin/slide_layouts.html", choices=choices, layout_name=layout_name)


def _form_page(layout, values: dict, problems=None, slide=None):
    return render_problems(
        "admin/slide_form.html",
        problems,
        layout=layout,
        layout_name=layout_name,
        inputs=field_inputs(layout),
        values=values,
        assets=asset_choices(values),
        slide=slide,
    )


@bp.route("/slides/new/<int:layout_id>", methods=["GET", "POST"])
@requires("edit")
def slide_create(layout_id: int):
    layout = or_404(layouts.require_layout, db_session(), layout_id)
    if request.method == "GET":
        return _form_page(layout, blank_values())
    inputs = field_inputs(layout)
    slide, problems = attempt(
        lambda: slides.create_slide(
            db_session(),
            {"layout_id": layout.id, **read_slide_data(inputs)},
            actor(),
            runtime().store,
        )
    )
    if problems:
        return _form_page(layout, submitted_values(inputs), problems)
    flash(gettext("Slide saved as a draft. Submit it for approval when it is ready."), "success")
    return redirect(url_for("admin.slide_detail", slide_id=slide.id))


@bp.route("/slides/<int:slide_id>/edit", methods=["GET", "POST"])
@requires("edit")
def slide_edit(slide_id: int):
    slide = or_404(slides.get_slide, db_session(), slide_id)
    layout = slide.latest.layout
    if request.method == "GET":
        return _form_page(layout, revision_values(slide.latest), slide=slide)
    inputs = field_inputs(layout)
    revision, problems = attempt(
        lambda: slides.edit_slide(
            db_session(), slide, read_slide_data(inputs), actor(), runtime().store
        )
    )
    if problems:
        slide = slides.get_slide(db_session(), slide_id)  # as stored, after the rollback
        return _form_page(slide.latest.layout, submitted_values(inputs), problems, slide=slide)
    flash(gettext("Saved as draft revision %(number)s.", number=revision.number), "success")
    return redirect(url_for("admin.slide_detail", slide_id=slide.id))


def _people(slide) -> dict[int, str]:
    """Who wrote and who decided each revision, by user id."""
    revisions = slide.revisions
    ids = [r.created_by_id for r in revisions] + [r.decided_by_id for r in revisions]
    return accounts.usernames(db_session(), ids)


def detail_page(slide, problems=None, reason: str = "", status: int | None = None):
    session = db_session()
    sizes, registered = layout_previews.preview_sizes(session)
    page, code = render_problems(
        "admin/slide_detail.html",
        problems,
        previews=layout_previews.revision_previews(session, runtime().store, slide.latest),
        newer_layout=slides.newer_layout(session, slide.latest),
        print_presets=printing.PRESETS,
        print_values=request.args if request.endpoint == "admin.slide_print" else {},
        slide=slide,
        latest=slide.latest,
        playable=slide.playable,
        layout_name=layout_name,
        sizes=sizes,
        sizes_registered=registered,
        version=preview_version(slide),
        names=_people(slide),
        inputs=field_inputs(slide.latest.layout),
        field_label=field_label,
        reason=reason,
    )
    return page, status or code


@bp.get("/slides/<int:slide_id>")
@requires("view")
def slide_detail(slide_id: int):
    return detail_page(or_404(slides.get_slide, db_session(), slide_id))


def _decision(slide_id: int, change, done_message: str, reason: str = ""):
    """Run submit/approve/reject; show the detail page with problems if it is refused."""
    slide = or_404(slides.get_slide, db_session(), slide_id)
    _, problems = attempt(lambda: change(db_session(), slide))
    if problems:  # the refused change was rolled back: show the slide as it is stored
        return detail_page(slides.get_slide(db_session(), slide_id), problems, reason)
    flash(done_message, "success")
    return redirect(url_for("admin.slide_detail", slide_id=slide_id))


@bp.post("/slides/<int:slide_id>/submit")
@requires("edit")
def slide_submit(slide_id: int):
    return _decision(
        slide_id,
        lambda s, slide: slides.submit(s, slide, actor(), runtime().store),
        gettext("Submitted for approval."),
    )


@bp.post("/slides/<int:slide_id>/approve")
@requires("approve")
def slide_approve(slide_id: int):
    return _decision(
        slide_id,
        lambda s, slide: slides.approve(s, slide, actor()),
        gettext("Approved: this revision now plays wherever the slide is scheduled."),
    )


@bp.post("/slides/<int:slide_id>/reject")
@requires("approve")
def slide_reject(slide_id: int):
    reason = request.form.get("reason", "")
    return _decision(
        slide_id,
        lambda s, slide: slides.reject(s, slide, reason, actor()),
        gettext("Rejected; the editor sees your reason."),
        reason,
    )
