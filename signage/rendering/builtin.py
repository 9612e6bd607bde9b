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


def sample_fields(spec: dict) -> dict[str, str]:
    """The layout's sample content for previews ({} when it has none), by declared field.

    A sample image is named "assets/<file>", a picture shipped in the project's assets
    folder; ``sample_images(spec)`` gives its bytes under that same reference.
    """
    sample = spec.get("sample") or {}
    return {f["name"]: sample[f["name"]] for f in spec["fields"] if f["name"] in sample}


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
            raise ValueError(f"built-in layout {path.name} is invalid: {exc}") from exc
        texts.append(text)
    return tuple(texts)
