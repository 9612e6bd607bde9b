"""The request's language, and codes worded in it, for views and templates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import get_locale

from signage import wording
from signage.problems import Problem


def locale() -> str:
    chosen = str(get_locale() or wording.DEFAULT_LOCALE)
    return chosen if chosen in wording.LOCALES else wording.DEFAULT_LOCALE


def describe(code: str | Problem | Mapping, params: Mapping[str, Any] | None = None) -> str:
    """Words for a code, a ``Problem`` or a ``{"code", ...}`` dict, in the request's language.
    Templates call it as ``describe(...)``."""
    if isinstance(code, Problem):
        return wording.describe(code.code, code.params, locale())
    if isinstance(code, Mapping):
        return wording.describe_detail(code, locale())
    return wording.describe(code, params, locale())


def describe_detail(detail: Mapping[str, Any]) -> str:
    return wording.describe_detail(detail, locale())
