"""Layout format constants and defaults (the structure itself is in layout.schema.json)."""

from __future__ import annotations

from typing import Any

FAMILIES = ("Be Vietnam Pro", "Noto Sans", "Noto Serif")

# Field names are shared by every layout so content can move between layouts.
SHARED_FIELDS = {
    "title": "text",
    "body": "text",
    "caption": "text",
    "image": "image",
    "link": "link",
}
DEFAULT_MAX_LENGTH = {"text": 500, "image": 200, "link": 500}
REGION_FIELD_KIND = {"text": "text", "image": "image", "qr": "link"}

DEFAULTS: dict[str, dict[str, Any]] = {
    "rect": {"radius": 0},
    "text": {
        "family": "Be Vietnam Pro",
        "weight": 400,
        "italic": False,
        "color": "#ffffff",
        "align": "left",
        "valign": "top",
        "line_height": 1.2,
        "min_size_px": 12,
        "max_size_px": None,
        "max_size_fraction": None,
        "max_lines": None,
        "transform": "none",
        "balance": False,
        "outline": None,
        "shadow": None,
    },
    "image": {"fit": "cover", "focus": [0.5, 0.5]},
    "qr": {
        "color": "#000000",
        "background": "#ffffff",
        "quiet_zone": 4,
        "min_size_px": 100,
        "align": "center",
        "valign": "middle",
        "caption": None,
        "caption_color": "#ffffff",
    },
}


def with_defaults(region: dict[str, Any]) -> dict[str, Any]:
    """A region with every optional property filled in (for a validated region)."""
    return {**DEFAULTS[region["kind"]], **region}
