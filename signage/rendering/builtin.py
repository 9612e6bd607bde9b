"""The built-in layouts shipped in the top-level ``layouts/`` folder."""

from __future__ import annotations

import json
from functools import cache

from signage.resources import resource_dir

from .validate import validate_layout


def builtin_layouts() -> list[dict]:
    """The specs from layouts/*.json, validated, sorted by "key" (fresh copies each call)."""
    specs = [json.loads(text) for text in _texts()]
    return sorted(specs, key=lambda spec: spec["key"])


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
