"""JSON Schema errors as LayoutErrors: the JSON path, a code per validator keyword, and the
parameters a designer needs (the limit, the allowed values, a close match for a typo).

A schema node may name its own code for any keyword but a numeric bound (``"x-code"``), and
what its names are (``"x-what-code"``: "region kind", "variant shape"...), so that an unknown
name reads "unknown region kind 'circle'" rather than "not one of ...".
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError

from .model import TYPE_CODES, LayoutError

_KEY = re.compile(r"[a-z_][a-z0-9_]*")
_MAX_SHOWN = 60  # characters of an offending value quoted back

KEYWORD_CODES = {
    "additionalProperties": "schema_additional_properties",
    "const": "schema_const",
    "enum": "schema_enum",
    "exclusiveMinimum": "schema_exclusive_minimum",
    "maxItems": "schema_max_items",
    "maximum": "schema_maximum",
    "minItems": "schema_min_items",
    "minLength": "schema_min_length",
    "minimum": "schema_minimum",
    "pattern": "schema_pattern",
    "required": "schema_required",
    "type": "schema_type",
}
FALLBACK_CODE = "schema_invalid"
# An unknown name with a close match (a likely typo) gets a code that says "did you mean".
NEAR_CODES = {
    "schema_additional_properties": "schema_additional_properties_near",
    "schema_enum": "schema_enum_near",
}
DEFAULT_WHAT = {
    "schema_additional_properties": "layout_term_property",
    "schema_enum": "layout_term_value",
}
# The "x-code" and "x-what-code" values of layout.schema.json (a test keeps them in step).
SCHEMA_NODE_CODES = (
    "empty_text",
    "not_a_box",
    "not_a_colour",
    "not_a_focus_point",
    "not_a_layout_key",
    "not_a_localised_text",
    "not_a_package_path",
    "not_a_shadow_offset",
    "not_an_opaque_colour",
    "layout_term_field_name",
    "layout_term_region_kind",
    "layout_term_variant_shape",
)
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum")

# Every code a schema error can be reported with.
SCHEMA_CODES = tuple(
    sorted(
        {
            *KEYWORD_CODES.values(),
            FALLBACK_CODE,
            *NEAR_CODES.values(),
            *TYPE_CODES.values(),
            *DEFAULT_WHAT.values(),
            *SCHEMA_NODE_CODES,
        }
    )
)


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


def shown(value: Any) -> str:
    """An offending value as JSON text, shortened; containers as ``[…]`` or ``{…}``."""
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def layout_error(error: ValidationError) -> LayoutError:
    """The LayoutError for the error ``jsonschema.best_match`` picked."""
    sub, keyword = error.schema, error.validator
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        return _unknown_property(error)
    if keyword == "required":
        name = _missing_property(error)
        path = json_path([*error.absolute_path, name])
        return LayoutError(path, "schema_required", property=name)
    path = json_path(error.absolute_path)
    if "x-code" in sub and keyword not in _BOUNDS:
        return LayoutError(path, sub["x-code"])
    if keyword == "enum":
        return _unknown_value(path, error)
    code = KEYWORD_CODES.get(keyword, FALLBACK_CODE)
    return LayoutError(path, code, **_params(error))


def _params(error: ValidationError) -> dict[str, Any]:
    keyword, limit, value = error.validator, error.validator_value, error.instance
    if keyword in _BOUNDS:
        return {"limit": limit, "value": shown(value)}
    if keyword in ("minItems", "maxItems"):
        return {"limit": limit, "count": len(value)}
    if keyword == "type":
        return {"expected_code": TYPE_CODES.get(str(limit), FALLBACK_CODE), "value": shown(value)}
    if keyword == "const":
        return {"expected": shown(limit), "value": shown(value)}
    if keyword == "minLength":
        return {"limit": limit}
    if keyword == "pattern":
        return {"pattern": limit, "value": shown(value)}
    return {"keyword": str(keyword)}


def _missing_property(error: ValidationError) -> str:
    present = error.instance if isinstance(error.instance, dict) else {}
    missing = [name for name in error.validator_value if name not in present]
    return str(missing[0]) if missing else "?"


def _unknown_property(error: ValidationError) -> LayoutError:
    allowed = [str(name) for name in error.schema.get("properties", {})]
    extra = next(name for name in error.instance if name not in allowed)
    path = json_path([*error.absolute_path, extra])
    what = error.schema.get("x-what-code", DEFAULT_WHAT["schema_additional_properties"])
    return _unknown(path, "schema_additional_properties", extra, allowed, what, "property")


def _unknown_value(path: str, error: ValidationError) -> LayoutError:
    allowed = list(error.validator_value)
    what = error.schema.get("x-what-code", DEFAULT_WHAT["schema_enum"])
    return _unknown(path, "schema_enum", error.instance, allowed, what, "value")


def _unknown(path: str, code: str, name: Any, allowed: list, what: str, key: str) -> LayoutError:
    params = {key: name if key == "property" else shown(name), "allowed": allowed}
    params["what_code"] = what
    close = close_match(name, allowed)
    if close is None:
        return LayoutError(path, code, **params)
    return LayoutError(path, NEAR_CODES[code], **params, suggestion=close)


def close_match(name: Any, allowed: Iterable[Any]) -> str | None:
    """The allowed name a misspelt ``name`` most likely meant, if any is close."""
    if not isinstance(name, str):
        return None
    close = difflib.get_close_matches(name, [str(a) for a in allowed], n=1)
    return close[0] if close else None
