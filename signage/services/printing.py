"""Print export: a slide as a print-ready PDF or PNG at a physical size, DPI and bleed.

The approved revision is printed when there is one (it is what the public sees on the boards);
otherwise the latest revision, and the result says which."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from signage.models import Slide, SlideRevision
from signage.storage import MediaStore

from .errors import ServiceError, ValidationFailed
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


class PrintUnavailable(ServiceError):
    status = 503


@dataclass(frozen=True)
class PrintFile:
    data: bytes
    mime: str
    ext: str
    width_px: int
    height_px: int
    warnings: tuple[str, ...]
    revision: SlideRevision
    which: str  # "approved" or "latest"

    @property
    def filename(self) -> str:
        return f"slide-{self.revision.slide_id}-rev{self.revision.number}.{self.ext}"


def _printing():
    try:
        from signage.rendering import printing
    except ImportError:  # pragma: no cover - only while the renderer lacks print export
        raise PrintUnavailable("print export is not available in this renderer") from None
    return printing


def parse_size(text: Any) -> tuple[float, float]:
    try:
        return _printing().parse_physical_size(str(text or "").strip())
    except ValueError as exc:
        raise ValidationFailed.field("size", str(exc)) from None


def parse_dpi(value: Any) -> int:
    text = str(DEFAULT_DPI if value in (None, "") else value).strip()
    if not text.isdigit() or not 10 <= int(text) <= 1200:
        raise ValidationFailed.field("dpi", f"must be a whole number from 10 to 1200, not {text!r}")
    return int(text)


def parse_bleed(value: Any) -> float:
    text = str(0 if value in (None, "") else value).strip().replace(",", ".")
    try:
        bleed = float(text)
    except ValueError:
        bleed = math.nan
    if not math.isfinite(bleed) or not 0 <= bleed <= 50:
        raise ValidationFailed.field("bleed_mm", f"must be from 0 to 50 mm, not {text!r}")
    return bleed


def parse_format(value: Any) -> str:
    fmt = str(value or "pdf").strip().lower()
    if fmt not in FORMATS:
        raise ValidationFailed.field("format", f"must be one of {', '.join(FORMATS)}")
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
    except ValueError as exc:
        field = "dpi" if "dpi" in str(exc) else "size"
        raise ValidationFailed.field(field, str(exc)) from None
    return PrintFile(
        result.data,
        result.mime,
        result.ext,
        result.width_px,
        result.height_px,
        tuple(result.warnings),
        revision,
        which,
    )
