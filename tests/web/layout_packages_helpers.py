"""Builders for layout package tests: a valid package with a custom font and a background."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import fontpkg_be_vietnam_pro
from api_helpers import count, png_bytes

from signage.models import AuditEntry, Layout

FONT = Path(fontpkg_be_vietnam_pro.ROOT, "files", "BeVietnamPro-Bold.ttf").read_bytes()


def package_spec(key: str = "goi-thu") -> dict:
    return {
        "key": key,
        "name": {"vi": "Gói thử", "en": "Test package"},
        "background": "#003366",
        "fonts": [{"family": "Brand", "file": "fonts/Brand.ttf"}],
        "fields": [{"name": "title", "kind": "text", "required": True, "max_length": 120}],
        "sample": {"title": "Xin chào Lạng Sơn"},
        "regions": [
            {"kind": "image", "box": [0, 0, 1, 1], "file": "images/bg.png", "fit": "cover"},
            {
                "kind": "text",
                "box": [0.05, 0.1, 0.95, 0.9],
                "field": "title",
                "family": "Brand",
                "color": "#ffffff",
                "min_size_px": 12,
                "max_lines": 3,
            },
        ],
    }


def zip_bytes(entries: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
    """entries: name -> bytes/str, or a ZipInfo -> bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def good_package(spec: dict | None = None, **extra) -> dict:
    return {
        "layout.json": json.dumps(spec or package_spec(), ensure_ascii=False),
        "fonts/Brand.ttf": FONT,
        "images/bg.png": png_bytes(160, 90, (20, 60, 120)),
        **extra,
    }


def upload(api, data: bytes, name: str = "package.zip", role: str = "designer", **kwargs):
    files = {"file": (io.BytesIO(data), name)}
    return api.post("/layouts", role=role, data=files, content_type="multipart/form-data", **kwargs)


def stored(runtime) -> tuple:
    """What an upload could leave behind: rows and files in the media store."""
    media = sorted(str(p) for p in runtime.settings.media_dir.rglob("*"))
    return count(runtime, Layout), count(runtime, AuditEntry), media
