"""Reading a layout upload safely: a JSON document, or a layout package (a zip of
``layout.json`` plus its images and fonts). Nothing is ever extracted to disk; every entry is
checked by its name and its content before anything is stored."""

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

from signage.problems import Problem

from . import assets
from .errors import (
    ServiceError,
    TooLarge,
    UnsupportedMedia,
    ValidationFailed,
    detail,
    relocated,
)

MAX_LAYOUT_BYTES = 256 * 1024
MAX_PACKAGE_BYTES = 16 * 1024 * 1024
MAX_PACKAGE_ENTRIES = 64
MAX_EXPANDED_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 16 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per entry: beyond this it is a zip bomb
PACKAGE_DESCRIPTOR = "layout.json"
FONT_MAGIC = {b"\x00\x01\x00\x00": "ttf", b"true": "ttf", b"OTTO": "otf"}
FONT_MIME = {"ttf": "font/ttf", "otf": "font/otf"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Upload:
    """A layout upload after every check: the spec, its files' bytes and their identity."""

    spec: dict
    files: dict[str, bytes] = field(default_factory=dict)  # package path -> bytes
    kinds: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (mime, ext)
    warnings: list[Problem] = field(default_factory=list)


def decode_json(raw: bytes, where: str = "file") -> dict:
    """The JSON object in ``raw``; malformed JSON names the line and column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed.field(where, "not_utf8_text") from None
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed.field(
            where, "malformed_json", line=exc.lineno, column=exc.colno, error=exc.msg
        ) from None
    if not isinstance(spec, dict):
        raise ValidationFailed.field("$", "not_a_json_object")
    return spec


def read_upload(data: bytes) -> Upload:
    """Check an upload completely; raises a 4xx ServiceError naming the first problem."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _read_package(data)
    if len(data) > MAX_LAYOUT_BYTES:
        raise TooLarge("layout_document_too_large", limit=MAX_LAYOUT_BYTES)
    return Upload(decode_json(data))


def unsafe_name(name: str) -> Problem | None:
    """Why an entry name could escape the package, or None when it is a plain relative path."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return Problem.of("zip_entry_absolute")
    parts = re.split(r"[\\/]", name)
    if ".." in parts:
        return Problem.of("zip_entry_parent")
    if "\\" in name:
        return Problem.of("zip_entry_backslash")
    if any(ord(c) < 32 for c in name):
        return Problem.of("zip_entry_control_characters")
    return None


def _check_entry(entry: zipfile.ZipInfo) -> None:
    name = entry.filename
    problem = unsafe_name(name)
    if problem:
        raise ValidationFailed.field(name, problem.code)
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise ValidationFailed.field(name, "zip_entry_symlink")
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > 1024 * 1024 and ratio > MAX_RATIO:
        raise ValidationFailed.field(name, "zip_entry_bomb", ratio=round(ratio), limit=MAX_RATIO)
    if entry.file_size > MAX_ENTRY_BYTES:
        raise TooLarge(
            "zip_entry_too_large", entry=name, size=entry.file_size, limit=MAX_ENTRY_BYTES
        )


def _entries(package: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    entries = package.infolist()
    if len(entries) > MAX_PACKAGE_ENTRIES:
        raise ValidationFailed.field(
            "file", "package_too_many_entries", count=len(entries), limit=MAX_PACKAGE_ENTRIES
        )
    for entry in entries:
        _check_entry(entry)
    total = sum(e.file_size for e in entries)
    if total > MAX_EXPANDED_BYTES:
        raise ValidationFailed.field(
            "file", "package_expands_too_far", size=total, limit=MAX_EXPANDED_BYTES
        )
    return [e for e in entries if not e.is_dir() and not _is_junk(e.filename)]


def _is_junk(name: str) -> bool:
    return name.startswith(_JUNK[0]) or PurePosixPath(name).name in _JUNK[1:]


def _read_entry(package: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    """Read at most the declared size; a lying header cannot make us read more."""
    limit = min(entry.file_size, budget)
    with package.open(entry) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed.field(entry.filename, "zip_entry_size_mismatch")
    return data


def _read_package(data: bytes) -> Upload:
    if len(data) > MAX_PACKAGE_BYTES:
        raise TooLarge("layout_package_too_large", limit=MAX_PACKAGE_BYTES)
    contents: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            budget = MAX_EXPANDED_BYTES
            for entry in _entries(package):
                contents[entry.filename] = _read_entry(package, entry, budget)
                budget -= len(contents[entry.filename])
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise ValidationFailed.field("file", "not_a_readable_zip", error=str(exc)) from None
    descriptor = _descriptor(contents)
    raw = contents.pop(descriptor)
    if len(raw) > MAX_LAYOUT_BYTES:
        raise TooLarge("layout_document_too_large", limit=MAX_LAYOUT_BYTES)
    upload = Upload(decode_json(raw, descriptor))
    for name, content in sorted(contents.items()):
        upload.kinds[name] = classify(name, content)
        upload.files[name] = content
    return upload


def _descriptor(contents: dict[str, bytes]) -> str:
    """The package's layout.json at its top level, or else its only JSON file."""
    if PACKAGE_DESCRIPTOR in contents:
        return PACKAGE_DESCRIPTOR
    candidates = [name for name in contents if name.lower().endswith(".json")]
    if len(candidates) != 1:
        raise ValidationFailed.field("file", "package_needs_descriptor", name=PACKAGE_DESCRIPTOR)
    return candidates[0]


def classify(name: str, data: bytes) -> tuple[str, str]:
    """(mime, ext) of a packaged image or font, judged by content and never by the name."""
    if data[:4] in FONT_MAGIC:
        return check_font(name, data)
    try:
        mime, ext, _, _ = assets.inspect_image(data)
    except UnsupportedMedia:
        located = [detail(name, "package_file_unsupported")]
        raise UnsupportedMedia("package_file_unsupported", located) from None
    except ServiceError as exc:
        raise relocated(exc, name) from None  # every detail names the package entry
    return mime, ext


def check_font(name: str, data: bytes) -> tuple[str, str]:
    ext = FONT_MAGIC[data[:4]]
    try:
        ImageFont.truetype(io.BytesIO(data), 24)
    except Exception as exc:  # noqa: BLE001  (FreeType reports a broken font in many ways)
        raise ValidationFailed.field(name, "font_corrupt", error=str(exc)) from None
    return FONT_MIME[ext], ext
