"""Every code the code base can report has words in both catalogues, English and Vietnamese.

Codes are collected from the source itself: the code argument of every error, problem and
detail constructor, every ``"code": ...`` literal and every ``<x>_code=`` parameter, plus the
codes that are declared as data (audit actions, JSON Schema keywords).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import signage
from signage import wording

PACKAGE = Path(signage.__file__).parent
SKIPPED = ("migrations",)
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Calls whose argument at this position is a code.
CODE_ARGUMENT = {
    "field": 1,  # ValidationFailed.field(field, code, ...)
    "detail": 1,
    "Problem": 0,
    "of": 0,  # Problem.of(code, ...)
    "json_error": 1,
    "unauthorized": 0,
    "FieldProblem": 1,
    "LayoutError": 1,
    "RuleError": 1,
    "RenderError": 1,
    "cls": 0,  # ValidationFailed.field builds cls("invalid_input", ...)
}
ERROR_BASES = {"ServiceError"}


def _sources() -> list[tuple[Path, ast.Module]]:
    files = [p for p in PACKAGE.rglob("*.py") if not set(SKIPPED) & set(p.parts)]
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in files]


def _error_classes(trees) -> set[str]:
    """Names of every class that derives, directly or not, from ServiceError."""
    bases = {}
    for _path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
    errors = set(ERROR_BASES)
    while True:
        more = {name for name, parents in bases.items() if parents & errors} - errors
        if not more:
            return errors
        errors |= more


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_codes(node: ast.Call, errors: set[str]) -> list[str]:
    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
    position = 0 if name in errors else CODE_ARGUMENT.get(name)
    found = []
    if position is not None and len(node.args) > position:
        found.append(_literal(node.args[position]))
    for keyword in node.keywords:
        if keyword.arg and (keyword.arg == "code" or keyword.arg.endswith("_code")):
            found.append(_literal(keyword.value))
    return [code for code in found if code]


def _dict_codes(node: ast.Dict) -> list[str]:
    pairs = zip(node.keys, node.values, strict=True)
    return [_literal(v) for k, v in pairs if k is not None and _literal(k) == "code"]


def collected_codes() -> dict[str, str]:
    """code -> where it was first seen."""
    trees = _sources()
    errors = _error_classes(trees)
    codes: dict[str, str] = {}
    for path, tree in trees:
        for node in ast.walk(tree):
            found = []
            if isinstance(node, ast.Call):
                found = _call_codes(node, errors)
            elif isinstance(node, ast.Dict):
                found = _dict_codes(node)
            for code in found:
                if code:
                    where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                    codes.setdefault(code, where)
    return codes


def declared_codes() -> set[str]:
    """Codes declared as data rather than written at a call."""
    from signage.rendering import SCHEMA_CODES
    from signage.scheduling.explain import WEEKDAY_CODES
    from signage.services import audit, slides
    from signage.web.auth import PERMISSION_CODES
    from signage.web.errors import HTTP_CODES

    declared = (
        audit.CODES,
        SCHEMA_CODES,
        slides.STATUS_CODES,
        WEEKDAY_CODES,
        PERMISSION_CODES.values(),
        HTTP_CODES.values(),
        {"http_error"},
    )
    return set().union(*declared)


def all_codes() -> dict[str, str]:
    codes = collected_codes()
    for code in declared_codes():
        codes.setdefault(code, "declared")
    return codes


def test_codes_are_snake_case():
    bad = {code: where for code, where in all_codes().items() if not CODE.match(code)}
    assert not bad, f"codes must be snake_case, not sentences: {bad}"


@pytest.mark.parametrize("locale", wording.LOCALES)
def test_every_code_has_words_in_each_catalogue(locale):
    with open(wording.CATALOGUES / locale / "LC_MESSAGES" / "codes.po", "rb") as handle:
        worded = {m.id for m in read_po(handle) if m.id and m.string}
    missing = {code: where for code, where in all_codes().items() if code not in worded}
    assert not missing, f"{locale} catalogue lacks: {missing}"


@pytest.mark.parametrize("locale", wording.LOCALES)
def test_each_compiled_catalogue_matches_its_source(locale):
    folder = wording.CATALOGUES / locale / "LC_MESSAGES"
    with open(folder / "codes.po", "rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id}
    with open(folder / "codes.mo", "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == source


@pytest.mark.parametrize("locale", wording.LOCALES)
def test_every_catalogued_code_is_still_reported(locale):
    """A code nobody reports any more is dead wording; remove it with the code."""
    with open(wording.CATALOGUES / locale / "LC_MESSAGES" / "codes.po", "rb") as handle:
        catalogued = {m.id for m in read_po(handle) if m.id}
    assert sorted(catalogued - set(all_codes())) == []


def _raised_with(node: ast.Call, errors: set[str]) -> tuple[str, set[str]] | None:
    """(code, the parameters passed) for an error raised with a literal code and plain keyword
    parameters; None for other calls (problems get parameters added on their way, e.g. the
    board size)."""
    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
    position = 0 if name in errors else {"field": 1, "detail": 1}.get(name)
    if position is None or len(node.args) != position + 1 or not _literal(node.args[position]):
        return None
    if any(keyword.arg is None for keyword in node.keywords):  # **params: known at run time
        return None
    passed = {keyword.arg for keyword in node.keywords}
    return _literal(node.args[position]), passed | {p.removesuffix("_code") for p in passed}


def test_every_error_passes_the_parameters_its_words_quote():
    """A placeholder the raise does not fill would read as a dash; catch it here instead."""
    with open(wording.CATALOGUES / "en" / "LC_MESSAGES" / "codes.po", "rb") as handle:
        words = {m.id: m.string for m in read_po(handle) if m.id}
    trees = _sources()
    errors = _error_classes(trees)
    unfilled = {}
    for path, tree in trees:
        for node in ast.walk(tree):
            raised = _raised_with(node, errors) if isinstance(node, ast.Call) else None
            if raised and raised[0] in words:
                code, passed = raised
                missing = set(re.findall(r"%\((\w+)\)s", words[code])) - passed
                if missing:
                    unfilled[f"{path.name}:{node.lineno} {code}"] = sorted(missing)
    assert unfilled == {}


def test_both_catalogues_quote_the_same_parameters():
    placeholders = re.compile(r"%\((\w+)\)s")
    catalogues = {}
    for locale in wording.LOCALES:
        with open(wording.CATALOGUES / locale / "LC_MESSAGES" / "codes.po", "rb") as handle:
            catalogues[locale] = {m.id: m.string for m in read_po(handle) if m.id}
    english, vietnamese = catalogues["en"], catalogues["vi"]
    differ = {
        code: (english[code], vietnamese.get(code))
        for code in english
        if set(placeholders.findall(english[code]))
        != set(placeholders.findall(vietnamese.get(code) or ""))
    }
    assert not differ
