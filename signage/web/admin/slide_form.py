"""The slide form: one input per layout field, read back into the API-shaped data dict."""

from __future__ import annotations

import hashlib
import json

from flask import request
from sqlalchemy import select

from signage import rendering
from signage.models import Asset, Layout, Slide, SlideRevision
from signage.services import assets
from signage.services.boards import distinct_sizes
from signage.services.errors import ServiceError, ValidationFailed

from ..context import db_session, runtime
from .common import actor, local_input, local_instant
from .messages import field_label

ASSET_CHOICES = 100
LONG_TEXT = 200  # text fields allowed more characters than this get a multi-line box
FALLBACK_SIZES = [(1920, 1080)]


def field_inputs(layout: Layout) -> list[dict]:
    """The layout's fields with what the template needs to draw an input for each."""
    inputs = []
    for info in rendering.layout_fields(layout.spec):
        name, kind = info["name"], info["kind"]
        widget = kind
        if kind == "text":
            widget = "textarea" if name == "body" or info["max_length"] > LONG_TEXT else "text"
        inputs.append(
            {
                **info,
                "widget": widget,
                "label": field_label(f"fields.{name}"),
                "key": f"fields.{name}",
            }
        )
    return inputs


def asset_choices(values: dict) -> list[Asset]:
    """The newest uploads, plus any older image the form already holds."""
    query = select(Asset).order_by(Asset.id.desc()).limit(ASSET_CHOICES)
    choices = list(db_session().scalars(query))
    held = {v for v in values["fields"].values() if isinstance(v, str) and v.isdigit()}
    for asset_id in held - {str(a.id) for a in choices}:
        asset = db_session().get(Asset, int(asset_id))
        if asset is not None:
            choices.append(asset)
    return choices


def blank_values() -> dict:
    return {"fields": {}, "duration_s": "10", "valid_from": "", "valid_until": ""}


def revision_values(revision: SlideRevision) -> dict:
    """What the form shows for an existing revision."""
    return {
        "fields": {k: "" if v is None else str(v) for k, v in revision.fields.items()},
        "duration_s": str(revision.duration_s),
        "valid_from": local_input(revision.valid_from),
        "valid_until": local_input(revision.valid_until),
    }


def submitted_values(inputs: list[dict]) -> dict:
    """What the user typed, to show again when the form comes back with errors."""
    form = request.form
    return {
        "fields": {i["name"]: form.get(f"field_{i['name']}", "") for i in inputs},
        "duration_s": form.get("duration_s", ""),
        "valid_from": form.get("valid_from", ""),
        "valid_until": form.get("valid_until", ""),
    }


def _uploaded_image(name: str) -> int | None:
    upload = request.files.get(f"field_{name}_file")
    data = upload.read() if upload and upload.filename else b""
    if not data:
        return None
    try:
        asset = assets.upload_asset(db_session(), runtime().store, data, actor())
    except ServiceError as exc:
        message = exc.details[0]["message"] if exc.details else exc.message
        raise ValidationFailed.field(f"fields.{name}", message.removeprefix("file: ")) from None
    return asset.id


def _image_value(name: str) -> int | None:
    uploaded = _uploaded_image(name)
    if uploaded is not None:
        return uploaded
    chosen = request.form.get(f"field_{name}", "").strip()
    if not chosen:
        return None
    if not chosen.isdigit():
        raise ValidationFailed.field(f"fields.{name}", "must be an integer")
    return int(chosen)


def read_slide_data(inputs: list[dict]) -> dict:
    """The API-shaped slide dict from the posted form; uploads an image file if one came."""
    form = request.form
    fields = {}
    for info in inputs:
        name = info["name"]
        if info["kind"] == "image":
            fields[name] = _image_value(name)
        else:
            fields[name] = form.get(f"field_{name}", "")
    return {
        "fields": fields,
        "duration_s": form.get("duration_s", "").strip(),
        "valid_from": local_instant(form.get("valid_from"), "valid_from"),
        "valid_until": local_instant(form.get("valid_until"), "valid_until"),
    }


def preview_sizes() -> tuple[list[tuple[int, int]], bool]:
    """Every registered board size, or a stand-in when no board is registered yet."""
    sizes = distinct_sizes(db_session())
    return (sizes, True) if sizes else (FALLBACK_SIZES, False)


def preview_version(slide: Slide) -> str:
    """Changes whenever the latest revision's content does, so browsers fetch a new preview."""
    latest = slide.latest
    content = json.dumps(
        [latest.number, latest.layout_id, latest.fields, latest.duration_s],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()[:12]
