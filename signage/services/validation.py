"""Small checks shared by the services, each naming the field it rejects."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ValidationFailed

MAX_PIXELS = 8192
_DIGITS = re.compile(r"-?[0-9]{1,12}")


def text(value: Any, field: str, max_length: int, required: bool = True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed.field(field, "required")
        return ""
    if not isinstance(value, str):
        raise ValidationFailed.field(field, "not_a_string")
    value = value.strip()
    if len(value) > max_length:
        raise ValidationFailed.field(field, "too_long", count=len(value), limit=max_length)
    return value


def integer(value: Any, field: str, low: int, high: int, *, strict: bool = False) -> int:
    """An int from ``low`` to ``high``; unless ``strict``, decimal digits in a string count too
    (query strings and form fields carry numbers as text)."""
    if not strict and isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed.field(field, "not_an_integer")
    if not low <= value <= high:
        raise ValidationFailed.field(field, "out_of_range", low=low, high=high)
    return value


def timezone(value: Any, field: str = "timezone") -> str:
    name = value or "Asia/Ho_Chi_Minh"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationFailed.field(field, "unknown_timezone", name=str(name)) from None
    return name


def instant(value: Any, field: str, required: bool = True) -> datetime | None:
    """An ISO 8601 instant with a UTC offset; any offset is accepted."""
    if value in (None, ""):
        if required:
            raise ValidationFailed.field(field, "required")
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ValidationFailed.field(field, "not_a_datetime") from None
    if parsed.tzinfo is None:
        raise ValidationFailed.field(field, "missing_utc_offset")
    return parsed


def size(value: str, field: str = "size") -> tuple[int, int]:
    """Parse ``WxH`` as board pixels."""
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise ValidationFailed.field(field, "not_a_size") from None
    return integer(width, "width", 16, MAX_PIXELS), integer(height, "height", 16, MAX_PIXELS)


def id_list(value: Any, field: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise ValidationFailed.field(field, "not_an_id_list")
    return list(dict.fromkeys(value))
