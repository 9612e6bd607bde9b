"""Reading a layout upload safely: a JSON document, or a zip bundle of ``layout.json`` plus
its images and fonts. Nothing is ever extracted to disk; every entry is checked by its name
and its content before anything is stored."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from PIL import ImageFont

from . import assets
from .errors import ServiceError, TooLarge, UnsupportedMedia, ValidationFailed

MAX_LAYOUT_BYTES = 256 * 1024
MAX_BUNDLE_BYTES = 16 * 1024 * 1024
MAX_BUNDLE_ENTRIES = 64
MAX_EXPANDED_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 16 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per entry: beyond this it is a zip bomb
BUNDLE_DESCRIPTOR = "layout.json"
FONT_MAGIC = {b"\x00\x01\x00\x00": "ttf", b"true": "ttf", b"OTTO": "otf"}
FONT_MIME = {"ttf": "font/ttf", "otf": "font/otf"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Upload:
    """A layout upload after every check: the spec, its files' bytes and their identity."""

    spec: dict
    files: dict[str, bytes] = field(default_factory=dict)  # bundle path -> bytes
    kinds: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (mime, ext)
    warnings: list[str] = field(default_factory=list)


def decode_json(raw: bytes, where: str = "file") -> dict:
    """The JSON object in ``raw``; malformed JSON names the line and column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed.field(where, "is not UTF-8 text") from None
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise ValidationFailed.field(where, message) from None
    if not isinstance(spec, dict):
        raise ValidationFailed.field("$", "a layout must be a JSON object")
    return spec


def read_upload(data: bytes) -> Upload:
    """Check an upload completely; raises a 4xx ServiceError naming the first problem."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _read_bundle(data)
    if len(data) > MAX_LAYOUT_BYTES:
        raise TooLarge(f"file: a layout document is at most {MAX_LAYOUT_BYTES} bytes")
    return Upload(decode_json(data))


def unsafe_name(name: str) -> str | None:
    """Why an entry name could escape the bundle, or None when it is a plain relative path."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    parts = re.split(r"[\\/]", name)
    if ".." in parts:
        return "contains '..'"
    if "\\" in name:
        return "uses backslashes; use / between folders"
    if any(ord(c) < 32 for c in name):
        return "contains control characters"
    return None


def _check_entry(entry: zipfile.ZipInfo) -> None:
    name = entry.filename
    problem = unsafe_name(name)
    if problem:
        raise ValidationFailed.field(name, f"zip entry {problem}; nothing was stored")
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise ValidationFailed.field(name, "zip entry is a symbolic link; nothing was stored")
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > 1024 * 1024 and ratio > MAX_RATIO:
        raise ValidationFailed.field(
            name, f"compresses {ratio:.0f}:1, over the {MAX_RATIO}:1 limit (a decompression bomb)"
        )
    if entry.file_size > MAX_ENTRY_BYTES:
        raise TooLarge(
            f"{name}: expands to {entry.file_size} bytes, over the {MAX_ENTRY_BYTES} limit"
        )


def _entries(bundle: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    entries = bundle.infolist()
    if len(entries) > MAX_BUNDLE_ENTRIES:
        raise ValidationFailed.field(
            "file", f"the bundle holds {len(entries)} entries; at most {MAX_BUNDLE_ENTRIES}"
        )
    for entry in entries:
        _check_entry(entry)
    total = sum(e.file_size for e in entries)
    if total > MAX_EXPANDED_BYTES:
        raise ValidationFailed.field(
            "file", f"the bundle expands to {total} bytes, over the {MAX_EXPANDED_BYTES} limit"
        )
    return [e for e in entries if not e.is_dir() and not _is_junk(e.filename)]


def _is_junk(name: str) -> bool:
    return name.startswith(_JUNK[0]) or PurePosixPath(name).name in _JUNK[1:]


def _read_entry(bundle: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    """Read at most the declared size; a lying header cannot make us read more."""
    limit = min(entry.file_size, budget)
    with bundle.open(entry) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed.field(entry.filename, "expands beyond its declared size")
    return data


def _read_bundle(data: bytes) -> Upload:
    if len(data) > MAX_BUNDLE_BYTES:
        raise TooLarge(f"file: a layout bundle is at most {MAX_BUNDLE_BYTES} bytes")
    contents: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            budget = MAX_EXPANDED_BYTES
            for entry in _entries(bundle):
                contents[entry.filename] = _read_entry(bundle, entry, budget)
                budget -= len(contents[entry.filename])
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise ValidationFailed.field("file", f"is not a readable zip bundle ({exc})") from None
    descriptor = _descriptor(contents)
    raw = contents.pop(descriptor)
    if len(raw) > MAX_LAYOUT_BYTES:
        raise TooLarge(f"{descriptor}: over the {MAX_LAYOUT_BYTES} byte limit")
    upload = Upload(decode_json(raw, descriptor))
    for name, content in sorted(contents.items()):
        upload.kinds[name] = classify(name, content)
        upload.files[name] = content
    return upload


def _descriptor(contents: dict[str, bytes]) -> str:
    """The bundle's layout.json at its top level, or else its only JSON file."""
    if BUNDLE_DESCRIPTOR in contents:
        return BUNDLE_DESCRIPTOR
    candidates = [name for name in contents if name.lower().endswith(".json")]
    if len(candidates) != 1:
        raise ValidationFailed.field(
            "file", f"a layout bundle needs exactly one {BUNDLE_DESCRIPTOR} at its top level"
        )
    return candidates[0]


def classify(name: str, data: bytes) -> tuple[str, str]:
    """(mime, ext) of a bundled image or font, judged by content and never by the name."""
    if data[:4] in FONT_MAGIC:
        return check_font(name, data)
    try:
        mime, ext, _, _ = assets.inspect_image(data)
    except UnsupportedMedia:
        message = "the content is not a PNG, JPEG or WebP image, nor a TTF/OTF font"
        detail = [{"field": name, "message": message}]
        raise UnsupportedMedia(f"{name}: {message}", detail) from None
    except ServiceError as exc:
        message = exc.details[0]["message"] if exc.details else exc.message
        raise type(exc)(
            f"{name}: {message.removeprefix('file: ')}",
            [{"field": name, "message": message.removeprefix("file: ")}],
        ) from None
    return mime, ext


def check_font(name: str, data: bytes) -> tuple[str, str]:
    ext = FONT_MAGIC[data[:4]]
    try:
        ImageFont.truetype(io.BytesIO(data), 24)
    except Exception as exc:  # noqa: BLE001  (FreeType reports a broken font in many ways)
        raise ValidationFailed.field(name, f"is a truncated or corrupt font ({exc})") from None
    return FONT_MIME[ext], ext
