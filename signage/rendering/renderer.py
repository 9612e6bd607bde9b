"""render(): layout spec + field values + board size -> encoded image bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from PIL import Image, ImageDraw

from . import qr
from .colors import parse_color
from .encode import MIME, choose_format, encode
from .fields import clean_text, normalise_value
from .fonts import RENDER_LOCK, Face
from .glyphs import describe, missing_chars
from .images import ImageProblem, fit_image
from .job import Job
from .model import FieldProblem, RenderResult
from .schema import with_defaults
from .textfit import fit_text
from .textregion import draw_fitted, draw_text_region, face_for, region_text, text_style
from .validate import validate_layout
from .variants import active_regions, variant_name

MIN_SIDE, MAX_SIDE = 16, 8192

# Bump whenever the same inputs would give different output bytes (fonts, fitting, encoders),
# so that stored renditions keyed by their inputs are made again.
RENDERER_VERSION = "2.0.0"


def render(
    spec: dict,
    fields: Mapping[str, Any],
    width: int,
    height: int,
    images: Mapping[str, bytes] | None = None,
    resources: Mapping[str, bytes] | None = None,
    *,
    formats: Collection[str] | None = None,
) -> RenderResult:
    """Render the slide at exactly width x height pixels and encode it.

    images: uploaded pictures by the reference stored in an image field. resources: files of
    the layout bundle by relative path ("images/bg.png", "fonts/X.ttf"). formats: the
    encodings the caller accepts (subset of "png", "jpg", "webp"); PNG is always accepted.
    """
    job = _prepare(spec, fields, width, height, images, resources, drawing=True)
    with RENDER_LOCK:
        _run(job)
    ext = choose_format(width, height, job.photo_area, formats)
    data = encode(job.canvas, ext)
    digest = hashlib.sha256(data).hexdigest()
    return RenderResult(data, MIME[ext], ext, width, height, digest, tuple(job.warnings))


def fit_problems(
    spec: dict,
    fields: Mapping[str, Any],
    width: int,
    height: int,
    resources: Mapping[str, bytes] | None = None,
) -> list[FieldProblem]:
    """Text fields that do not fit their box at width x height even at the minimum size.

    Each problem says the board size and by how much (``board_size``, ``shortfall``).
    """
    job = _prepare(spec, fields, width, height, None, resources, drawing=False)
    with RENDER_LOCK:
        _run(job)
    return job.problems


def missing_glyphs(
    spec: dict, fields: Mapping[str, Any], resources: Mapping[str, bytes] | None = None
) -> list[FieldProblem]:
    """Characters of field values that the font of a region showing that field lacks."""
    job = _prepare(spec, fields, MAX_SIDE, MAX_SIDE, None, resources, drawing=False)
    problems: list[FieldProblem] = []
    regions = list(spec["regions"])
    for variant in spec.get("variants", {}).values():
        regions.extend(variant["regions"])
    with RENDER_LOCK:
        for region in regions:
            if region["kind"] == "text" and "field" in region:
                _missing_in_region(job, with_defaults(region), problems)
    return problems


def _missing_in_region(job: Job, region: dict, problems: list[FieldProblem]) -> None:
    face = face_for(job, region)
    for char in missing_chars(region_text(job, region), face):
        message = f"the font {face.family} has no glyph for {describe(char)}"
        problem = FieldProblem(region["field"], message)
        if problem not in problems:
            problems.append(problem)


def _prepare(spec, fields, width, height, images, resources, *, drawing: bool) -> Job:
    validate_layout(spec)
    for name, side in (("width", width), ("height", height)):
        if not isinstance(side, int) or not MIN_SIDE <= side <= MAX_SIDE:
            raise ValueError(f"{name} must be a whole number from {MIN_SIDE} to {MAX_SIDE}")
    job = Job(spec, width, height, {}, images or {}, resources or {}, drawing)
    job.values = _values(job, fields)
    return job


def _values(job: Job, fields: Mapping[str, Any]) -> dict[str, str]:
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


def _run(job: Job) -> None:
    regions, background = active_regions(job.spec, job.width, job.height)
    _warn_unshown(job, regions)
    if job.drawing:
        job.canvas = Image.new("RGB", (job.width, job.height), parse_color(background)[:3])
        job.draw = ImageDraw.Draw(job.canvas)
    for region in regions:
        region = with_defaults(region)
        _DRAWERS[region["kind"]](job, region)


def _warn_unshown(job: Job, regions: list[dict]) -> None:
    shown = {region.get("field") for region in regions}
    variant = variant_name(job.spec, job.width, job.height)
    for name in job.values:
        if name not in shown:
            job.warn(f"{name}: not shown at {job.size_text}; the {variant!r} variant leaves it out")


def _rect(job: Job, region: dict) -> None:
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


def _image_source(job: Job, region: dict) -> tuple[str, str, bytes | None]:
    """(label, reference, bytes or None) for an image region's picture."""
    if "file" in region:
        return f"file {region['file']!r}", region["file"], job.resources.get(region["file"])
    name = region["field"]
    ref = job.values.get(name, "")
    return name, ref, job.images.get(ref) if ref else None


def _image(job: Job, region: dict) -> None:
    name, ref, data = _image_source(job, region)
    if not ref or not job.drawing:
        return
    if data is None:
        job.warn(f"{name}: image {ref!r} was not provided; left out")
        return
    left, top, right, bottom = job.box(region)
    try:
        picture = fit_image(data, right - left, bottom - top, region["fit"], region["focus"])
    except ImageProblem as exc:
        job.warn(f"{name}: image {ref!r} {exc}; left out")
        return
    x = left + (right - left - picture.width) // 2
    y = top + (bottom - top - picture.height) // 2
    mask = picture if picture.mode == "RGBA" else None
    job.canvas.paste(picture, (x, y), mask)
    job.photo_area += picture.width * picture.height


def _qr(job: Job, region: dict) -> None:
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


def _qr_caption(job: Job, region: dict, plan: qr.QrPlan) -> None:
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
    face = Face("Be Vietnam Pro", 500)
    left, top, right, bottom = plan.caption
    style = text_style(caption, face)
    fitted = fit_text(clean_text(region["caption"]), style, right - left, bottom - top)
    if fitted is None:
        job.warn(f"QR caption {region['caption'][:30]!r}: does not fit; left out")
        return
    draw_fitted(job, fitted, plan.caption, caption, face)


_DRAWERS = {"rect": _rect, "text": draw_text_region, "image": _image, "qr": _qr}
