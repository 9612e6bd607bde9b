"""Layout templates: the built-in ones, uploads, and versions."""

from __future__ import annotations

import io
import json
import zipfile
import zlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage import rendering
from signage.models import Layout, User

from . import audit
from .errors import NotFound, ValidationFailed

MAX_LAYOUT_BYTES = 256 * 1024
MAX_BUNDLE_BYTES = 4 * 1024 * 1024
MAX_BUNDLE_ENTRIES = 200
BUNDLE_DESCRIPTOR = "layout.json"


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


def _decode(raw: bytes) -> dict:
    try:
        spec = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed.field("file", f"is not valid JSON: {exc}") from None
    if not isinstance(spec, dict):
        raise ValidationFailed.field("$", "a layout must be a JSON object")
    return spec


def _descriptor(entries: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """The bundle's layout.json at its top level, or else its only JSON file."""
    files = [e for e in entries if not e.is_dir()]
    named = [e for e in files if e.filename == BUNDLE_DESCRIPTOR]
    candidates = named or [e for e in files if e.filename.lower().endswith(".json")]
    if len(candidates) != 1:
        raise ValidationFailed.field(
            "file", f"a layout bundle needs exactly one {BUNDLE_DESCRIPTOR} at its top level"
        )
    return candidates[0]


def _read_bundle(data: bytes) -> tuple[bytes, list[str]]:
    """The descriptor's bytes and warnings. Nothing is extracted to disk, so entry names such
    as ``../x`` cannot write anywhere (zip slip), and reads stop at the size limit (zip bomb)."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise ValidationFailed.field("file", f"a layout bundle is at most {MAX_BUNDLE_BYTES} bytes")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            entries = bundle.infolist()
            if len(entries) > MAX_BUNDLE_ENTRIES:
                raise ValidationFailed.field(
                    "file", f"a layout bundle holds at most {MAX_BUNDLE_ENTRIES} files"
                )
            descriptor = _descriptor(entries)
            with bundle.open(descriptor) as handle:
                raw = handle.read(MAX_LAYOUT_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise ValidationFailed.field("file", f"is not a readable zip bundle ({exc})") from None
    if len(raw) > MAX_LAYOUT_BYTES:
        raise ValidationFailed.field(
            "file", f"{BUNDLE_DESCRIPTOR} is over the {MAX_LAYOUT_BYTES} byte limit"
        )
    ignored = [e.filename for e in entries if e is not descriptor and not e.is_dir()]
    return raw, [f"{name}: ignored, only {descriptor.filename} is read" for name in ignored]


def read_layout_upload(data: bytes) -> tuple[dict, list[str]]:
    """The layout spec in an upload (a JSON document or a zip bundle) and any warnings."""
    if data[:4] == b"PK\x03\x04":
        raw, warnings = _read_bundle(data)
        return _decode(raw), warnings
    if len(data) > MAX_LAYOUT_BYTES:
        raise ValidationFailed.field(
            "file", f"a layout document is at most {MAX_LAYOUT_BYTES} bytes"
        )
    return _decode(data), []


def parse_layout_document(data: bytes) -> dict:
    return read_layout_upload(data)[0]


def upload_layout(session: Session, data: bytes, actor: User | None) -> tuple[Layout, list[str]]:
    spec, warnings = read_layout_upload(data)
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
    return layout, warnings
