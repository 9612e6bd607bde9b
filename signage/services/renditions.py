"""Render slide revisions at board sizes and keep the results in the media store.

Each rendition carries a ``render_key``: the SHA-256 of everything its pixels depend on (the
renderer's version, the layout and its files, the field values, the images they name and the
size). A revision whose key was rendered before reuses those bytes, so a new revision that only
changes its dates or duration renders nothing: only what changed is re-rendered.

A rendition's ``warnings`` are the render's warnings as ``{"code", ...}`` dicts. Rows written
before warnings were codes hold English sentences instead; such a row is never reused (its
inputs are rendered again, giving the same bytes and coded warnings), so no sentence is ever
copied forward."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from signage import rendering
from signage.models import Asset, PlaylistItem, Rendition, Slide, SlideRevision
from signage.storage import MediaStore

from .layouts import resource_digests, resources_for


def _image_assets(session: Session, fields: dict) -> dict[str, Asset]:
    value = fields.get("image")
    if value is None:
        return {}
    try:
        asset = session.get(Asset, int(value))
    except (TypeError, ValueError):
        return {}
    return {str(value): asset} if asset is not None else {}


def images_for(session: Session, store: MediaStore, fields: dict) -> dict[str, bytes]:
    """The image bytes the renderer needs, keyed by the field value that names them."""
    return {
        key: store.get(asset.sha256, asset.ext)
        for key, asset in _image_assets(session, fields).items()
    }


def render_key(session: Session, revision: SlideRevision, width: int, height: int) -> str:
    """The SHA-256 of every input of the rendered pixels, and nothing else."""
    layout = revision.layout
    images = {k: a.sha256 for k, a in _image_assets(session, revision.fields).items()}
    inputs = {
        "renderer": rendering.renderer_version,
        "spec": layout.spec,
        "resources": resource_digests(layout),
        "fields": revision.fields,
        "images": images,
        "size": [width, height],
    }
    encoded = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def render_revision(
    session: Session, store: MediaStore, revision: SlideRevision, width: int, height: int
) -> rendering.RenderResult:
    images = images_for(session, store, revision.fields)
    resources = resources_for(store, revision.layout)
    return rendering.render(
        revision.layout.spec, revision.fields, width, height, images=images, resources=resources
    )


def _reusable(session: Session, store: MediaStore, key: str) -> Rendition | None:
    """The newest stored rendition with the same inputs whose bytes are still in the media
    store and whose warnings are codes."""
    query = select(Rendition).where(Rendition.render_key == key)
    match = session.scalar(query.order_by(Rendition.id.desc()).limit(1))
    if match is None or not _coded(match.warnings):
        return None
    return match if store.path_for(match.sha256, match.ext).is_file() else None


def _coded(warnings: list | None) -> bool:
    return all(isinstance(warning, dict) for warning in warnings or [])


def ensure_rendition(
    session: Session, store: MediaStore, revision: SlideRevision, width: int, height: int
) -> Rendition:
    """The stored rendition, reusing identical earlier output or rendering it if new."""
    query = select(Rendition).where(
        Rendition.revision_id == revision.id, Rendition.width == width, Rendition.height == height
    )
    existing = session.scalar(query)
    if existing is not None:
        return existing
    key = render_key(session, revision, width, height)
    same = _reusable(session, store, key)
    if same is not None:
        output = (same.sha256, same.mime, same.ext, same.size, list(same.warnings or []))
    else:
        result = render_revision(session, store, revision, width, height)
        store.put(result.data, result.ext)
        warnings = [warning.as_dict() for warning in result.warnings]
        output = (result.sha256, result.mime, result.ext, len(result.data), warnings)
    sha256, mime, ext, size, warnings = output
    rendition = Rendition(
        revision_id=revision.id,
        width=width,
        height=height,
        sha256=sha256,
        mime=mime,
        ext=ext,
        size=size,
        warnings=warnings,
        render_key=key,
    )
    try:
        with session.begin_nested():
            session.add(rendition)
    except IntegrityError:
        # Another process rendered the same size meanwhile; the bytes are identical.
        return session.scalar(query)
    return rendition


def render_playable(session: Session, store: MediaStore, sizes: list[tuple[int, int]]) -> int:
    """Render the playable revision of every slide in a playlist at each of these board sizes
    where it has no rendition yet; the number of renditions made."""
    before = session.scalar(select(func.count(Rendition.id)))
    in_use = select(PlaylistItem.slide_id)
    query = select(Slide).where(Slide.id.in_(in_use)).options(selectinload(Slide.revisions))
    for slide in session.scalars(query):
        revision = slide.playable
        for width, height in sizes if revision else ():
            ensure_rendition(session, store, revision, width, height)
    return session.scalar(select(func.count(Rendition.id))) - before
