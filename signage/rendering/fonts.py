"""Font files, a cache of FreeType font objects, and cheap scaled measurements.

FreeType faces are not thread-safe: hold RENDER_LOCK while using any font from here.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import fontpkg_be_vietnam_pro
import fontpkg_noto_sans
import fontpkg_noto_serif
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
    """A font by family, weight and style; a layout package's fonts also carry their bytes.

    Packaged faces are compared and cached by the SHA-256 of their bytes (``digest``).
    """

    family: str = "Be Vietnam Pro"
    weight: int = 400
    italic: bool = False
    digest: str = ""
    data: bytes | None = field(default=None, compare=False, hash=False, repr=False)


def packaged_face(family: str, weight: int, italic: bool, data: bytes) -> Face:
    return Face(family, weight, italic, hashlib.sha256(data).hexdigest(), data)


_NOTO = {
    "Noto Sans": (fontpkg_noto_sans, "NotoSans"),
    "Noto Serif": (fontpkg_noto_serif, "NotoSerif"),
}


def face_file(face: Face) -> tuple[str, bool]:
    """(path of the font file, whether it is a variable font with a weight axis)."""
    if face.family in _NOTO:
        package, stem = _NOTO[face.family]
        name = f"{stem}-Italic[wdth,wght].ttf" if face.italic else f"{stem}[wdth,wght].ttf"
        return str(Path(package.ROOT) / "files" / name), True
    style = _BVP_WEIGHTS[face.weight]
    if face.italic:
        style = "Italic" if style == "Regular" else style + "Italic"
    return str(Path(fontpkg_be_vietnam_pro.ROOT) / "files" / f"BeVietnamPro-{style}.ttf"), False


def get_font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    if face.digest:
        return _load_packaged(face, size)
    path, variable = face_file(face)
    return _load(path, size, face.weight if variable else None)


@lru_cache(maxsize=256)
def _load(path: str, size: int, weight: int | None) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(path, size)
    if weight is not None:
        _set_weight(font, weight)
    return font


def _set_weight(font: ImageFont.FreeTypeFont, weight: int) -> None:
    try:
        axes = font.get_variation_axes()
    except OSError:  # not a variable font
        return
    values = [weight if axis["name"] == b"Weight" else axis["default"] for axis in axes]
    font.set_variation_by_axes(values)


_PACKAGED: OrderedDict[tuple[str, int, int], ImageFont.FreeTypeFont] = OrderedDict()
_PACKAGED_LIMIT = 256


def _load_packaged(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """A packaged font loaded from its bytes, cached by (sha256 of the bytes, weight, size)."""
    key = (face.digest, face.weight, size)
    font = _PACKAGED.get(key)
    if font is None:
        assert face.data is not None, "a packaged face is made with its bytes"
        font = ImageFont.truetype(io.BytesIO(face.data), size)
        _set_weight(font, face.weight)
        _PACKAGED[key] = font
        if len(_PACKAGED) > _PACKAGED_LIMIT:
            _PACKAGED.popitem(last=False)
    else:
        _PACKAGED.move_to_end(key)
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
