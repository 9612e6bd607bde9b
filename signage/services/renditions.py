"""Render slide revisions at board sizes and keep the results in the media store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from signage import rendering
from signage.models import Asset, Rendition, SlideRevision
from signage.storage import MediaStore


def images_for(session: Session, store: MediaStore, fields: dict) -> dict[str, bytes]:
    """The image bytes the renderer needs, keyed by the field value that names them."""
    value = fields.get("image")
    if value is None:
        return {}
    asset = session.get(Asset, int(value))
    if asset is None:
        return {}
    return {str(value): store.get(asset.sha256, asset.ext)}


def render_revision(
    session: Session, store: MediaStore, revision: SlideRevision, width: int, height: int
) -> rendering.RenderResult:
    images = images_for(session, store, revision.fields)
    return rendering.render(revision.layout.spec, revision.fields, width, height, images)


def ensure_rendition(
    session: Session, store: MediaStore, revision: SlideRevision, width: int, height: int
) -> Rendition:
    """The stored rendition, rendering it first if this size is new."""
    query = select(Rendition).where(
        Rendition.revision_id == revision.id, Rendition.width == width, Rendition.height == height
    )
    existing = session.scalar(query)
    if existing is not None:
        return existing
    result = render_revision(session, store, revision, width, height)
    store.put(result.data, result.ext)
    rendition = Rendition(
        revision_id=revision.id,
        width=width,
        height=height,
        sha256=result.sha256,
        mime=result.mime,
        ext=result.ext,
        size=len(result.data),
        warnings=list(result.warnings),
    )
    try:
        with session.begin_nested():
            session.add(rendition)
    except IntegrityError:
        # Another process rendered the same size meanwhile; the bytes are identical.
        return session.scalar(query)
    return rendition
