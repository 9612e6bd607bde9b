"""Text regions: pick the face, drop characters it lacks, fit, then draw with outline/shadow."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from signage.problems import Problem

from .colors import parse_color
from .faces import FaceUnavailable, region_face
from .fields import clean_text
from .fonts import Face, get_font
from .glyphs import codepoint, drop_missing
from .job import Box, Job
from .model import FieldProblem
from .textfit import FittedText, TextStyle, fit_text, place


def region_text(job: Job, region: dict) -> str:
    """The text a region shows (field value or fixed wording), transformed; "" if none."""
    name = region.get("field")
    text = job.values.get(name, "") if name else clean_text(region["text"])
    return text.upper() if region["transform"] == "uppercase" else text


def face_for(job: Job, region: dict) -> Face:
    """The region's face; Be Vietnam Pro, with a warning, when it cannot be had."""
    try:
        return region_face(region, job.spec, job.resources)
    except FaceUnavailable as exc:
        job.warn_at(region, exc.problem)
        return Face("Be Vietnam Pro", region["weight"], region["italic"])


def glyph_params(face: Face, char: str) -> dict[str, str]:
    """What a problem about a character the face lacks quotes: the family and the character."""
    return {"family": face.family, "char": char, "codepoint": codepoint(char)}


def draw_text_region(job: Job, region: dict) -> None:
    text = region_text(job, region)
    if not text:
        return
    face = face_for(job, region)
    text, missing = drop_missing(text, face)
    for char in missing:
        job.warn_at(region, Problem("glyph_left_out", glyph_params(face, char)))
    box = job.box(region)
    fitted = fit_text(text, text_style(region, face), box[2] - box[0], box[3] - box[1])
    if fitted is None or not fitted.fits:
        _report_misfit(job, region, fitted)
    if fitted is not None and job.drawing:
        draw_fitted(job, fitted, box, region, face)


def text_style(region: dict, face: Face) -> TextStyle:
    shadow = region.get("shadow")
    return TextStyle(
        face=face,
        line_height=region["line_height"],
        min_size=region["min_size_px"],
        max_size=region["max_size_px"],
        max_fraction=region["max_size_fraction"],
        max_lines=region["max_lines"],
        balance=region["balance"],
        stroke=(region.get("outline") or {}).get("width", 0.0),
        shadow=None if not shadow else (*shadow["offset"], shadow.get("blur", 0.0)),
    )


def _report_misfit(job: Job, region: dict, fitted: FittedText | None) -> None:
    """Text cut short (or, when not even one line fits, left out), and by how much."""
    if fitted is None:
        shortfall = Problem("fit_no_line")
    else:
        shortfall = fitted.shortfall or Problem("fit_too_wide")
    params = {**job.size, "size": region["min_size_px"], **shortfall.params}
    job.warn_at(region, Problem(shortfall.code, params))
    if region.get("field"):
        job.problems.append(FieldProblem(region["field"], shortfall.code, params))


def draw_fitted(job: Job, fitted: FittedText, box: Box, region: dict, face: Face) -> None:
    font = get_font(face, fitted.size)
    style = text_style(region, face)
    stroke = style.stroke_px(fitted.size)
    placed = place(fitted, box, region["align"], region["valign"])
    shadow = style.shadow_px(fitted.size)
    if shadow is not None:
        _draw_shadow(job, placed, box, font, stroke, shadow, region["shadow"]["color"])
    fill = parse_color(region["color"])[:3]
    outline = parse_color(region["outline"]["color"])[:3] if stroke else None
    for x, y, line in placed:
        job.draw.text(
            (x, y),
            line,
            font=font,
            fill=fill,
            anchor="ls",
            stroke_width=stroke,
            stroke_fill=outline,
        )


def _draw_shadow(job: Job, placed, box: Box, font, stroke: int, shadow, color: str) -> None:
    """The text moved by (dx, dy), optionally blurred, in the shadow colour (may be see-through)."""
    dx, dy, blur = shadow
    left, top, right, bottom = box
    mask = Image.new("L", (right - left, bottom - top), 0)
    draw = ImageDraw.Draw(mask)
    for x, y, line in placed:
        position = (x + dx - left, y + dy - top)
        draw.text(
            position, line, font=font, fill=255, anchor="ls", stroke_width=stroke, stroke_fill=255
        )
    if blur:
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
    r, g, b, alpha = parse_color(color)
    if alpha != 255:
        mask = mask.point(lambda v: v * alpha // 255)
    job.canvas.paste((r, g, b), box, mask)
