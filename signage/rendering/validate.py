"""validate_layout: check a layout spec and name the exact JSON path of the first problem.

Structure is checked against the published JSON Schema (``layout.schema.json``) with the
``jsonschema`` library; the rest (box corners, field kinds, font families, bundled files) by
the semantic checks below.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from . import schema
from .model import LayoutError

_KEY = re.compile(r"[a-z_][a-z0-9_]*")


def layout_schema() -> dict:
    """The layout format as a JSON Schema (draft 2020-12); a fresh copy each call."""
    return copy.deepcopy(_schema())


@cache
def _schema() -> dict:
    text = importlib_resources.files(__package__).joinpath("layout.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


def validate_layout(spec: Any, resources: Mapping[str, bytes] | None = None) -> None:
    """Raise LayoutError for the first problem found; return None for a valid spec.

    With ``resources`` (bundle files by relative path), files that the layout refers to
    must be among them.
    """
    if not isinstance(spec, dict):
        raise LayoutError("$", "a layout must be a JSON object")
    key = _digest(spec) if resources is None else None
    if key is not None and _known_valid(key):
        return
    _validate(spec, resources)
    if key is not None:
        _remember_valid(key)


# Schema validation costs tens of milliseconds; render() validates every spec it gets, so
# the digests of specs found valid (without resources) are remembered.
_VALID: OrderedDict[bytes, None] = OrderedDict()
_VALID_LIMIT = 1024
_VALID_LOCK = threading.Lock()


def _digest(spec: dict) -> bytes | None:
    try:
        text = json.dumps(spec, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).digest()


def _known_valid(key: bytes) -> bool:
    with _VALID_LOCK:
        if key in _VALID:
            _VALID.move_to_end(key)
            return True
    return False


def _remember_valid(key: bytes) -> None:
    with _VALID_LOCK:
        _VALID[key] = None
        if len(_VALID) > _VALID_LIMIT:
            _VALID.popitem(last=False)


def _validate(spec: dict, resources: Mapping[str, bytes] | None) -> None:
    error = best_match(_validator().iter_errors(spec))
    if error is not None:
        raise _translate(error)
    kinds = _check_fields(spec["fields"])
    families = _check_fonts(spec.get("fonts", []), resources)
    context = (kinds, families, resources)
    _check_regions(spec["regions"], "$.regions", context)
    for shape, variant in spec.get("variants", {}).items():
        _check_regions(variant["regions"], f"$.variants.{shape}.regions", context)


def json_path(parts: Iterable[Any]) -> str:
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _KEY.fullmatch(str(part)):
            path += f".{part}"
        else:
            path += f"[{str(part)!r}]"
    return path


def _translate(error: ValidationError) -> LayoutError:
    path = json_path(error.absolute_path)
    sub, value, kind = error.schema, error.instance, error.validator
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = tuple(sub.get("properties", {}))
        extra = [name for name in value if name not in allowed]
        what = sub.get("x-what", "property")
        return LayoutError(
            json_path([*error.absolute_path, extra[0]]), _unknown(extra[0], allowed, what)
        )
    if kind == "required":
        missing = re.match(r"'([^']*)'", error.message)
        name = missing.group(1) if missing else "?"
        return LayoutError(json_path([*error.absolute_path, name]), "is required but missing")
    if kind in ("enum", "const") and "x-what" in sub:
        return LayoutError(path, _unknown(value, sub.get("enum", ()), sub["x-what"]))
    return LayoutError(path, _message(error))


def _message(error: ValidationError) -> str:
    sub, value, kind = error.schema, error.instance, error.validator
    got = f", got {value!r}" if not isinstance(value, dict | list) else ""
    if "x-error" in sub and kind not in ("minimum", "maximum", "exclusiveMinimum"):
        return sub["x-error"] + got
    if kind == "enum":
        return f"must be one of {', '.join(repr(v) for v in sub['enum'])}{got}"
    if kind == "const":
        return f"must be {sub['const']!r}{got}"
    if kind in ("minimum", "exclusiveMinimum"):
        word = "at least" if kind == "minimum" else "more than"
        return f"must be {word} {error.validator_value}{got}"
    if kind == "maximum":
        return f"must be at most {error.validator_value}{got}"
    if kind == "type":
        wanted = {"integer": "a whole number", "number": "a number", "array": "a list"}
        name = error.validator_value
        return f"must be {wanted.get(name, 'a ' + str(name))}{got}"
    return error.message


def _unknown(name: object, allowed: Iterable[Any], what: str) -> str:
    allowed = tuple(str(a) for a in allowed)
    close = difflib.get_close_matches(str(name), allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {name!r}{hint}; allowed: {', '.join(allowed)}"


def _check_fields(fields: list[dict]) -> dict[str, str]:
    """Check $.fields and return {field name: kind}."""
    kinds: dict[str, str] = {}
    for i, item in enumerate(fields):
        name = item["name"]
        if name in kinds:
            raise LayoutError(f"$.fields[{i}].name", f"field {name!r} is declared twice")
        expected = schema.SHARED_FIELDS[name]
        if item["kind"] != expected:
            raise LayoutError(f"$.fields[{i}].kind", f"field {name!r} must have kind {expected!r}")
        kinds[name] = expected
    return kinds


def _check_fonts(fonts: list[dict], resources: Mapping[str, bytes] | None) -> set[str]:
    families = set(schema.FAMILIES)
    for i, font in enumerate(fonts):
        if font["family"] in schema.FAMILIES:
            message = f"{font['family']!r} is built in; give a bundled font another name"
            raise LayoutError(f"$.fonts[{i}].family", message)
        _check_file(font["file"], f"$.fonts[{i}].file", resources)
        families.add(font["family"])
    return families


def _check_file(name: str, path: str, resources: Mapping[str, bytes] | None) -> None:
    if resources is not None and name not in resources:
        raise LayoutError(path, f"file {name!r} is not in the layout bundle")


def _check_regions(regions: list[dict], path: str, context: tuple) -> None:
    for i, region in enumerate(regions):
        _check_region(region, f"{path}[{i}]", context)


def _check_region(region: dict, path: str, context: tuple) -> None:
    kinds, families, resources = context
    _check_box(region["box"], f"{path}.box")
    _check_source(region, path, kinds)
    if "file" in region:
        _check_file(region["file"], f"{path}.file", resources)
    family = region.get("family")
    if family is not None and family not in families:
        allowed = sorted(families)
        raise LayoutError(f"{path}.family", _unknown(family, allowed, "font family"))
    low, high = region.get("min_size_px"), region.get("max_size_px")
    if region["kind"] == "text" and low is not None and high is not None and low > high:
        raise LayoutError(f"{path}.min_size_px", f"must not exceed max_size_px ({high}), got {low}")


def _check_box(box: list[float], path: str) -> None:
    left, top, right, bottom = box
    if left >= right:
        raise LayoutError(path, f"left ({left}) must be less than right ({right})")
    if top >= bottom:
        raise LayoutError(path, f"top ({top}) must be less than bottom ({bottom})")


_SOURCES = {"text": ("field", "text"), "image": ("field", "file")}


def _check_source(region: dict, path: str, kinds: dict[str, str]) -> None:
    kind = region["kind"]
    if kind in _SOURCES:
        one, other = _SOURCES[kind]
        if (one in region) == (other in region):
            raise LayoutError(path, f'a {kind} region needs exactly one of "{one}" or "{other}"')
    field = region.get("field")
    if field is None or kind == "rect":
        return
    if field not in kinds:
        message = _unknown(field, kinds, "field") + " (declare it in $.fields)"
        raise LayoutError(f"{path}.field", message)
    expected = schema.REGION_FIELD_KIND[kind]
    if kinds[field] != expected:
        message = f"a {kind} region needs a {expected} field, {field!r} is {kinds[field]}"
        raise LayoutError(f"{path}.field", message)
