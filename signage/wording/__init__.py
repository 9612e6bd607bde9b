"""Words for codes: what the services and cores report, in the reader's language.

Codes are message ids of the ``codes`` gettext domain, with one catalogue per language
(``translations/<locale>/LC_MESSAGES/codes.po``), so the English words live in a catalogue just
like the Vietnamese ones, and rewording never touches the code that raises. Templates quote
parameters as ``%(name)s``; a parameter named ``<x>_code`` is itself a code, worded first and
quoted as ``%(x)s``; a list is quoted as a comma list.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

from signage.problems import params_of

LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"
DOMAIN = "codes"
CATALOGUES = Path(__file__).resolve().parent.parent / "translations"


@cache
def catalogue(locale: str) -> NullTranslations:
    return Translations.load(str(CATALOGUES), [locale], domain=DOMAIN)


def knows(code: str, locale: str) -> bool:
    return catalogue(locale).gettext(code) != code


class _Params(dict):
    """Formatting arguments where a missing parameter reads as a dash instead of failing."""

    def __missing__(self, key: str) -> str:
        return "—"


def _quoted(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def _arguments(params: Mapping[str, Any], locale: str) -> _Params:
    arguments = _Params({key: _quoted(value) for key, value in params.items()})
    for key, value in params.items():
        if key.endswith("_code") and isinstance(value, str):
            arguments[key.removesuffix("_code")] = describe(value, {}, locale)
    return arguments


def describe(code: str, params: Mapping[str, Any] | None = None, locale: str = "vi") -> str:
    """The sentence for ``code`` with its parameters, in ``locale`` ("vi" or "en")."""
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    template = catalogue(locale).gettext(code)
    if template == code:
        return code  # an uncatalogued code; tests/test_codes.py keeps this from shipping
    try:
        return template % _arguments(params or {}, locale)
    except (TypeError, ValueError):
        return template


def describe_detail(detail: Mapping[str, Any], locale: str = "vi") -> str:
    """The sentence for one entry of an error's ``details`` (without its field or path)."""
    return describe(str(detail.get("code", "")), params_of(detail), locale)


def located(detail: Mapping[str, Any], locale: str = "vi") -> str:
    """One detail as "field or path: words", or just its words when it names neither."""
    where = detail.get("field") or detail.get("path")
    words = describe_detail(detail, locale)
    return f"{where}: {words}" if where else words


def describe_error(error: Any, locale: str = "vi") -> str:
    """One line for a whole service error: its details ``located``, else its own code."""
    if error.details:
        return "; ".join(located(entry, locale) for entry in error.details)
    return describe(error.code, error.params, locale)
