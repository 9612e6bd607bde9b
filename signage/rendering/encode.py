"""Choose the output format for a rendition and encode it without metadata.

PNG for flat text and graphics (sharp edges, exact colours, small LED boards); JPEG when a
photo covers a large share of a big board (photos compress far better and encode ~10x
faster). Encoders get fixed settings and no metadata, so equal pixels give equal bytes.
"""

from __future__ import annotations

import io

from PIL import Image

from .png import encode_png

JPEG_QUALITY = 88
PNG_COMPRESS_LEVEL = 3
PHOTO_SHARE = 0.35  # share of the canvas covered by photos above which JPEG is used
MIN_JPEG_PIXELS = 500_000  # smaller boards (LED walls) always get PNG

MIME = {"png": "image/png", "jpg": "image/jpeg"}


def choose_format(width: int, height: int, photo_area: int) -> str:
    """ "jpg" or "png" for a canvas of width x height with photo_area pixels of photos."""
    pixels = width * height
    if pixels >= MIN_JPEG_PIXELS and photo_area >= PHOTO_SHARE * pixels:
        return "jpg"
    return "png"


def encode(image: Image.Image, ext: str) -> bytes:
    if ext != "jpg":
        return encode_png(image, PNG_COMPRESS_LEVEL)
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=JPEG_QUALITY,
        optimize=False,
        progressive=False,
        subsampling="4:2:0",
    )
    return out.getvalue()
