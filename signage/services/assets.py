"""Uploaded images, checked by their content and never by their name."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

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
ACCEPTED = ["PNG", "JPEG", "WebP"]  # as people name them, for the messages


def _probe(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) after decoding every pixel, or a 4xx error naming the problem."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as probe:
            fmt, (width, height) = probe.format, probe.size
            if fmt not in FORMATS:
                raise UnsupportedMedia("image_format_not_accepted", format=fmt, accepted=ACCEPTED)
            if width * height > MAX_PIXELS:
                raise ValidationFailed.field(
                    "file", "too_many_pixels", width=width, height=height, limit=MAX_PIXELS
                )
            probe.load()
    return fmt, width, height


def inspect_image(data: bytes) -> tuple[str, str, int, int]:
    """(mime, ext, width, height) of a safe, complete image, or a 4xx error naming the problem."""
    if len(data) > MAX_BYTES:
        raise TooLarge("file_too_large", size=len(data), limit=MAX_BYTES)
    try:
        fmt, width, height = _probe(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationFailed.field("file", "decompression_bomb") from None
    except UnidentifiedImageError:
        raise UnsupportedMedia("not_an_image", accepted=ACCEPTED) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationFailed.field("file", "image_corrupt") from None
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


def asset_choices(session: Session, limit: int, held: Iterable[int] = ()) -> list[Asset]:
    """The ``limit`` newest uploads, then any older asset among ``held`` (ids a form already
    holds), so a form never loses the image it shows."""
    choices = list(session.scalars(select(Asset).order_by(Asset.id.desc()).limit(limit)))
    missing = {i for i in held if 0 < i < 2**31} - {asset.id for asset in choices}
    if missing:
        older = select(Asset).where(Asset.id.in_(missing)).order_by(Asset.id.desc())
        choices += session.scalars(older)
    return choices
