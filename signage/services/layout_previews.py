"""Previews at every registered board size: a layout with its sample content, or a slide
revision with its own, each with the variant chosen and the warnings that size brings."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict

from sqlalchemy.orm import Session

from signage import rendering
from signage.models import Layout, SlideRevision
from signage.storage import MediaStore

from . import validation
from .boards import distinct_sizes
from .layouts import resource_digests, resources_for
from .renditions import images_for, render_key

FALLBACK_SIZES = [(1920, 1080)]
MIN_SIDE, MAX_SIDE = 16, 8192

# Identical inputs give identical bytes, so a rendered preview can be kept for a while;
# the cache is bounded by its total bytes (a 4K preview can be a few megabytes).
_CACHE: OrderedDict[tuple, rendering.RenderResult] = OrderedDict()
_CACHE_BYTES = 48 * 1024 * 1024


def _cached(key: tuple, make) -> rendering.RenderResult:
    found = _CACHE.get(key)
    if found is not None:
        _CACHE.move_to_end(key)
        return found
    result = make()
    _CACHE[key] = result
    while len(_CACHE) > 1 and sum(len(r.data) for r in _CACHE.values()) > _CACHE_BYTES:
        _CACHE.popitem(last=False)
    return result


def preview_sizes(session: Session) -> tuple[list[tuple[int, int]], bool]:
    """Every registered board size, or a stand-in when no board is registered yet."""
    sizes = distinct_sizes(session)
    return (sizes, True) if sizes else (FALLBACK_SIZES, False)


def size_params(width, height) -> tuple[int, int]:
    return (
        validation.integer(width, "width", MIN_SIDE, MAX_SIDE),
        validation.integer(height, "height", MIN_SIDE, MAX_SIDE),
    )


def layout_key(layout: Layout) -> str:
    """The SHA-256 of what a layout's sample preview depends on (never its row id)."""
    inputs = [rendering.renderer_version, layout.spec, resource_digests(layout)]
    encoded = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def render_layout(store: MediaStore, layout: Layout, width: int, height: int):
    """The layout's sample content at width x height."""
    key = ("layout", layout_key(layout), width, height)
    resources = resources_for(store, layout) or None
    return _cached(
        key,
        lambda: rendering.render(
            layout.spec,
            rendering.sample_fields(layout.spec),
            width,
            height,
            images=rendering.sample_images(layout.spec),
            resources=resources,
        ),
    )


def render_slide(session: Session, store: MediaStore, revision: SlideRevision, width, height):
    key = ("slide", render_key(session, revision, width, height))
    images = images_for(session, store, revision.fields)
    resources = resources_for(store, revision.layout) or None
    return _cached(
        key,
        lambda: rendering.render(
            revision.layout.spec, revision.fields, width, height, images=images, resources=resources
        ),
    )


def _entry(spec, fields, width, height, result, resources) -> dict:
    """One board size: the variant, the render's warnings and the fields that do not fit.

    Warnings and problems are ``{"code", ...}`` dicts; a warning about one region names its
    ``field`` or its JSON ``path``."""
    found = rendering.fit_problems(spec, fields, width, height, resources)
    return {
        "width": width,
        "height": height,
        "variant": rendering.variant_name(spec, width, height) or "default",
        "warnings": [warning.as_dict() for warning in result.warnings],
        "problems": [problem.as_dict() for problem in found],
    }


def layout_previews(session: Session, store: MediaStore, layout: Layout) -> list[dict]:
    """[{width, height, variant, warnings, problems}] for every board size; the warnings also
    name the characters of the sample content that the layout's fonts lack."""
    spec, fields = layout.spec, rendering.sample_fields(layout.spec)
    resources = resources_for(store, layout) or None
    glyphs = [p.as_dict() for p in rendering.missing_glyphs(spec, fields, resources)]
    entries = []
    for width, height in preview_sizes(session)[0]:
        result = render_layout(store, layout, width, height)
        entry = _entry(spec, fields, width, height, result, resources)
        entry["warnings"] += glyphs
        entries.append(entry)
    return entries


def revision_previews(session: Session, store: MediaStore, revision: SlideRevision) -> list[dict]:
    """The same for a slide revision with its own content."""
    spec, fields = revision.layout.spec, revision.fields
    resources = resources_for(store, revision.layout) or None
    entries = []
    for width, height in preview_sizes(session)[0]:
        result = render_slide(session, store, revision, width, height)
        entries.append(_entry(spec, fields, width, height, result, resources))
    return entries
