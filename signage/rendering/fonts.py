"""Font files, a cache of FreeType font objects, and cheap scaled measurements.

FreeType faces are not thread-safe: hold RENDER_LOCK while using any font from here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontpkg_be_vietnam_pro
import fontpkg_noto_sans
from PIL import ImageFont

RENDER_LOCK = threading.RLock()

# Size at which word widths and glyph extents are measured once, then scaled linearly.
REF_SIZE = 200

_BVP_WEIGHTS = {
    100: "Thin",
    200: "ExtraLight",
    300: "Light",
    400: "Regular",
    500: "Medium",
    600: "SemiBold",
    700: "Bold",
    800: "ExtraBold",
    900: "Black",
}


@dataclass(frozen=True)
class Face:
    family: str = "Be Vietnam Pro"
    weight: int = 400
    italic: bool = False


def face_file(face: Face) -> tuple[str, bool]:
    """(path of the font file, whether it is a variable font with a weight axis)."""
    if face.family == "Noto Sans":
        name = "NotoSans-Italic[wdth,wght].ttf" if face.italic else "NotoSans[wdth,wght].ttf"
        return str(Path(fontpkg_noto_sans.ROOT) / "files" / name), True
    style = _BVP_WEIGHTS[face.weight]
    if face.italic:
        style = "Italic" if style == "Regular" else style + "Italic"
    return str(Path(fontpkg_be_vietnam_pro.ROOT) / "files" / f"BeVietnamPro-{style}.ttf"), False


def get_font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    path, variable = face_file(face)
    return _load(path, size, face.weight if variable else None)


@lru_cache(maxsize=256)
def _load(path: str, size: int, weight: int | None) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(path, size)
    if weight is not None:
        axes = font.get_variation_axes()
        values = [weight if axis["name"] == b"Weight" else axis["default"] for axis in axes]
        font.set_variation_by_axes(values)
    return font


class RefMetrics:
    """Word advances and per-character ink extents at REF_SIZE, memoised.

    Advances scale linearly with size (layout is unhinted); ink extents only roughly, so
    callers use these to search for a size and then measure the real lines.
    """

    _LIMIT = 50_000

    def __init__(self, face: Face) -> None:
        self.font = get_font(face, REF_SIZE)
        self._widths: dict[str, float] = {}
        self._extents: dict[str, tuple[int, int]] = {}
        self.space = self.font.getlength(" ")

    def width(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) > self._LIMIT:
                self._widths.clear()
            width = self._widths[text] = self.font.getlength(text)
        return width

    def extent(self, char: str) -> tuple[int, int]:
        """(top, bottom) of the character's ink relative to the baseline (top < 0)."""
        found = self._extents.get(char)
        if found is None:
            if len(self._extents) > self._LIMIT:
                self._extents.clear()
            _, top, _, bottom = self.font.getbbox(char, anchor="ls") if char.strip() else (0,) * 4
            found = self._extents[char] = (top, bottom)
        return found


@lru_cache(maxsize=64)
def ref_metrics(face: Face) -> RefMetrics:
    return RefMetrics(face)
