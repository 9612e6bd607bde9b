"""Which font face a text region uses: a built-in family or one shipped in the layout package."""

from __future__ import annotations

from collections.abc import Mapping

from signage.problems import Problem

from .fonts import Face, packaged_face
from .schema import FAMILIES


class FaceUnavailable(ValueError):
    """The region's family cannot be used here; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def region_face(region: dict, spec: dict, resources: Mapping[str, bytes] | None) -> Face:
    """The face for a text region (with defaults filled in).

    A packaged family picks the declared font of the same style whose weight is closest to
    the region's weight.
    """
    family, weight, italic = region["family"], region["weight"], region["italic"]
    if family in FAMILIES:
        return Face(family, weight, italic)
    entries = [f for f in spec.get("fonts", []) if f["family"] == family]
    if not entries:
        raise FaceUnavailable(Problem.of("font_family_not_declared", family=family))
    best = min(entries, key=lambda f: _distance(f, weight, italic))
    data = (resources or {}).get(best["file"])
    if data is None:
        raise FaceUnavailable(Problem.of("font_file_missing", file=best["file"]))
    return packaged_face(family, best.get("weight", 400), best.get("italic", False), data)


def _distance(font: dict, weight: int, italic: bool) -> tuple[bool, int]:
    return font.get("italic", False) != italic, abs(font.get("weight", 400) - weight)
