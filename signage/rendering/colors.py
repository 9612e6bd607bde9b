"""Hex colour parsing: ``#rgb``, ``#rrggbb`` and ``#rrggbbaa``."""

from __future__ import annotations

import re

from .model import RenderError

RGBA = tuple[int, int, int, int]

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def is_color(value: object) -> bool:
    return isinstance(value, str) and _HEX.fullmatch(value) is not None


def parse_color(value: str) -> RGBA:
    """Return (r, g, b, a). Raises RenderError for anything but a hex colour (validated
    layouts only hold hex colours)."""
    if not is_color(value):
        raise RenderError("color", "not_a_colour")
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if len(digits) == 6:
        digits += "ff"
    r, g, b, a = (int(digits[i : i + 2], 16) for i in range(0, 8, 2))
    return r, g, b, a
