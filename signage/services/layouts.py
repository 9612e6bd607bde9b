"""Layout templates: the built-in ones, uploads, and versions."""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage import rendering
from signage.models import Layout, User
from signage.problems import Problem
from signage.storage import MediaStore

from . import audit, layout_packages
from .errors import NotFound, ValidationFailed, detail

MAX_LAYOUT_BYTES = layout_packages.MAX_LAYOUT_BYTES
MAX_PACKAGE_BYTES = layout_packages.MAX_PACKAGE_BYTES


def display_name(spec: dict, locale: str = "vi") -> str:
    name = spec.get("name", spec.get("key", "?"))
    if isinstance(name, dict):
        return str(name.get(locale) or name.get("vi") or next(iter(name.values()), "?"))
    return str(name)


def fields_of(layout: Layout | dict) -> list[dict]:
    """The fields a layout (or a layout spec) takes: [{"name", "kind", "required", ...}]."""
    spec = layout if isinstance(layout, dict) else layout.spec
    return rendering.layout_fields(spec)


def variant_at(layout: Layout, width: int, height: int) -> str:
    """The name of the layout's variant used at width x height ("default" for none)."""
    return rendering.variant_name(layout.spec, width, height) or "default"


def _next_version(session: Session, key: str) -> int:
    current = session.scalar(select(func.max(Layout.version)).where(Layout.key == key))
    return (current or 0) + 1


def _latest(session: Session, key: str) -> Layout | None:
    return session.scalar(
        select(Layout).where(Layout.key == key).order_by(Layout.version.desc()).limit(1)
    )


def sync_builtin(session: Session) -> None:
    """Add each built-in layout, or a new version of it when the shipped file changed."""
    for spec in rendering.builtin_layouts():
        latest = _latest(session, spec["key"])
        if latest is not None and latest.spec == spec:
            continue
        session.add(
            Layout(
                key=spec["key"],
                version=_next_version(session, spec["key"]),
                name=display_name(spec),
                spec=spec,
                builtin=True,
            )
        )
    session.flush()


def current_layouts(session: Session) -> list[Layout]:
    """The newest version of every layout."""
    newest = (
        select(Layout.key, func.max(Layout.version).label("version"))
        .group_by(Layout.key)
        .subquery()
    )
    query = select(Layout).join(
        newest, (Layout.key == newest.c.key) & (Layout.version == newest.c.version)
    )
    return list(session.scalars(query.order_by(Layout.builtin.desc(), Layout.key)))


def _find(session: Session, layout_id: int) -> Layout | None:
    # Ids are 32-bit columns; a bigger number names no layout (and PostgreSQL would refuse it).
    return session.get(Layout, layout_id) if 0 < layout_id < 2**31 else None


def get_layout(session: Session, layout_id: int, field: str = "layout_id") -> Layout:
    """The layout a request names in ``field``; a 422 on that field when there is none."""
    if isinstance(layout_id, bool) or not isinstance(layout_id, int):
        raise ValidationFailed.field(field, "not_an_integer")
    layout = _find(session, layout_id)
    if layout is None:
        raise ValidationFailed.field(field, "unknown_layout", id=layout_id)
    return layout


def require_layout(session: Session, layout_id: int) -> Layout:
    """The layout a URL names; a 404 when there is none."""
    layout = _find(session, layout_id)
    if layout is None:
        raise NotFound("layout_not_found", id=layout_id)
    return layout


def read_layout_upload(data: bytes) -> tuple[dict, list[Problem]]:
    """The layout spec in an upload (a JSON document or a layout package) and any warnings."""
    upload = layout_packages.read_upload(data)
    return upload.spec, upload.warnings


def parse_layout_document(data: bytes) -> dict:
    return read_layout_upload(data)[0]


def newest_version(session: Session, layout: Layout) -> Layout:
    """The newest version of the layout's key (the layout itself when it is the newest)."""
    return _latest(session, layout.key) or layout


def versions(session: Session, key: str) -> list[Layout]:
    query = select(Layout).where(Layout.key == key).order_by(Layout.version.desc())
    return list(session.scalars(query))


# Package files are content-addressed, so their bytes are cached by their SHA-256s.
_RESOURCE_CACHE: OrderedDict[tuple, dict[str, bytes]] = OrderedDict()
_RESOURCE_CACHE_SIZE = 16


def resources_for(store: MediaStore | None, layout: Layout) -> dict[str, bytes]:
    """The bytes of the layout package's files by their path in it (empty for plain JSON)."""
    if not layout.resources or store is None:
        return {}
    key = tuple(sorted(resource_digests(layout).items()))
    cached = _RESOURCE_CACHE.get(key)
    if cached is not None:
        _RESOURCE_CACHE.move_to_end(key)
        return cached
    files = {p: store.get(info["sha256"], info["ext"]) for p, info in layout.resources.items()}
    _RESOURCE_CACHE[key] = files
    while len(_RESOURCE_CACHE) > _RESOURCE_CACHE_SIZE:
        _RESOURCE_CACHE.popitem(last=False)
    return files


def resource_digests(layout: Layout) -> dict[str, str]:
    return {path: info["sha256"] for path, info in (layout.resources or {}).items()}


def _validate(spec: dict, files: dict[str, bytes]) -> None:
    try:
        rendering.validate_layout(spec, files or None)
    except rendering.LayoutError as exc:
        raise ValidationFailed.fields([detail(exc.path, exc.code, **exc.params)]) from None


def upload_layout(
    session: Session, data: bytes, actor: User | None, store: MediaStore | None = None
) -> tuple[Layout, list[dict]]:
    """Check everything first; only a fully valid upload stores its files and adds a row.
    A key that exists gets the next version; slides keep the version they were made with.
    Returns the layout and the upload's warnings as ``{"code", ...}`` dicts."""
    upload = layout_packages.read_upload(data)
    spec, warnings = upload.spec, [w.as_dict() for w in upload.warnings]
    _validate(spec, upload.files)
    if upload.files and store is None:
        raise ValidationFailed.field("file", "package_needs_media_store")
    resources = {}
    for path, content in upload.files.items():
        mime, ext = upload.kinds[path]
        sha256 = store.put(content, ext)
        resources[path] = {"sha256": sha256, "ext": ext, "size": len(content), "mime": mime}
    layout = Layout(
        key=spec["key"],
        version=_next_version(session, spec["key"]),
        name=display_name(spec),
        spec=spec,
        builtin=False,
        resources=resources or None,
        created_by_id=actor.id if actor else None,
    )
    session.add(layout)
    session.flush()
    audit.record(session, actor, "upload", layout, key=layout.key, version=layout.version)
    return layout, warnings
