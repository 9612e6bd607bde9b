"""Value types shared by the rendering core.

Problems are codes with parameters (``signage.problems.Problem``), never sentences: the
presentation layers word them in the reader's language.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from signage.problems import Problem


class RenderError(ValueError):
    """Inputs the core refuses. ``where`` names the field or the JSON path that is wrong;
    ``code`` and ``params`` say what is wrong."""

    def __init__(self, where: str, code: str, **params: Any) -> None:
        super().__init__(where, code)
        self.where = where
        self.code = code
        self.params = params

    @property
    def problem(self) -> Problem:
        return Problem(self.code, self.params)

    def __str__(self) -> str:  # for logs and tracebacks; people read the worded code
        return f"{self.where}: {self.code} {self.params}"


class LayoutError(RenderError):
    """A layout spec is invalid; ``path`` is a JSON path such as ``$.regions[2].box``."""

    @property
    def path(self) -> str:
        return self.where


@dataclass(frozen=True)
class FieldProblem:
    """One problem with a field value, e.g. ``FieldProblem("title", "required")``.

    Problems that depend on the board carry its ``width`` and ``height`` among the params, and,
    for text that does not fit, by how much (``lines``/``allowed``, ``needed``/``available``).
    """

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """``{"field", "code", ...params}``: the shape of an error detail or a warning."""
        return {"field": self.field, "code": self.code, **self.params}


@dataclass(frozen=True)
class RenderResult:
    """Encoded image bytes plus what a caller needs to store and serve them.

    ``warnings`` locate themselves with a ``field`` or a JSON ``path`` param when they concern
    one region."""

    data: bytes = dataclasses.field(repr=False)
    mime: str
    ext: str
    width: int
    height: int
    sha256: str
    warnings: tuple[Problem, ...] = ()


# JSON types as codes, worded "a whole number", "a list"... where a problem names one.
TYPE_CODES = {
    "array": "json_type_array",
    "boolean": "json_type_boolean",
    "integer": "json_type_integer",
    "null": "json_type_null",
    "number": "json_type_number",
    "object": "json_type_object",
    "string": "json_type_string",
}


def type_code(value: Any) -> str:
    """The code of a value's JSON type, for problems that say what was given instead."""
    if value is None:
        return TYPE_CODES["null"]
    if isinstance(value, bool):
        return TYPE_CODES["boolean"]
    if isinstance(value, int | float):
        return TYPE_CODES["number"]
    if isinstance(value, str):
        return TYPE_CODES["string"]
    return TYPE_CODES["array" if isinstance(value, list | tuple) else "object"]
