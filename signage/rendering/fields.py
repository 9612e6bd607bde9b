"""Field declarations of a layout and checks of the values an editor supplies."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from . import schema
from .model import FieldProblem
from .validate import validate_layout

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_text(value: str) -> str:
    """NFC-normalise, unify line ends, collapse runs of spaces and of blank lines.

    The non-breaking hyphen that word processors insert (U+2011, missing from Be Vietnam
    Pro) becomes a plain hyphen: lines only ever break at spaces anyway.
    """
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2011", "-")
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def layout_fields(spec: dict) -> list[dict]:
    """The fields a layout takes: [{"name", "kind", "required", "max_length"}]."""
    validate_layout(spec)
    return [_field_info(item) for item in spec["fields"]]


def _field_info(item: dict) -> dict:
    kind = item["kind"]
    return {
        "name": item["name"],
        "kind": kind,
        "required": bool(item.get("required", False)),
        "max_length": item.get("max_length", schema.DEFAULT_MAX_LENGTH[kind]),
    }


def check_fields(spec: dict, fields: Mapping[str, Any]) -> list[FieldProblem]:
    """Problems with the supplied values: missing, too long, wrong type, unknown field."""
    declared = {info["name"]: info for info in layout_fields(spec)}
    problems = [FieldProblem(str(name), "is not a field of this layout") for name in fields]
    problems = [p for p in problems if p.field not in declared]
    for name, info in declared.items():
        problem = _check_value(info, fields.get(name))
        if problem:
            problems.append(FieldProblem(name, problem))
    return problems


def _check_value(info: dict, value: Any) -> str | None:
    kind = info["kind"]
    text = normalise_value(kind, value)
    if text is None:
        return _type_problem(kind, value)
    if not text:
        return "is required" if info["required"] else None
    if len(text) > info["max_length"]:
        return f"is too long: {len(text)} characters, the limit is {info['max_length']}"
    if kind == "link" and not is_web_link(text):
        return "must be a web address starting with http:// or https://"
    return None


def _type_problem(kind: str, value: Any) -> str:
    wanted = {"text": "text", "image": "an asset reference", "link": "a web address"}[kind]
    return f"must be {wanted}, got {type(value).__name__}"


def normalise_value(kind: str, value: Any) -> str | None:
    """The cleaned string for a field value; "" when empty; None when of the wrong type."""
    if value is None:
        return ""
    if kind == "image" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    if kind == "text":
        return clean_text(value)
    return unicodedata.normalize("NFC", value).strip()


def is_web_link(text: str) -> bool:
    lowered = text.lower()
    has_scheme = lowered.startswith(("http://", "https://"))
    return has_scheme and len(text) > len("https://") and not any(c.isspace() for c in text)
