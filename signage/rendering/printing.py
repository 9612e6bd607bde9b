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

from . import render

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
MAX_PIXELS = 250_000_000  # the whole print, bleed included
RENDER_MIN_SIDE, RENDER_MAX_SIDE = 16, 8192  # the renderer's own limits per side
MIN_DPI, MAX_DPI = 10, 1200
MAX_BLEED_MM = 50.0
MAX_SIDE_MM = 50_000.0  # 50 m
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
    warnings: tuple[str, ...] = ()


def parse_physical_size(text: str) -> tuple[float, float]:
    """(width_mm, height_mm) from "594x841mm", "500 x 80 cm", "5x0.8m", "A1", "A1-landscape"."""
    if not isinstance(text, str):
        raise ValueError(f"a print size must be text such as '594x841mm', got {text!r}")
    cleaned = text.strip()
    paper = _PAPER_RE.match(cleaned.upper())
    if paper:
        width, height = PAPER_SIZES_MM[paper.group(1)]
        if paper.group(2) == "LANDSCAPE":
            width, height = height, width
        return width, height
    match = _SIZE_RE.match(cleaned.lower())
    if not match:
        raise ValueError(
            f"unknown print size {text!r}: give width x height with a unit, e.g. '594x841mm', "
            f"'500x80cm' or '5x0.8m', or a paper size {', '.join(PAPER_SIZES_MM)} "
            "(optionally '-landscape')"
        )
    first, first_unit, second, unit = match.groups()
    if first_unit is not None and first_unit != unit:
        raise ValueError(f"print size {text!r} mixes units; use one unit for both sides")
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

    Raises ValueError for a bad size, DPI, bleed or format, or a print over MAX_PIXELS.
    """
    _check_request(width_mm, height_mm, dpi, bleed_mm, fmt)
    width_px, height_px = print_pixels(width_mm, height_mm, dpi, bleed_mm)
    if width_px * height_px > MAX_PIXELS:
        fitting = math.floor(dpi * math.sqrt(MAX_PIXELS / (width_px * height_px)))
        while fitting > MIN_DPI and _pixels(width_mm, height_mm, fitting, bleed_mm) > MAX_PIXELS:
            fitting -= 1
        raise ValueError(
            f"a {width_mm:g}x{height_mm:g} mm print at {dpi} dpi would be {width_px}x{height_px} "
            f"pixels, over the limit of {MAX_PIXELS // 1_000_000} megapixels; "
            f"use {fitting} dpi or lower"
        )
    rendered, warnings = _render(spec, fields, width_px, height_px, dpi, images, resources)
    if fmt == "png":
        return PrintResult(_png(rendered, dpi), FORMATS[fmt], fmt, width_px, height_px, warnings)
    data = _pdf(rendered, width_mm, height_mm, bleed_mm)
    return PrintResult(data, FORMATS[fmt], fmt, width_px, height_px, warnings)


def _pixels(width_mm: float, height_mm: float, dpi: int, bleed_mm: float) -> int:
    width, height = print_pixels(width_mm, height_mm, dpi, bleed_mm)
    return width * height


def _check_sides(width_mm: float, height_mm: float) -> None:
    for name, side in (("width", width_mm), ("height", height_mm)):
        if not 0 < side <= MAX_SIDE_MM:
            raise ValueError(
                f"print {name} must be more than 0 and at most {MAX_SIDE_MM:g} mm, got {side:g} mm"
            )


def _check_request(width_mm, height_mm, dpi, bleed_mm, fmt) -> None:
    for name, value in (("width_mm", width_mm), ("height_mm", height_mm), ("bleed_mm", bleed_mm)):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise ValueError(f"{name} must be a number, got {value!r}")
    _check_sides(width_mm, height_mm)
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not MIN_DPI <= dpi <= MAX_DPI:
        raise ValueError(f"dpi must be a whole number from {MIN_DPI} to {MAX_DPI}, got {dpi!r}")
    if not 0 <= bleed_mm <= MAX_BLEED_MM:
        raise ValueError(f"bleed must be from 0 to {MAX_BLEED_MM:g} mm, got {bleed_mm:g} mm")
    if fmt not in FORMATS:
        raise ValueError(f"print format must be one of {', '.join(FORMATS)}, got {fmt!r}")


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
        raise ValueError(
            f"a print of {width_px}x{height_px} px is too small or too narrow to render "
            f"(each side must be at least {RENDER_MIN_SIDE} px after scaling to the renderer's "
            f"{RENDER_MAX_SIDE} px limit); use a higher dpi or a less elongated size"
        )
    # Lossless: no JPEG or WebP artefacts on paper.
    result = render(spec, fields, *size, images=images, resources=resources, formats=("png",))
    warnings = tuple(result.warnings)
    if size == (width_px, height_px):
        return _Rendered(result.data, result.ext), warnings
    warnings += (
        f"rendered at {size[0]}x{size[1]} px (the renderer's limit is {RENDER_MAX_SIDE} px a "
        f"side) and enlarged to {width_px}x{height_px} px: the effective resolution is about "
        f"{dpi * size[0] / width_px:.0f} dpi, not {dpi}",
    )
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
