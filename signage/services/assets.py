"""Uploaded images, checked by their content and never by their name."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from signage.models import Asset, User
from signage.storage import MediaStore

from . import audit
from .errors import TooLarge, UnsupportedMedia, ValidationFailed

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
}


def inspect_image(data: bytes) -> tuple[str, str, int, int]:
    """(mime, ext, width, height) of a safe, complete image, or a 4xx error naming the problem."""
    if len(data) > MAX_BYTES:
        raise TooLarge(f"file: {len(data)} bytes is over the {MAX_BYTES} byte limit")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt, (width, height) = probe.format, probe.size
                if fmt not in FORMATS:
                    raise UnsupportedMedia(f"file: {fmt} images are not accepted (PNG, JPEG, WebP)")
                if width * height > MAX_PIXELS:
                    raise ValidationFailed.field(
                        "file", f"{width}x{height} is over the {MAX_PIXELS} pixel limit"
                    )
                probe.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationFailed.field("file", "looks like a decompression bomb") from None
    except UnidentifiedImageError:
        raise UnsupportedMedia("file: the content is not a PNG, JPEG or WebP image") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed.field("file", f"is truncated or corrupt ({exc})") from None
    mime, ext = FORMATS[fmt]
    return mime, ext, width, height


def upload_asset(session, store: MediaStore, data: bytes, actor: User | None) -> Asset:
    mime, ext, width, height = inspect_image(data)
    sha256 = store.put(data, ext)
    asset = Asset(
        sha256=sha256,
        mime=mime,
        ext=ext,
        width=width,
        height=height,
        size=len(data),
        created_by_id=actor.id if actor else None,
    )
    session.add(asset)
    session.flush()
    audit.record(session, actor, "upload", asset, sha256=sha256)
    return asset
