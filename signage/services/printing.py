"""Print export: a slide as a print-ready PDF or PNG at a physical size, DPI and bleed.

The approved revision is printed when there is one (it is what the public sees on the boards);
otherwise the latest revision, and the result says which."""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy.orm import Session

from signage.models import Slide, SlideRevision
from signage.rendering import RenderError
from signage.storage import MediaStore

from . import validation
from .errors import ValidationFailed
from .layouts import resources_for
from .renditions import images_for

FORMATS = ("pdf", "png")
DEFAULT_DPI = 150
# Presets the admin form offers: name -> size text understood by parse_physical_size.
PRESETS = {
    "A4": "A4",
    "A3": "A3",
    "A2": "A2",
    "A1": "A1",
    "A0": "A0",
    "banner-5x0.8m": "500x80cm",
}
# The request parameter to name when the renderer refuses one of its print arguments.
_PARAMETERS = {"dpi": "dpi", "bleed_mm": "bleed_mm", "fmt": "format"}


@dataclass(frozen=True)
class PrintFile:
    data: bytes
    mime: str
    ext: str
    width_px: int
    height_px: int
    warnings: tuple[dict, ...]  # the render's warnings as {"code", ...} dicts
    revision: SlideRevision
    which: str  # "approved" or "latest"

    @property
    def filename(self) -> str:
        return f"slide-{self.revision.slide_id}-rev{self.revision.number}.{self.ext}"


def _printing() -> ModuleType:
    # Imported on first use: img2pdf brings pikepdf, about 80 ms that only printing needs.
    from signage.rendering import printing

    return printing


def _refused(exc: RenderError) -> ValidationFailed:
    """The renderer's refusal as a 422 on the request parameter to change."""
    return ValidationFailed.fields([(_PARAMETERS.get(exc.where, "size"), exc.code, exc.params)])


def parse_size(text: Any) -> tuple[float, float]:
    try:
        return _printing().parse_physical_size(str(text or "").strip())
    except RenderError as exc:
        raise _refused(exc) from None


def parse_dpi(value: Any) -> int:
    text = str(DEFAULT_DPI if value in (None, "") else value).strip()
    printing = _printing()
    return validation.integer(text, "dpi", printing.MIN_DPI, printing.MAX_DPI)


def parse_bleed(value: Any) -> float:
    text = str(0 if value in (None, "") else value).strip().replace(",", ".")
    try:
        bleed = float(text)
    except ValueError:
        raise ValidationFailed.field("bleed_mm", "not_a_number") from None
    limit = _printing().MAX_BLEED_MM
    if not math.isfinite(bleed) or not 0 <= bleed <= limit:
        raise ValidationFailed.field("bleed_mm", "out_of_range", low=0, high=limit)
    return bleed


def parse_format(value: Any) -> str:
    fmt = str(value or "pdf").strip().lower()
    if fmt not in FORMATS:
        raise ValidationFailed.field("format", "not_one_of", allowed=list(FORMATS))
    return fmt


def read_request(params: dict) -> dict:
    """Checked print settings from query or form values; a 422 names the bad parameter."""
    width_mm, height_mm = parse_size(params.get("size"))
    return {
        "width_mm": width_mm,
        "height_mm": height_mm,
        "dpi": parse_dpi(params.get("dpi")),
        "bleed_mm": parse_bleed(params.get("bleed_mm", params.get("bleed"))),
        "fmt": parse_format(params.get("format")),
    }


def print_revision(slide: Slide) -> tuple[SlideRevision, str]:
    playable = slide.playable
    return (playable, "approved") if playable is not None else (slide.latest, "latest")


def export_slide(session: Session, store: MediaStore, slide: Slide, settings: dict) -> PrintFile:
    revision, which = print_revision(slide)
    images = images_for(session, store, revision.fields)
    resources = resources_for(store, revision.layout) or None
    try:
        result = _printing().export_print(
            revision.layout.spec,
            revision.fields,
            images=images,
            resources=resources,
            **settings,
        )
    except RenderError as exc:
        raise _refused(exc) from None
    return PrintFile(
        result.data,
        result.mime,
        result.ext,
        result.width_px,
        result.height_px,
        tuple(warning.as_dict() for warning in result.warnings),
        revision,
        which,
    )
