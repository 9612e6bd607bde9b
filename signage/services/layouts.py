"""Layout templates: the built-in ones, uploads, and versions."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage import rendering
from signage.models import Layout, User

from . import audit
from .errors import NotFound, UnsupportedMedia, ValidationFailed

MAX_LAYOUT_BYTES = 256 * 1024


def display_name(spec: dict, locale: str = "vi") -> str:
    name = spec.get("name", spec.get("key", "?"))
    if isinstance(name, dict):
        return str(name.get(locale) or name.get("vi") or next(iter(name.values()), "?"))
    return str(name)


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


def get_layout(session: Session, layout_id: int, field: str = "layout_id") -> Layout:
    layout = session.get(Layout, layout_id) if isinstance(layout_id, int) else None
    if layout is None:
        raise ValidationFailed.field(field, f"unknown layout {layout_id!r}")
    return layout


def require_layout(session: Session, layout_id: int) -> Layout:
    layout = session.get(Layout, layout_id)
    if layout is None:
        raise NotFound(f"no layout {layout_id}")
    return layout


def parse_layout_document(data: bytes) -> dict:
    if len(data) > MAX_LAYOUT_BYTES:
        raise ValidationFailed.field(
            "file", f"a layout document is at most {MAX_LAYOUT_BYTES} bytes"
        )
    if data[:4] == b"PK\x03\x04":
        raise UnsupportedMedia("zip layout bundles are not accepted yet; upload the JSON document")
    try:
        spec = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed.field("file", f"is not valid JSON: {exc}") from None
    if not isinstance(spec, dict):
        raise ValidationFailed.field("$", "a layout must be a JSON object")
    return spec


def upload_layout(session: Session, data: bytes, actor: User | None) -> tuple[Layout, list[str]]:
    spec = parse_layout_document(data)
    try:
        rendering.validate_layout(spec)
    except rendering.LayoutError as exc:
        raise ValidationFailed(str(exc), [{"field": exc.path, "message": str(exc)}]) from None
    layout = Layout(
        key=spec["key"],
        version=_next_version(session, spec["key"]),
        name=display_name(spec),
        spec=spec,
        builtin=False,
        created_by_id=actor.id if actor else None,
    )
    session.add(layout)
    session.flush()
    audit.record(session, actor, "upload", layout, key=layout.key, version=layout.version)
    return layout, []
