"""validate_layout: check a layout spec and name the exact JSON path of the first problem.

Structure is checked against the published JSON Schema (``layout.schema.json``) with the
``jsonschema`` library; the rest (box corners, field kinds, font families, the files of a
layout package) by the semantic checks below. Every problem is a LayoutError: a JSON path and a
code with parameters.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from . import schema
from .model import LayoutError
from .schema_errors import close_match, layout_error


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

    With ``resources`` (the layout package's files by relative path), files that the layout
    refers to must be among them.
    """
    if not isinstance(spec, dict):
        raise LayoutError("$", "not_a_json_object")
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
        raise layout_error(error)
    kinds = _check_fields(spec["fields"])
    families = _check_fonts(spec.get("fonts", []), resources)
    context = (kinds, families, resources)
    _check_regions(spec["regions"], "$.regions", context)
    for shape, variant in spec.get("variants", {}).items():
        _check_regions(variant["regions"], f"$.variants.{shape}.regions", context)


def _check_fields(fields: list[dict]) -> dict[str, str]:
    """Check $.fields and return {field name: kind}."""
    kinds: dict[str, str] = {}
    for i, item in enumerate(fields):
        name = item["name"]
        if name in kinds:
            raise LayoutError(f"$.fields[{i}].name", "layout_field_twice", name=name)
        expected = schema.SHARED_FIELDS[name]
        if item["kind"] != expected:
            raise LayoutError(f"$.fields[{i}].kind", "layout_field_kind", name=name, kind=expected)
        kinds[name] = expected
    return kinds


def _check_fonts(fonts: list[dict], resources: Mapping[str, bytes] | None) -> set[str]:
    families = set(schema.FAMILIES)
    for i, font in enumerate(fonts):
        if font["family"] in schema.FAMILIES:
            raise LayoutError(f"$.fonts[{i}].family", "layout_font_builtin", family=font["family"])
        _check_file(font["file"], f"$.fonts[{i}].file", resources)
        families.add(font["family"])
    return families


def _check_file(name: str, path: str, resources: Mapping[str, bytes] | None) -> None:
    if resources is not None and name not in resources:
        raise LayoutError(path, "layout_file_missing", file=name)


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
        _unknown_family(f"{path}.family", family, sorted(families))
    low, high = region.get("min_size_px"), region.get("max_size_px")
    if region["kind"] == "text" and low is not None and high is not None and low > high:
        raise LayoutError(f"{path}.min_size_px", "layout_size_order", low=low, high=high)


def _check_box(box: list[float], path: str) -> None:
    left, top, right, bottom = box
    if left >= right:
        raise LayoutError(path, "layout_box_left_right", left=left, right=right)
    if top >= bottom:
        raise LayoutError(path, "layout_box_top_bottom", top=top, bottom=bottom)


_SOURCES = {"text": ("field", "text"), "image": ("field", "file")}


def _check_source(region: dict, path: str, kinds: dict[str, str]) -> None:
    kind = region["kind"]
    if kind in _SOURCES:
        one, other = _SOURCES[kind]
        if (one in region) == (other in region):
            raise LayoutError(path, "layout_region_source", kind=kind, one=one, other=other)
    name = region.get("field")
    if name is None or kind == "rect":
        return
    if name not in kinds:
        _unknown_field(f"{path}.field", name, list(kinds))
    expected = schema.REGION_FIELD_KIND[kind]
    if kinds[name] != expected:
        raise LayoutError(
            f"{path}.field",
            "layout_region_field_kind",
            kind=kind,
            expected=expected,
            name=name,
            actual=kinds[name],
        )


def _unknown_family(path: str, family: str, allowed: list[str]) -> None:
    close = close_match(family, allowed)
    if close is None:
        raise LayoutError(path, "layout_unknown_family", family=family, allowed=allowed)
    raise LayoutError(
        path, "layout_unknown_family_near", family=family, allowed=allowed, suggestion=close
    )


def _unknown_field(path: str, name: str, allowed: list[str]) -> None:
    close = close_match(name, allowed)
    if close is None:
        raise LayoutError(path, "layout_unknown_field", name=name, allowed=allowed)
    raise LayoutError(
        path, "layout_unknown_field_near", name=name, allowed=allowed, suggestion=close
    )
