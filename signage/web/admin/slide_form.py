"""The slide form: one input per layout field, read back into the API-shaped data dict."""

from __future__ import annotations

import hashlib
import json

from flask import request

from signage.services import assets, layouts
from signage.services.errors import ServiceError, ValidationFailed, relocated

from ..auth import actor
from ..context import db_session, runtime
from .common import local_input, local_instant
from .messages import field_label

ASSET_CHOICES = 100
LONG_TEXT = 200  # text fields allowed more characters than this get a multi-line box


def field_inputs(layout) -> list[dict]:
    """The layout's fields with what the template needs to draw an input for each."""
    inputs = []
    for info in layouts.fields_of(layout):
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


def asset_choices(values: dict) -> list:
    """The newest uploads, plus any older image the form already holds."""
    held = [int(v) for v in values["fields"].values() if isinstance(v, str) and v.isdigit()]
    return assets.asset_choices(db_session(), ASSET_CHOICES, held)


def blank_values() -> dict:
    return {"fields": {}, "duration_s": "10", "valid_from": "", "valid_until": ""}


def revision_values(revision) -> dict:
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
        # The upload's problems, moved from the API's ``file`` onto the form's image field.
        raise relocated(exc, f"fields.{name}") from None
    return asset.id


def _image_value(name: str) -> int | None:
    uploaded = _uploaded_image(name)
    if uploaded is not None:
        return uploaded
    chosen = request.form.get(f"field_{name}", "").strip()
    if not chosen:
        return None
    if not chosen.isdigit():
        raise ValidationFailed.field(f"fields.{name}", "not_an_integer")
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


def preview_version(slide) -> str:
    """Changes whenever the latest revision's content does, so browsers fetch a new preview."""
    latest = slide.latest
    content = json.dumps(
        [latest.number, latest.layout_id, latest.fields, latest.duration_s],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()[:12]
