"""Errors that services raise, as codes with parameters; the web layer and the CLI word them.

Every error has a stable snake_case ``code`` and ``params`` (JSON values). A validation error
also lists ``details``: one dict per problem, naming the ``field`` (or the JSON ``path``) with a
``code`` of its own and that code's parameters, e.g.
``{"field": "duration_s", "code": "out_of_range", "low": 1, "high": 3600}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from signage.problems import Problem, params_of


def detail(field: str, code: str, **params: Any) -> dict[str, Any]:
    """One entry of ``details``; a field starting with ``$`` is a JSON path."""
    key = "path" if field.startswith("$") else "field"
    return {key: field, "code": code, **params}


def problem_detail(field: str, problem: Problem) -> dict[str, Any]:
    return detail(field, problem.code, **problem.params)


def _as_detail(entry: dict | tuple) -> dict[str, Any]:
    if isinstance(entry, dict):
        return entry
    field, code, *params = entry
    return detail(field, code, **(params[0] if params else {}))


class ServiceError(Exception):
    status = 400

    def __init__(self, code: str, details: Iterable[dict] | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.details = list(details or [])

    def __str__(self) -> str:
        return f"{self.code} {self.params or ''} {self.details or ''}".strip()


class ValidationFailed(ServiceError):
    """422; each detail names the field or JSON path that is wrong, with its own code."""

    status = 422

    @classmethod
    def field(cls, field: str, code: str, **params: Any) -> ValidationFailed:
        return cls("invalid_input", [detail(field, code, **params)])

    @classmethod
    def fields(cls, details: Iterable[dict | tuple]) -> ValidationFailed:
        """Several problems at once: ``detail(...)`` dicts or (field, code[, params]) tuples."""
        return cls("invalid_input", [_as_detail(entry) for entry in details])


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class TooLarge(ServiceError):
    status = 413


class UnsupportedMedia(ServiceError):
    status = 415


def relocated(exc: ServiceError, field: str) -> ServiceError:
    """The same error about another field: every detail (or the error itself, when it has none)
    now names ``field``, keeping its code and parameters, and the error keeps its kind, code and
    status. For an error raised about one input that the caller knows under another name: the
    upload's ``file`` is a form's image field, or an entry of a layout package."""
    details = exc.details or [{"code": exc.code, **exc.params}]
    moved = [detail(field, entry["code"], **params_of(entry)) for entry in details]
    return type(exc)(exc.code, moved, **exc.params)
