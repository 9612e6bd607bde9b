"""validate_layout: check a layout spec and name the exact JSON path of the first problem."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from . import schema
from .model import LayoutError

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def validate_layout(spec: Any) -> None:
    """Raise LayoutError for the first problem found; return None for a valid spec."""
    if not isinstance(spec, dict):
        raise LayoutError("$", "a layout must be a JSON object")
    _check_keys(spec, "$", schema.TOP_LEVEL, schema.TOP_REQUIRED)
    _check_identity(spec)
    _check(schema.color()(spec["background"]), "$.background")
    kinds = _check_fields(spec["fields"])
    _check_regions(spec["regions"], "$.regions", kinds)
    _check_variants(spec.get("variants", {}), kinds)


def _fail(path: str, message: str) -> LayoutError:
    return LayoutError(path, message)


def _check(problem: str | None, path: str) -> None:
    if problem:
        raise _fail(path, problem)


def _check_keys(obj: dict, path: str, allowed: Iterable[str], required: Iterable[str]) -> None:
    allowed = tuple(allowed)
    for name in obj:
        if name not in allowed:
            raise _fail(_join(path, name), _unknown(name, allowed, "property"))
    for name in required:
        if name not in obj:
            raise _fail(_join(path, name), "is required but missing")


def _join(path: str, name: object) -> str:
    text = str(name)
    return f"{path}.{text}" if _KEY.fullmatch(text.replace("_", "-")) else f"{path}[{text!r}]"


def _unknown(name: object, allowed: Iterable[str], what: str) -> str:
    allowed = tuple(allowed)
    close = difflib.get_close_matches(str(name), allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {name!r}{hint}; allowed: {', '.join(allowed)}"


def _check_identity(spec: dict) -> None:
    key = spec["key"]
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise _fail("$.key", f"must be lowercase letters, digits and dashes, got {key!r}")
    name = spec["name"]
    if not isinstance(name, dict) or "vi" not in name:
        example = '{"vi": "...", "en": "..."}'
        raise _fail("$.name", f'must be an object with at least "vi", e.g. {example}')
    for lang, text in name.items():
        _check(schema.string(text), f"$.name.{lang}")
    description = spec.get("description", {})
    if not isinstance(description, dict):
        raise _fail("$.description", 'must be an object like {"vi": "...", "en": "..."}')
    for lang, text in description.items():
        _check(schema.string(text), f"$.description.{lang}")
    _check(schema.number(1, 1_000_000, integer=True)(spec.get("version", 1)), "$.version")


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise _fail(path, "must be a list")
    return value


def _check_fields(fields: Any) -> dict[str, str]:
    """Check $.fields and return {field name: kind}."""
    kinds: dict[str, str] = {}
    for i, item in enumerate(_list(fields, "$.fields")):
        path = f"$.fields[{i}]"
        if not isinstance(item, dict):
            raise _fail(path, "must be an object")
        _check_keys(item, path, schema.FIELD_PROPS, ("name", "kind"))
        name = item["name"]
        if name not in schema.SHARED_FIELDS:
            raise _fail(f"{path}.name", _unknown(name, schema.SHARED_FIELDS, "field name"))
        if name in kinds:
            raise _fail(f"{path}.name", f"field {name!r} is declared twice")
        expected = schema.SHARED_FIELDS[name]
        if item["kind"] != expected:
            raise _fail(f"{path}.kind", f"field {name!r} must have kind {expected!r}")
        _check(schema.boolean(item.get("required", False)), f"{path}.required")
        max_length = item.get("max_length", 1)
        _check(schema.number(1, 100_000, integer=True)(max_length), f"{path}.max_length")
        kinds[name] = expected
    return kinds


def _check_regions(regions: Any, path: str, kinds: dict[str, str]) -> None:
    for i, region in enumerate(_list(regions, path)):
        _check_region(region, f"{path}[{i}]", kinds)


def _check_region(region: Any, path: str, kinds: dict[str, str]) -> None:
    if not isinstance(region, dict):
        raise _fail(path, "must be an object")
    kind = region.get("kind")
    if not isinstance(kind, str) or kind not in schema.REGION_PROPS:
        raise _fail(f"{path}.kind", _unknown(kind, schema.REGION_PROPS, "region kind"))
    props = schema.REGION_PROPS[kind]
    _check_keys(region, path, props, schema.REGION_REQUIRED[kind])
    _check_box(region["box"], f"{path}.box")
    for name, value in region.items():
        _check(props[name](value), f"{path}.{name}")
    _check_region_source(region, path, kinds)
    _check_sizes(region, path)


def _check_box(box: Any, path: str) -> None:
    if not isinstance(box, list) or len(box) != 4:
        raise _fail(path, "must be a list of four numbers [left, top, right, bottom]")
    for i, value in enumerate(box):
        _check(schema.number(0, 1)(value), f"{path}[{i}]")
    left, top, right, bottom = box
    if left >= right:
        raise _fail(path, f"left ({left}) must be less than right ({right})")
    if top >= bottom:
        raise _fail(path, f"top ({top}) must be less than bottom ({bottom})")


def _check_region_source(region: dict, path: str, kinds: dict[str, str]) -> None:
    kind = region["kind"]
    if kind == "rect":
        return
    if kind == "text" and ("field" in region) == ("text" in region):
        raise _fail(path, 'a text region needs exactly one of "field" or "text"')
    field = region.get("field")
    if field is None:
        return
    if field not in kinds:
        raise _fail(f"{path}.field", _unknown(field, kinds, "field") + " (declare it in $.fields)")
    expected = schema.REGION_FIELD_KIND[kind]
    if kinds[field] != expected:
        message = f"a {kind} region needs a {expected} field, {field!r} is {kinds[field]}"
        raise _fail(f"{path}.field", message)


def _check_sizes(region: dict, path: str) -> None:
    low, high = region.get("min_size_px"), region.get("max_size_px")
    if region["kind"] == "text" and low is not None and high is not None and low > high:
        raise _fail(f"{path}.min_size_px", f"must not exceed max_size_px ({high}), got {low}")


def _check_variants(variants: Any, kinds: dict[str, str]) -> None:
    if not isinstance(variants, dict):
        raise _fail("$.variants", "must be an object keyed by shape")
    for shape, variant in variants.items():
        path = f"$.variants.{shape}"
        if shape not in schema.SHAPES:
            raise _fail(path, _unknown(shape, schema.SHAPES, "variant shape"))
        if not isinstance(variant, dict):
            raise _fail(path, "must be an object")
        _check_keys(variant, path, schema.VARIANT_PROPS, ("regions",))
        if "background" in variant:
            _check(schema.color()(variant["background"]), f"{path}.background")
        _check_regions(variant["regions"], f"{path}.regions", kinds)
