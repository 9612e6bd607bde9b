"""Value types shared by the rendering core."""

from __future__ import annotations

from dataclasses import dataclass, field


class LayoutError(ValueError):
    """A layout spec is invalid. ``path`` is a JSON path such as ``$.regions[2].box``."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class FieldProblem:
    """One problem with a field value, e.g. ``FieldProblem("title", "is required")``.

    Problems that depend on the board say which (``board_size``, e.g. "384x192") and, for
    text that does not fit, by how much (``shortfall``, e.g. "5 lines needed, 3 allowed").
    """

    field: str
    message: str
    board_size: str = ""
    shortfall: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class RenderResult:
    """Encoded image bytes plus what a caller needs to store and serve them."""

    data: bytes = field(repr=False)
    mime: str
    ext: str
    width: int
    height: int
    sha256: str
    warnings: tuple[str, ...] = ()
