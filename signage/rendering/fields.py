"""Field declarations of a layout and checks of the values an editor supplies."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from signage.problems import Problem

from . import schema
from .model import FieldProblem, type_code
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
    problems = [FieldProblem(str(name), "not_a_layout_field") for name in fields]
    problems = [p for p in problems if p.field not in declared]
    for name, info in declared.items():
        problem = _check_value(info, fields.get(name))
        if problem:
            problems.append(problem)
    return problems


# The problem of a value of the wrong type, by the field's kind.
_WRONG_TYPE = {
    "text": Problem.of("field_not_text"),
    "image": Problem.of("field_not_an_asset"),
    "link": Problem.of("field_not_a_link"),
}


def _check_value(info: dict, value: Any) -> FieldProblem | None:
    name, kind = info["name"], info["kind"]
    text = normalise_value(kind, value)
    if text is None:
        return FieldProblem(name, _WRONG_TYPE[kind].code, {"got_code": type_code(value)})
    if not text:
        return FieldProblem(name, "required") if info["required"] else None
    if len(text) > info["max_length"]:
        return FieldProblem(name, "too_long", {"count": len(text), "limit": info["max_length"]})
    if kind == "link" and not is_web_link(text):
        return FieldProblem(name, "not_a_web_link")
    return None


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
