"""The built-in layouts shipped in the top-level ``layouts/`` folder, and sample content."""

from __future__ import annotations

import json
from functools import cache

from signage.resources import resource_dir

from .validate import validate_layout

SAMPLE_ASSET_PREFIX = "assets/"


def builtin_layouts() -> list[dict]:
    """The specs from layouts/*.json, validated, sorted by "key" (fresh copies each call)."""
    specs = [json.loads(text) for text in _texts()]
    return sorted(specs, key=lambda spec: spec["key"])


# Preview text for a layout that brings no sample of its own; facts from the directive only.
DEFAULT_SAMPLE = {
    "title": "Chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030",
    "body": "Nghị quyết số 49-NQ/TU ngày 28/9/2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn.",
    "caption": "Tuyên truyền Nghị quyết số 49-NQ/TU",
    "link": "http://tuyengiaolangson.vn",
}


def sample_fields(spec: dict) -> dict[str, str]:
    """The layout's sample content for previews, by declared field; text and link fields the
    layout gives no sample for get a default about Resolution 49, cut to the field's limit.

    A sample image is named "assets/<file>", a picture shipped in the project's assets
    folder; ``sample_images(spec)`` gives its bytes under that same reference.
    """
    sample = spec.get("sample") or {}
    chosen = {}
    for field in spec["fields"]:
        name = field["name"]
        if name in sample:
            chosen[name] = sample[name]
        elif name in DEFAULT_SAMPLE:
            chosen[name] = DEFAULT_SAMPLE[name][: field.get("max_length") or None]
    return chosen


def sample_images(spec: dict) -> dict[str, bytes]:
    """{reference: bytes} for the sample images of spec, to pass to render(images=...)."""
    images = {}
    for name, value in sample_fields(spec).items():
        if name == "image" and value.startswith(SAMPLE_ASSET_PREFIX):
            file = value.removeprefix(SAMPLE_ASSET_PREFIX)
            path = resource_dir("assets") / file
            if "/" not in file and path.is_file():
                images[value] = path.read_bytes()
    return images


@cache
def _texts() -> tuple[str, ...]:
    texts = []
    for path in sorted(resource_dir("layouts").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        try:
            validate_layout(json.loads(text))
        except ValueError as exc:
            exc.add_note(f"in the built-in layout {path.name}")  # for whoever edited it
            raise
        texts.append(text)
    return tuple(texts)
