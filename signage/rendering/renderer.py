"""render(): layout spec + field values + board size -> encoded image bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw

from . import qr
from .colors import parse_color
from .encode import MIME, choose_format, encode
from .fields import clean_text, normalise_value
from .fonts import RENDER_LOCK, Face, get_font
from .images import ImageProblem, fit_image
from .model import FieldProblem, RenderResult
from .schema import with_defaults
from .textfit import FittedText, TextStyle, fit_text, place
from .validate import validate_layout
from .variants import active_regions, variant_name

MIN_SIDE, MAX_SIDE = 16, 8192
Box = tuple[int, int, int, int]


@dataclass
class _Job:
    spec: dict
    width: int
    height: int
    values: dict[str, str]
    images: Mapping[str, bytes]
    drawing: bool = True
    warnings: list[str] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    photo_area: int = 0
    canvas: Image.Image | None = None
    draw: ImageDraw.ImageDraw | None = None

    @property
    def size_text(self) -> str:
        return f"{self.width}x{self.height}"

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def box(self, region: dict) -> Box:
        left, top, right, bottom = region["box"]
        w, h = self.width, self.height
        return round(left * w), round(top * h), round(right * w), round(bottom * h)


def render(
    spec: dict,
    fields: Mapping[str, Any],
    width: int,
    height: int,
    images: Mapping[str, bytes] | None = None,
) -> RenderResult:
    """Render the slide at exactly width x height pixels and encode it (PNG or JPEG)."""
    job = _prepare(spec, fields, width, height, images, drawing=True)
    with RENDER_LOCK:
        _run(job)
    ext = choose_format(width, height, job.photo_area)
    data = encode(job.canvas, ext)
    digest = hashlib.sha256(data).hexdigest()
    return RenderResult(data, MIME[ext], ext, width, height, digest, tuple(job.warnings))


def fit_problems(
    spec: dict, fields: Mapping[str, Any], width: int, height: int
) -> list[FieldProblem]:
    """Text fields that do not fit their box at width x height even at the minimum size."""
    job = _prepare(spec, fields, width, height, None, drawing=False)
    with RENDER_LOCK:
        _run(job)
    return job.problems


def _prepare(spec, fields, width, height, images, *, drawing: bool) -> _Job:
    validate_layout(spec)
    for name, side in (("width", width), ("height", height)):
        if not isinstance(side, int) or not MIN_SIDE <= side <= MAX_SIDE:
            raise ValueError(f"{name} must be a whole number from {MIN_SIDE} to {MAX_SIDE}")
    job = _Job(spec, width, height, {}, images or {}, drawing)
    job.values = _values(job, fields)
    return job


def _values(job: _Job, fields: Mapping[str, Any]) -> dict[str, str]:
    values = {}
    for item in job.spec["fields"]:
        name, kind = item["name"], item["kind"]
        value = normalise_value(kind, fields.get(name))
        if value is None:
            job.warn(f"{name}: has the wrong type ({type(fields.get(name)).__name__}); left out")
        elif value:
            values[name] = value
        elif item.get("required", False):
            job.warn(f"{name}: is required but empty; left out")
    return values


def _run(job: _Job) -> None:
    regions, background = active_regions(job.spec, job.width, job.height)
    _warn_unshown(job, regions)
    if job.drawing:
        job.canvas = Image.new("RGB", (job.width, job.height), parse_color(background)[:3])
        job.draw = ImageDraw.Draw(job.canvas)
    for region in regions:
        region = with_defaults(region)
        _DRAWERS[region["kind"]](job, region)


def _warn_unshown(job: _Job, regions: list[dict]) -> None:
    shown = {region.get("field") for region in regions}
    variant = variant_name(job.spec, job.width, job.height)
    for name in job.values:
        if name not in shown:
            job.warn(f"{name}: not shown at {job.size_text}; the {variant!r} variant leaves it out")


def _rect(job: _Job, region: dict) -> None:
    if not job.drawing:
        return
    box = job.box(region)
    color = parse_color(region["fill"])
    left, top, right, bottom = box
    if right <= left or bottom <= top:
        return
    if color[3] == 255 and not region["radius"]:
        job.canvas.paste(color[:3], box)
        return
    mask = Image.new("L", (right - left, bottom - top), 0)
    radius = int(region["radius"] * min(right - left, bottom - top))
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *mask.size), radius=radius, fill=color[3])
    job.canvas.paste(color[:3], box, mask)


def _text(job: _Job, region: dict) -> None:
    name = region.get("field")
    text = job.values.get(name) if name else clean_text(region["text"])
    if not text:
        return
    if region["transform"] == "uppercase":
        text = text.upper()
    box = job.box(region)
    fitted = fit_text(text, _style(region), box[2] - box[0], box[3] - box[1])
    if fitted is None or not fitted.fits:
        _report_misfit(job, region, fitted)
    if fitted is not None and job.drawing:
        _draw_text(job, fitted, box, region)


def _style(region: dict) -> TextStyle:
    return TextStyle(
        face=Face(region["family"], region["weight"], region["italic"]),
        line_height=region["line_height"],
        min_size=region["min_size_px"],
        max_size=region["max_size_px"],
        max_fraction=region["max_size_fraction"],
        max_lines=region["max_lines"],
        balance=region["balance"],
    )


def _report_misfit(job: _Job, region: dict, fitted: FittedText | None) -> None:
    label = region.get("field") or f"text {region['text'][:30]!r}"
    message = f"does not fit at {job.size_text} even at {region['min_size_px']} px"
    outcome = "left out" if fitted is None else "cut short"
    job.warn(f"{label}: {message}; {outcome}")
    if region.get("field"):
        job.problems.append(FieldProblem(region["field"], message))


def _draw_text(job: _Job, fitted: FittedText, box: Box, region: dict) -> None:
    font = get_font(Face(region["family"], region["weight"], region["italic"]), fitted.size)
    fill = parse_color(region["color"])[:3]
    for x, y, line in place(fitted, box, region["align"], region["valign"]):
        job.draw.text((x, y), line, font=font, fill=fill, anchor="ls")


def _image(job: _Job, region: dict) -> None:
    name = region["field"]
    ref = job.values.get(name)
    if not ref or not job.drawing:
        return
    data = job.images.get(ref)
    if data is None:
        job.warn(f"{name}: image {ref!r} was not provided; left out")
        return
    left, top, right, bottom = job.box(region)
    try:
        picture = fit_image(data, right - left, bottom - top, region["fit"])
    except ImageProblem as exc:
        job.warn(f"{name}: image {ref!r} {exc}; left out")
        return
    x = left + (right - left - picture.width) // 2
    y = top + (bottom - top - picture.height) // 2
    mask = picture if picture.mode == "RGBA" else None
    job.canvas.paste(picture, (x, y), mask)
    job.photo_area += picture.width * picture.height


def _qr(job: _Job, region: dict) -> None:
    name = region["field"]
    link = job.values.get(name)
    if not link:
        return
    matrix = qr.qr_matrix(link)
    plan = qr.plan_qr(
        len(matrix),
        job.box(region),
        quiet=region["quiet_zone"],
        min_size=region["min_size_px"],
        align=region["align"],
        valign=region["valign"],
        caption=bool(region["caption"]),
    )
    if isinstance(plan, int):
        job.warn(
            f"{name}: QR code left out at {job.size_text}: it would be {plan} px wide, "
            f"below the {region['min_size_px']} px needed to scan it"
        )
        return
    if job.drawing:
        dark, light = parse_color(region["color"]), parse_color(region["background"])
        qr.draw_qr(job.canvas, link, plan, dark, light)
        _qr_caption(job, region, plan)


def _qr_caption(job: _Job, region: dict, plan: qr.QrPlan) -> None:
    if plan.caption is None:
        return
    caption = {
        **with_defaults({"kind": "text", "box": region["box"], "text": region["caption"]}),
        "weight": 500,
        "color": region["caption_color"],
        "align": "center",
        "valign": "middle",
        "min_size_px": 9,
        "max_lines": 1,
        "line_height": 1.15,
    }
    left, top, right, bottom = plan.caption
    fitted = fit_text(clean_text(region["caption"]), _style(caption), right - left, bottom - top)
    if fitted is None:
        job.warn(f"QR caption {region['caption'][:30]!r}: does not fit; left out")
        return
    _draw_text(job, fitted, plan.caption, caption)


_DRAWERS = {"rect": _rect, "text": _text, "image": _image, "qr": _qr}
