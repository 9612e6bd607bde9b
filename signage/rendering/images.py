"""Untrusted image bytes: a format allow-list, a pixel limit, and cover/contain fitting."""

from __future__ import annotations

import io
import math
import warnings

from PIL import Image, ImageOps

from signage.problems import Problem

ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
MAX_PIXELS = 50_000_000
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_FILTER = Image.Resampling.LANCZOS
_REDUCING_GAP = 3.0  # big downscales first shrink by an integer factor (fast, still sharp)


class ImageProblem(ValueError):
    """The bytes are not an image we are willing to draw; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def fit_image(
    data: bytes, width: int, height: int, fit: str, focus: tuple[float, float] = (0.5, 0.5)
) -> Image.Image:
    """Decode data and scale it to cover or fit inside width x height.

    The result is exactly width x height for "cover"; for "contain" it is at most that
    large. It is RGB, or RGBA when the source has transparency.
    """
    image = _open(data)
    _draft(image, width, height, fit)
    try:
        image = ImageOps.exif_transpose(image)
        image = _normalise_mode(image)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageProblem(Problem.of("image_not_decodable", error=str(exc))) from exc
    if fit == "cover":
        return _cover(image, width, height, focus)
    return _contain(image, width, height)


def _cover(image: Image.Image, width: int, height: int, focus: tuple[float, float]) -> Image.Image:
    """Scale to fill width x height exactly, cropping the overflow around the focal point.

    The crop is centred on focus (fractions of the picture) as far as the picture allows.
    """
    scale = max(width / image.width, height / image.height)
    crop_w, crop_h = width / scale, height / scale
    left = _clamp(focus[0] * image.width - crop_w / 2, image.width - crop_w)
    top = _clamp(focus[1] * image.height - crop_h / 2, image.height - crop_h)
    box = (left, top, left + crop_w, top + crop_h)
    return image.resize((width, height), _FILTER, box=box, reducing_gap=_REDUCING_GAP)


def _clamp(value: float, high: float) -> float:
    return min(max(value, 0.0), max(high, 0.0))


def _contain(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to fit inside width x height, keeping the aspect ratio."""
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, _FILTER, reducing_gap=_REDUCING_GAP)


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except Image.UnidentifiedImageError as exc:
        problem = Problem.of("image_format_refused", formats=list(ALLOWED_FORMATS))
        raise ImageProblem(problem) from exc
    except (OSError, ValueError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(Problem.of("image_unreadable", error=str(exc))) from exc
    w, h = image.size
    if w * h > MAX_PIXELS:
        problem = Problem.of("image_too_large", width=w, height=h, limit=MAX_PIXELS)
        raise ImageProblem(problem)
    return image


def _draft(image: Image.Image, width: int, height: int, fit: str) -> None:
    """Let the JPEG decoder downscale while decoding (much faster for big photos)."""
    if image.format != "JPEG":
        return
    if image.getexif().get(0x0112, 1) in _ROTATED:
        width, height = height, width
    w, h = image.size
    pick = max if fit == "cover" else min
    scale = pick(width / w, height / h)
    image.draft("RGB", (math.ceil(w * scale), math.ceil(h * scale)))


def _normalise_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA"):
        image.load()
        return image
    has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")
