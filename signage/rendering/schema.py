"""The layout format as data: which properties exist, their checks and defaults.

Each check takes a value and returns an error message, or None when the value is fine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .colors import is_color, parse_color

Check = Callable[[Any], str | None]

FAMILIES = ("Be Vietnam Pro", "Noto Sans")
SHAPES = ("landscape", "portrait", "small", "strip")

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


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(lo: float, hi: float, *, integer: bool = False, lo_open: bool = False) -> Check:
    kind = "a whole number" if integer else "a number"
    low = f"more than {lo}" if lo_open else f"at least {lo}"

    def check(value: Any) -> str | None:
        if not is_number(value) or (integer and not isinstance(value, int)):
            return f"must be {kind}, got {value!r}"
        if value < lo or (lo_open and value == lo) or value > hi:
            return f"must be {low} and at most {hi}, got {value!r}"
        return None

    return check


def one_of(*options: Any) -> Check:
    def check(value: Any) -> str | None:
        if value in options and isinstance(value, type(options[0])):
            return None
        listed = ", ".join(repr(o) for o in options)
        return f"must be one of {listed}, got {value!r}"

    return check


def color(*, opaque: bool = True) -> Check:
    def check(value: Any) -> str | None:
        if not is_color(value):
            return f"must be a colour like '#b71c1c', got {value!r}"
        if opaque and parse_color(value)[3] != 255:
            return f"must be an opaque colour (no alpha), got {value!r}"
        return None

    return check


def string(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"must be a non-empty string, got {value!r}"


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {value!r}"


def weight(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value in range(100, 901, 100):
        return None
    return f"must be one of 100, 200, ..., 900, got {value!r}"


_COMMON: dict[str, Check] = {"kind": string, "box": lambda v: None, "note": string}

REGION_PROPS: dict[str, dict[str, Check]] = {
    "rect": {
        **_COMMON,
        "fill": color(opaque=False),
        "radius": number(0, 0.5),
    },
    "text": {
        **_COMMON,
        "field": string,
        "text": string,
        "family": one_of(*FAMILIES),
        "weight": weight,
        "italic": boolean,
        "color": color(),
        "align": one_of("left", "center", "right"),
        "valign": one_of("top", "middle", "bottom"),
        "line_height": number(0.8, 3),
        "min_size_px": number(6, 1000, integer=True),
        "max_size_px": number(6, 4000, integer=True),
        "max_size_fraction": number(0, 1, lo_open=True),
        "max_lines": number(1, 100, integer=True),
        "transform": one_of("none", "uppercase"),
        "balance": boolean,
    },
    "image": {
        **_COMMON,
        "field": string,
        "fit": one_of("cover", "contain"),
    },
    "qr": {
        **_COMMON,
        "field": string,
        "color": color(),
        "background": color(),
        "quiet_zone": number(1, 4, integer=True),
        "min_size_px": number(21, 4000, integer=True),
        "align": one_of("left", "center", "right"),
        "valign": one_of("top", "middle", "bottom"),
        "caption": string,
        "caption_color": color(),
    },
}

REGION_REQUIRED = {"rect": ("box", "fill"), "text": ("box",), "image": ("box", "field")}
REGION_REQUIRED["qr"] = ("box", "field")

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
    },
    "image": {"fit": "cover"},
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

TOP_LEVEL = ("key", "name", "description", "version", "background")
TOP_LEVEL += ("fields", "regions", "variants")
TOP_REQUIRED = ("key", "name", "background", "fields", "regions")
FIELD_PROPS = ("name", "kind", "required", "max_length")
VARIANT_PROPS = ("regions", "background", "note")


def with_defaults(region: dict[str, Any]) -> dict[str, Any]:
    """A region with every optional property filled in (for a validated region)."""
    return {**DEFAULTS[region["kind"]], **region}
