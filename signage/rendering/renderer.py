"""render(): layout spec + field values + board size -> encoded image bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from PIL import Image, ImageDraw

from signage.problems import Problem

from . import qr
from .colors import parse_color
from .encode import MIME, choose_format, encode
from .fields import clean_text, normalise_value
from .fonts import RENDER_LOCK, Face
from .glyphs import missing_chars
from .images import ImageProblem, fit_image
from .job import Job
from .model import FieldProblem, RenderError, RenderResult, type_code
from .schema import with_defaults
from .textfit import fit_text
from .textregion import (
    draw_fitted,
    draw_text_region,
    face_for,
    glyph_params,
    region_text,
    text_style,
)
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
    the layout package by relative path ("images/bg.png", "fonts/X.ttf"). formats: the
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

    Each problem's params give the board size (``width``, ``height``), the ``size`` tried and
    by how much the text misses (see ``textfit``'s shortfall).
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
        problem = FieldProblem(region["field"], "glyph_missing", glyph_params(face, char))
        if problem not in problems:
            problems.append(problem)


def _prepare(spec, fields, width, height, images, resources, *, drawing: bool) -> Job:
    validate_layout(spec)
    for name, side in (("width", width), ("height", height)):
        if isinstance(side, bool) or not isinstance(side, int):
            raise RenderError(name, "not_an_integer")
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise RenderError(name, "out_of_range", low=MIN_SIDE, high=MAX_SIDE)
    job = Job(spec, width, height, {}, images or {}, resources or {}, drawing)
    job.values = _values(job, fields)
    return job


def _values(job: Job, fields: Mapping[str, Any]) -> dict[str, str]:
    values = {}
    for item in job.spec["fields"]:
        name, kind = item["name"], item["kind"]
        given = fields.get(name)
        value = normalise_value(kind, given)
        if value is None:
            job.warn(Problem.of("render_wrong_type", field=name, got_code=type_code(given)))
        elif value:
            values[name] = value
        elif item.get("required", False):
            job.warn(Problem.of("render_required_empty", field=name))
    return values


def _run(job: Job) -> None:
    regions, background = active_regions(job.spec, job.width, job.height)
    variant = variant_name(job.spec, job.width, job.height)
    _warn_unshown(job, regions, variant)
    if job.drawing:
        job.canvas = Image.new("RGB", (job.width, job.height), parse_color(background)[:3])
        job.draw = ImageDraw.Draw(job.canvas)
    base = f"$.variants.{variant}.regions" if variant else "$.regions"
    for i, region in enumerate(regions):
        job.region_path = f"{base}[{i}]"
        region = with_defaults(region)
        _DRAWERS[region["kind"]](job, region)


def _warn_unshown(job: Job, regions: list[dict], variant: str | None) -> None:
    shown = {region.get("field") for region in regions}
    for name in job.values:
        if name not in shown:
            where = {"field": name, **job.size, "variant": variant or "default"}
            job.warn(Problem("render_not_shown", where))


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


def _image_source(job: Job, region: dict) -> tuple[str, bytes | None]:
    """(reference, bytes or None) for an image region's picture."""
    if "file" in region:
        return region["file"], job.resources.get(region["file"])
    ref = job.values.get(region["field"], "")
    return ref, job.images.get(ref) if ref else None


def _image(job: Job, region: dict) -> None:
    ref, data = _image_source(job, region)
    if not ref or not job.drawing:
        return
    if data is None:
        job.warn_at(region, Problem.of("image_not_provided", image=ref))
        return
    left, top, right, bottom = job.box(region)
    try:
        picture = fit_image(data, right - left, bottom - top, region["fit"], region["focus"])
    except ImageProblem as exc:
        job.warn_at(region, Problem(exc.problem.code, {"image": ref, **exc.problem.params}))
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
        needed = region["min_size_px"]
        job.warn_at(region, Problem.of("qr_too_small", **job.size, size=plan, needed=needed))
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
        job.warn_at(region, Problem.of("qr_caption_too_long", caption=region["caption"][:30]))
        return
    draw_fitted(job, fitted, plan.caption, caption, face)


_DRAWERS = {"rect": _rect, "text": draw_text_region, "image": _image, "qr": _qr}
