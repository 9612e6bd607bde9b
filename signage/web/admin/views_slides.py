"""Slides: list, write, edit, preview at every board size, submit, approve and reject."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from sqlalchemy import select

from signage.models import SLIDE_STATUSES, Layout, Slide, User
from signage.services import layout_previews, layouts, printing, slides

from ..auth import requires
from ..context import db_session, runtime
from . import bp
from .common import actor, attempt, or_404, render_problems
from .slide_form import (
    asset_choices,
    blank_values,
    field_inputs,
    preview_sizes,
    preview_version,
    read_slide_data,
    revision_values,
    submitted_values,
)


def layout_name(layout: Layout) -> str:
    return layouts.display_name(layout.spec, str(get_locale() or "vi"))


def _user_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db_session().execute(select(User.id, User.username).where(User.id.in_(ids)))
    return dict(rows.all())


@bp.get("/slides", endpoint="slides")  # the function name must not shadow the service
@requires("view")
def slides_list():
    status = request.args.get("status")
    rows = slides.list_slides(db_session())
    if status in SLIDE_STATUSES:
        rows = [s for s in rows if s.latest.status == status]
    elif status == "on_air":
        rows = [s for s in rows if s.playable is not None]
    return render_template(
        "admin/slides.html",
        slides=rows,
        status=status,
        statuses=SLIDE_STATUSES,
        layout_name=layout_name,
        names=_user_names(s.created_by_id for s in rows),
    )


@bp.get("/slides/new")
@requires("edit")
def slide_new():
    choices = [(layout, field_inputs(layout)) for layout in layouts.current_layouts(db_session())]
    return render_template("admin/slide_layouts.html", choices=choices, layout_name=layout_name)


def _form_page(layout: Layout, values: dict, problems=None, slide: Slide | None = None):
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
        return _form_page(layout, submitted_values(inputs), problems, slide=slide)
    flash(gettext("Saved as draft revision %(number)s.", number=revision.number), "success")
    return redirect(url_for("admin.slide_detail", slide_id=slide.id))


def detail_page(slide: Slide, problems=None, reason: str = "", status: int | None = None):
    sizes, registered = preview_sizes()
    session = db_session()
    revisions = slide.revisions
    names = _user_names([r.created_by_id for r in revisions] + [r.decided_by_id for r in revisions])
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
        names=names,
        inputs=field_inputs(slide.latest.layout),
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
    if problems:
        return detail_page(slide, problems, reason)
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
