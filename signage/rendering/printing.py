"""Print export: one slide as a print-ready PDF or PNG at a physical size and DPI.

Pure, like the rest of the rendering core: layout spec + field values + physical size in
millimetres -> file bytes. The slide is rendered at the full size *including* the bleed, so
backgrounds and bands run past the cut line. The PDF is one page whose MediaBox (and
BleedBox) is trim + bleed and whose TrimBox is the finished size, so a print shop's RIP sees
the cut line. It is written by img2pdf, which embeds the PNG data without re-encoding it
(lossless, at the full print resolution) and writes the page boxes; ``nodate`` keeps the
bytes reproducible. The renderer is asked for PNG only, so photos get no JPEG artefacts.

The renderer draws at most 8192 px a side. A larger print (a 5 m banner) is rendered at the
largest size within that limit with the same aspect ratio, then enlarged with Lanczos; the
result says which effective resolution that gives.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import img2pdf
from PIL import Image

from signage.problems import Problem

from . import render
from .model import RenderError

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
MAX_PIXELS = 250_000_000  # the whole print, bleed included
RENDER_MIN_SIDE, RENDER_MAX_SIDE = 16, 8192  # the renderer's own limits per side
MIN_DPI, MAX_DPI = 10, 1200
MAX_BLEED_MM = 50
MAX_SIDE_MM = 50_000  # 50 m
# zlib level for PNG files written here. An A1 photo slide at 150 dpi (17.7 megapixels):
# level 1 took 1.5 s for 18 MB, level 6 took 9.3 s for 15.5 MB; flat slides differ little.
PNG_COMPRESS_LEVEL = 1
FORMATS = {"pdf": "application/pdf", "png": "image/png"}

# ISO 216 A series, portrait (width, height) in millimetres.
PAPER_SIZES_MM = {
    "A0": (841.0, 1189.0),
    "A1": (594.0, 841.0),
    "A2": (420.0, 594.0),
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
}
_UNITS = {"mm": 1.0, "cm": 10.0, "m": 1000.0}
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_SIZE_RE = re.compile(rf"^{_NUMBER}\s*(mm|cm|m)?\s*[x×*]\s*{_NUMBER}\s*(mm|cm|m)$")
_PAPER_RE = re.compile(r"^(A[0-6])(?:\s*[-_ ]\s*(PORTRAIT|LANDSCAPE))?$")


@dataclass(frozen=True)
class PrintResult:
    """An encoded print file and its pixel size (bleed included)."""

    data: bytes = field(repr=False)
    mime: str
    ext: str
    width_px: int
    height_px: int
    warnings: tuple[Problem, ...] = ()


def parse_physical_size(text: str) -> tuple[float, float]:
    """(width_mm, height_mm) from "594x841mm", "500 x 80 cm", "5x0.8m", "A1", "A1-landscape".

    Raises RenderError naming "size" for anything else."""
    if not isinstance(text, str):
        raise RenderError("size", "not_a_string")
    cleaned = text.strip()
    paper = _PAPER_RE.match(cleaned.upper())
    if paper:
        width, height = PAPER_SIZES_MM[paper.group(1)]
        if paper.group(2) == "LANDSCAPE":
            width, height = height, width
        return width, height
    match = _SIZE_RE.match(cleaned.lower())
    if not match:
        raise RenderError("size", "print_size_unknown", text=text, papers=list(PAPER_SIZES_MM))
    first, first_unit, second, unit = match.groups()
    if first_unit is not None and first_unit != unit:
        raise RenderError("size", "print_size_mixed_units", text=text)
    scale = _UNITS[unit]
    width = float(first.replace(",", ".")) * scale
    height = float(second.replace(",", ".")) * scale
    _check_sides(width, height)
    return width, height


def print_pixels(
    width_mm: float, height_mm: float, dpi: int, bleed_mm: float = 0
) -> tuple[int, int]:
    """(width_px, height_px) of the whole print including the bleed on every side."""
    return (
        round((width_mm + 2 * bleed_mm) / MM_PER_INCH * dpi),
        round((height_mm + 2 * bleed_mm) / MM_PER_INCH * dpi),
    )


def export_print(
    spec: dict,
    fields: Mapping[str, Any],
    *,
    width_mm: float,
    height_mm: float,
    dpi: int,
    bleed_mm: float = 0,
    fmt: str = "pdf",
    images: Mapping[str, bytes] | None = None,
    resources: Any = None,
) -> PrintResult:
    """Render the slide for print at width_mm x height_mm (trim size) plus bleed_mm per side.

    Raises RenderError for a bad size, DPI, bleed or format, or a print over MAX_PIXELS; its
    ``where`` is the argument to change ("width_mm", "dpi", "fmt"... or "size").
    """
    _check_request(width_mm, height_mm, dpi, bleed_mm, fmt)
    width_px, height_px = print_pixels(width_mm, height_mm, dpi, bleed_mm)
    if width_px * height_px > MAX_PIXELS:
        raise RenderError(
            "dpi",
            "print_too_many_pixels",
            width_mm=_mm(width_mm),
            height_mm=_mm(height_mm),
            dpi=dpi,
            width=width_px,
            height=height_px,
            limit=MAX_PIXELS // 1_000_000,
            fitting=_fitting_dpi(width_mm, height_mm, dpi, bleed_mm),
        )
    rendered, warnings = _render(spec, fields, width_px, height_px, dpi, images, resources)
    if fmt == "png":
        return PrintResult(_png(rendered, dpi), FORMATS[fmt], fmt, width_px, height_px, warnings)
    data = _pdf(rendered, width_mm, height_mm, bleed_mm)
    return PrintResult(data, FORMATS[fmt], fmt, width_px, height_px, warnings)


def _pixels(width_mm: float, height_mm: float, dpi: int, bleed_mm: float) -> int:
    width, height = print_pixels(width_mm, height_mm, dpi, bleed_mm)
    return width * height


def _fitting_dpi(width_mm: float, height_mm: float, dpi: int, bleed_mm: float) -> int:
    """The highest DPI at which the print stays within MAX_PIXELS."""
    pixels = _pixels(width_mm, height_mm, dpi, bleed_mm)
    fitting = math.floor(dpi * math.sqrt(MAX_PIXELS / pixels))
    while fitting > MIN_DPI and _pixels(width_mm, height_mm, fitting, bleed_mm) > MAX_PIXELS:
        fitting -= 1
    return fitting


def _mm(value: float) -> int | float:
    """A length as a parameter of a problem: 594, not 594.0."""
    return int(value) if float(value).is_integer() else round(value, 2)


def _check_sides(width_mm: float, height_mm: float) -> None:
    if not 0 < width_mm <= MAX_SIDE_MM:
        raise RenderError(
            "width_mm", "print_width_out_of_range", value=_mm(width_mm), limit=MAX_SIDE_MM
        )
    if not 0 < height_mm <= MAX_SIDE_MM:
        raise RenderError(
            "height_mm", "print_height_out_of_range", value=_mm(height_mm), limit=MAX_SIDE_MM
        )


def _check_request(width_mm, height_mm, dpi, bleed_mm, fmt) -> None:
    for name, value in (("width_mm", width_mm), ("height_mm", height_mm), ("bleed_mm", bleed_mm)):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise RenderError(name, "not_a_number")
    _check_sides(width_mm, height_mm)
    if isinstance(dpi, bool) or not isinstance(dpi, int):
        raise RenderError("dpi", "not_an_integer")
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise RenderError("dpi", "out_of_range", low=MIN_DPI, high=MAX_DPI)
    if not 0 <= bleed_mm <= MAX_BLEED_MM:
        raise RenderError("bleed_mm", "out_of_range", low=0, high=MAX_BLEED_MM)
    if fmt not in FORMATS:
        raise RenderError("fmt", "not_one_of", allowed=list(FORMATS))


@dataclass(frozen=True)
class _Rendered:
    """The slide at the print's pixel size: the renderer's bytes, or enlarged pixels."""

    data: bytes | None = None  # encoded by the renderer (PNG when it lets us choose)
    ext: str = "png"
    image: Image.Image | None = None  # pixels enlarged here, not yet encoded


def _render(spec, fields, width_px, height_px, dpi, images, resources):
    """The slide at width_px x height_px, enlarged from the renderer's limit if needed."""
    scale = min(1.0, RENDER_MAX_SIDE / max(width_px, height_px))
    size = (round(width_px * scale), round(height_px * scale))
    if min(size) < RENDER_MIN_SIDE:
        raise RenderError(
            "size",
            "print_too_small",
            width=width_px,
            height=height_px,
            low=RENDER_MIN_SIDE,
            high=RENDER_MAX_SIDE,
        )
    # Lossless: no JPEG or WebP artefacts on paper.
    result = render(spec, fields, *size, images=images, resources=resources, formats=("png",))
    warnings = tuple(result.warnings)
    if size == (width_px, height_px):
        return _Rendered(result.data, result.ext), warnings
    enlarged = Problem.of(
        "print_enlarged",
        width=size[0],
        height=size[1],
        limit=RENDER_MAX_SIDE,
        target_width=width_px,
        target_height=height_px,
        effective=round(dpi * size[0] / width_px),
        dpi=dpi,
    )
    warnings += (enlarged,)
    with Image.open(io.BytesIO(result.data)) as small:
        big = small.convert("RGB").resize((width_px, height_px), Image.Resampling.LANCZOS)
    return _Rendered(image=big), warnings


def _pixels_of(rendered: _Rendered) -> Image.Image:
    if rendered.image is not None:
        return rendered.image
    with Image.open(io.BytesIO(rendered.data)) as opened:
        return opened.convert("RGB")


def _encode_png(image: Image.Image, dpi: int | None = None) -> bytes:
    out = io.BytesIO()
    extra = {} if dpi is None else {"dpi": (dpi, dpi)}
    image.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL, **extra)
    return out.getvalue()


def _png(rendered: _Rendered, dpi: int) -> bytes:
    """A PNG whose pHYs chunk carries the DPI; deterministic (no time or text chunks)."""
    return _encode_png(_pixels_of(rendered), dpi)


def _pdf(rendered: _Rendered, width_mm: float, height_mm: float, bleed_mm: float) -> bytes:
    """One page: MediaBox = BleedBox = trim + bleed; TrimBox inset by the bleed."""
    page_w = _points(width_mm + 2 * bleed_mm)
    page_h = _points(height_mm + 2 * bleed_mm)
    bleed = _points(bleed_mm)

    def layout(_img_w_px, _img_h_px, _ndpi):
        return page_w, page_h, page_w, page_h

    if rendered.data is not None and rendered.ext in ("png", "jpg"):
        data = rendered.data  # embedded as it is: PNG data losslessly, JPEG without re-coding
    else:
        data = _encode_png(_pixels_of(rendered))
    return img2pdf.convert(
        data,
        layout_fun=layout,
        bleedborder=(0.0, 0.0),  # BleedBox = MediaBox: the whole page is bleed area
        trimborder=(bleed, bleed),
        nodate=True,
        producer="signage",
        creator="signage",
    )


def _points(mm: float) -> float:
    return mm / MM_PER_INCH * PT_PER_INCH
