"""Choose the output format for a rendition and encode it without metadata.

* flat slides (text, shapes, QR codes) on boards of 0.5 megapixels or more: PNG, written by
  our own unfiltered writer (png.py, twice as fast as Pillow's encoder at 1080p);
* a photo covering a large share of such a board: JPEG (photos compress far better, and
  encoding is ~10x faster than PNG or WebP);
* small boards (LED walls, under 0.5 megapixels): lossless WebP, 20-40 % smaller than PNG
  for a millisecond or two more, with no artefacts.

docs/layouts.md has the measurements. Encoders get fixed settings and no metadata, so equal
pixels give equal bytes.
"""

from __future__ import annotations

import io
from collections.abc import Collection

from PIL import Image

from .png import encode_png

JPEG_QUALITY = 88
PNG_COMPRESS_LEVEL = 3
WEBP_LOSSLESS = {"lossless": True, "method": 0, "quality": 100, "exact": True}
PHOTO_SHARE = 0.35  # share of the canvas covered by photos above which JPEG is used
MIN_JPEG_PIXELS = 500_000  # smaller boards (LED walls) get lossless WebP (or PNG)

MIME = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


def choose_format(
    width: int, height: int, photo_area: int, accepted: Collection[str] | None = None
) -> str:
    """ "jpg", "webp" or "png" for a canvas of width x height with photo_area px of photos.

    accepted limits the choice (PNG is always possible), e.g. ("png", "jpg") for an LED
    controller that cannot show WebP.
    """
    ok = set(MIME) if accepted is None else {*accepted, "png"}
    pixels = width * height
    if pixels < MIN_JPEG_PIXELS:
        return "webp" if "webp" in ok else "png"
    if photo_area >= PHOTO_SHARE * pixels and "jpg" in ok:
        return "jpg"
    return "png"


def encode(image: Image.Image, ext: str) -> bytes:
    if ext == "png":
        return encode_png(image, PNG_COMPRESS_LEVEL)
    out = io.BytesIO()
    if ext == "webp":
        image.save(out, "WEBP", **WEBP_LOSSLESS)
    else:
        image.save(
            out,
            "JPEG",
            quality=JPEG_QUALITY,
            optimize=False,
            progressive=False,
            subsampling="4:2:0",
        )
    return out.getvalue()
