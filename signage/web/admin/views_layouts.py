"""Layouts: the current version of each template with its fields; designers upload new ones."""

from __future__ import annotations

import json

from flask import flash, redirect, request, url_for
from flask_babel import get_locale, gettext

from signage import wording
from signage.services import layout_previews, layouts
from signage.services.errors import ValidationFailed

from ..auth import actor, requires
from ..context import db_session, runtime
from ..words import locale as request_locale
from . import bp
from .common import attempt, or_404, render_problems


def _card(layout) -> dict:
    """What the layout pages show of one layout version, in the user's language."""
    locale = str(get_locale() or "vi")
    spec = layout.spec
    description = spec.get("description") or ""
    if isinstance(description, dict):
        description = description.get(locale) or description.get("vi") or ""
    return {
        "layout": layout,
        "name": layouts.display_name(spec, locale),
        "description": description,
        "fields": layouts.fields_of(spec),
        "variants": sorted(spec.get("variants", {})),
        "json": json.dumps(spec, ensure_ascii=False, indent=2),
    }


def _layouts_page(problems=None, document: str = ""):
    rows = [_card(layout) for layout in layouts.current_layouts(db_session())]
    return render_problems("admin/layouts.html", problems, layouts=rows, document=document)


@bp.get("/layouts", endpoint="layouts")  # the function name must not shadow the service
@requires("view")
def layouts_list():
    return _layouts_page()


def _upload():
    upload = request.files.get("file")
    data = upload.read() if upload and upload.filename else b""
    data = data or request.form.get("document", "").strip().encode("utf-8")
    if not data:
        raise ValidationFailed.field("file", "required")
    return layouts.upload_layout(db_session(), data, actor(), runtime().store)


def located(warning: dict) -> str:
    """A warning in the request's language, after the field or JSON path it is about."""
    return wording.located(warning, request_locale())


@bp.post("/layouts")
@requires("design")
def layout_upload():
    created, problems = attempt(_upload)
    if problems:
        return _layouts_page(problems, request.form.get("document", ""))
    layout, warnings = created
    flash(
        gettext(
            "Layout %(name)s saved as version %(version)s.",
            name=layout.name,
            version=layout.version,
        ),
        "success",
    )
    for warning in warnings:
        flash(gettext("Warning: %(message)s", message=located(warning)), "warning")
    return redirect(url_for("admin.layout_detail", layout_id=layout.id))


@bp.get("/layouts/<int:layout_id>")
@requires("view")
def layout_detail(layout_id: int):
    """One layout version with its sample content at every registered board size."""
    session = db_session()
    layout = or_404(layouts.require_layout, session, layout_id)
    sizes, registered = layout_previews.preview_sizes(session)
    return render_problems(
        "admin/layout_detail.html",
        None,
        row=_card(layout),
        previews=layout_previews.layout_previews(session, runtime().store, layout),
        sizes_registered=registered,
        versions=layouts.versions(session, layout.key),
        located=located,
    )
