"""Offline bundles: a board's content for N days as one zip that plays without a network.

Many LED controllers only take content from a USB stick. A bundle holds the board's renditions,
the manifest (player protocol v1 shape, media URLs relative to the bundle), a SMIL 3.0 playlist
for commercial players and a small web page that applies the clock rule from ``file://``.
The layout is described in docs/bundles.md.

Small boards get lossless WebP renditions from the renderer, but many SMIL players and LED
controllers decode only PNG and JPEG: a bundle carries those as PNG, pixel for pixel the same."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy.orm import Session

from signage import scheduling
from signage.models import Board, Rendition, SlideRevision, utcnow
from signage.problems import Problem
from signage.resources import resource_dir
from signage.storage import MediaStore

from . import manifests
from .bundle_smil import parse_instant, smil_document
from .errors import ServiceError, ValidationFailed
from .renditions import ensure_rendition
from .timelines import board_segments

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 31, 7

# Told as the export goes: (step, done, total), e.g. ("renditions", 3, 12).
Progress = Callable[[str, int, int], None]

# The bundle's web page (player/bundle/), and the clock rule and the stage (image layers, cut
# or crossfade) that it shares with the web player: member name -> path under player/.
PAGE_FILES = {
    "index.html": ("bundle", "index.html"),
    "player/bundle.js": ("bundle", "bundle.js"),
    "player/bundle.css": ("bundle", "bundle.css"),
    "player/timeline.js": ("timeline.js",),
    "player/stage.js": ("stage.js",),
    "player/stage.css": ("stage.css",),
}


class MediaDamaged(ServiceError):
    """A rendition's file is missing from the media store or no longer hashes to its name."""

    status = 500


@dataclass(frozen=True)
class MediaFile:
    """One image in the bundle: a rendition as stored, or re-encoded as PNG."""

    sha256: str  # of the bytes the bundle holds
    mime: str
    source: Path  # the rendition in the media store
    source_sha256: str
    converted: bytes | None = None

    @property
    def name(self) -> str:
        return f"media/{self.sha256}.{MIME_EXT[self.mime]}"


MIME_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


@dataclass(frozen=True)
class Bundle:
    manifest: dict
    smil: bytes
    media: dict[str, MediaFile]  # member name -> its file
    filename: str  # a download name after the board and the dates covered


def _quiet(_step: str, _done: int, _total: int) -> None:
    return None


def parse_days(value: Any) -> int:
    """Days to cover, from a query string, a form or an int; None or "" means the default."""
    text = str(DEFAULT_DAYS if value in (None, "") else value).strip()
    if not (text.isascii() and text.isdigit()) or not MIN_DAYS <= int(text) <= MAX_DAYS:
        raise ValidationFailed.field("days", "not_a_day_count", low=MIN_DAYS, high=MAX_DAYS)
    return int(text)


def _slug(name: str) -> str:
    # Board names are Vietnamese; đ has no Unicode decomposition, so it is mapped by hand.
    text = name.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-") or "board"


def bundle_filename(board: Board, start: datetime, end: datetime) -> str:
    """board-7-bang-led-chi-lang_2026-11-26_2026-12-03.zip, dates local to the board."""
    zone = ZoneInfo(board.timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return f"board-{board.id}-{_slug(board.name)}_{first}_{last}.zip"


def _revisions(segments: list[scheduling.Segment]) -> list[SlideRevision]:
    """Each revision the segments play, once, in the order it first plays."""
    seen: dict[int, SlideRevision] = {}
    for segment in segments:
        for item in segment.items:
            seen.setdefault(item.payload.id, item.payload)
    return list(seen.values())


def _renditions(
    session: Session, store: MediaStore, board: Board, revisions: list[SlideRevision], report
) -> dict[int, Rendition]:
    found = {}
    for done, revision in enumerate(revisions, 1):
        found[revision.id] = ensure_rendition(session, store, revision, board.width, board.height)
        report("renditions", done, len(revisions))
    return found


def _portable(store: MediaStore, rendition: Rendition) -> MediaFile:
    """The rendition as the bundle carries it: WebP becomes PNG (see the module docstring)."""
    path = store.path_for(rendition.sha256, rendition.ext)
    as_stored = MediaFile(rendition.sha256, rendition.mime, path, rendition.sha256)
    if rendition.mime != "image/webp":
        return as_stored
    data = _media_bytes(as_stored.name, path, rendition.sha256)
    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.save(out, "PNG")
    png = out.getvalue()
    return MediaFile(hashlib.sha256(png).hexdigest(), "image/png", path, rendition.sha256, png)


def _bundle_segment(
    session: Session,
    store: MediaStore,
    board: Board,
    segment,
    found: dict[int, Rendition],
    files: dict[str, MediaFile],
) -> dict:
    body = manifests.segment_json(
        session, store, board, segment, renditions=lambda revision, _w, _h: found[revision.id]
    )
    for item in body["items"]:
        media = files[item["sha256"]]
        # Relative, so the bundle plays from wherever it is unpacked (a USB stick, file://).
        item.update(url=media.name, sha256=media.sha256, mime=media.mime)
    return body


def bundle_manifest(
    board: Board, segments: list[dict], start: datetime, end: datetime, poll_seconds: int
) -> dict:
    """The contract's manifest shape; the export instant stands in for the server's clock."""
    values = manifests.manifest_values(board, segments, start, end, poll_seconds)
    return {
        "board": values["body"]["board"],
        "version": values["version"],
        "generated_at": manifests.iso(start),
        "valid_until": manifests.iso(end),
        "server_time": manifests.iso(start),
        "poll_seconds": poll_seconds,
        "segments": segments,
    }


def build(
    session: Session,
    store: MediaStore,
    board: Board,
    days: Any,
    *,
    now: datetime | None = None,
    poll_seconds: int = 30,
    progress: Progress | None = None,
) -> Bundle:
    """Plan a bundle for ``days`` from ``now``, rendering what is missing (the caller commits,
    so the renditions are kept for the boards' next manifests)."""
    days = parse_days(days)
    report = progress or _quiet
    start = (now or utcnow()).replace(microsecond=0)
    end = start + timedelta(days=days)
    segments = board_segments(session, board, start, end)
    report("schedule", len(segments), len(segments))
    found = _renditions(session, store, board, _revisions(segments), report)
    files = {r.sha256: _portable(store, r) for r in found.values()}
    bodies = [_bundle_segment(session, store, board, s, found, files) for s in segments]
    media = {file.name: file for file in files.values()}
    manifest = bundle_manifest(board, bodies, start, end, poll_seconds)
    return Bundle(manifest, smil_document(manifest), media, bundle_filename(board, start, end))


def _bundled_bytes(file: MediaFile) -> bytes:
    if file.converted is not None:
        return file.converted
    return _media_bytes(file.name, file.source, file.source_sha256)


def _media_bytes(name: str, path: Path, sha256: str) -> bytes:
    """The file's bytes, checked: a bundle on a USB stick is beyond repair once it is shipped."""
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        raise MediaDamaged("media_damaged", name=name)
    return data


def _page_files() -> dict[str, Path]:
    player = resource_dir("player")
    return {name: player.joinpath(*parts) for name, parts in PAGE_FILES.items()}


def _texts(bundle: Bundle) -> dict[str, bytes]:
    manifest = bundle.manifest
    as_script = json.dumps(manifest, ensure_ascii=True, separators=(",", ":"))
    return {
        "manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
        # file:// pages may not fetch() local files, but they may load local scripts.
        "manifest.js": f"window.SIGNAGE_BUNDLE = {as_script};\n".encode("ascii"),
        "playlist.smil": bundle.smil,
        **{name: path.read_bytes() for name, path in _page_files().items()},
    }


def _add(archive: zipfile.ZipFile, name: str, data: bytes, stamp, compress: int) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compress
    info.external_attr = 0o644 << 16  # readable once unpacked, whatever the unzip tool
    archive.writestr(info, data)


def write_zip(bundle: Bundle, handle: IO[bytes], progress: Progress | None = None) -> None:
    """Write the bundle's zip to an open binary file."""
    report = progress or _quiet
    zone = ZoneInfo(bundle.manifest["board"]["timezone"])
    # Zip times are naive; the board's wall clock is what the person with the USB stick sees.
    stamp = parse_instant(bundle.manifest["generated_at"]).astimezone(zone).timetuple()[:6]
    with zipfile.ZipFile(handle, "w") as archive:
        for name, data in _texts(bundle).items():
            _add(archive, name, data, stamp, zipfile.ZIP_DEFLATED)
        for done, (name, file) in enumerate(sorted(bundle.media.items()), 1):
            # Images are compressed already; storing them keeps the export fast.
            _add(archive, name, _bundled_bytes(file), stamp, zipfile.ZIP_STORED)
            report("media", done, len(bundle.media))


# Why the system refused to write: the reason of ``output_not_writable``. The commonest have
# words; any other is quoted by its errno name (``EIO``), which is what one would look up.
OS_REASONS = {
    errno.EACCES: Problem.of("no_permission"),
    errno.EPERM: Problem.of("no_permission"),
    errno.ENOSPC: Problem.of("disk_full"),
    errno.EROFS: Problem.of("read_only_storage"),
    errno.ENOENT: Problem.of("not_a_folder"),
    errno.ENOTDIR: Problem.of("not_a_folder"),
}
NO_ERRNO = Problem.of("os_error")  # an OSError that names no errno


def _unwritable(target: Path, reason_code: str) -> ValidationFailed:
    return ValidationFailed.field(
        "output", "output_not_writable", location=str(target), reason_code=reason_code
    )


def _refused(target: Path, exc: OSError) -> ValidationFailed:
    known = OS_REASONS.get(exc.errno)
    reason = known.code if known else errno.errorcode.get(exc.errno or 0, NO_ERRNO.code)
    return _unwritable(target, reason)


def check_output(path: str | os.PathLike) -> Path:
    """The absolute output path, a zip file or a folder to put it in (a USB stick's mount
    point), refused early, before any rendering, if it cannot be written."""
    target = Path(os.path.abspath(path))
    folder = target if target.is_dir() else target.parent
    if not folder.is_dir():
        raise _unwritable(target, reason_code="not_a_folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _unwritable(target, reason_code="no_permission")
    return target


def save(bundle: Bundle, path: str | os.PathLike, progress: Progress | None = None) -> Path:
    """Write the zip atomically: a reader never sees half a bundle, and a failed export leaves
    an earlier bundle of the same name as it was."""
    target = check_output(path)
    if target.is_dir():
        target = target / bundle.filename
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise _refused(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            write_zip(bundle, handle, progress)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _refused(target, exc) from exc
        raise
    return target
