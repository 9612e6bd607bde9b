"""Which font face a text region uses: a built-in family or one bundled with the layout."""

from __future__ import annotations

from collections.abc import Mapping

from .fonts import Face, bundled_face
from .schema import FAMILIES


def region_face(region: dict, spec: dict, resources: Mapping[str, bytes] | None) -> Face:
    """The face for a text region (with defaults filled in).

    A bundled family picks the declared font of the same style whose weight is closest to
    the region's weight.
    """
    family, weight, italic = region["family"], region["weight"], region["italic"]
    if family in FAMILIES:
        return Face(family, weight, italic)
    entries = [f for f in spec.get("fonts", []) if f["family"] == family]
    if not entries:
        raise ValueError(f"font family {family!r} is not declared in $.fonts")
    best = min(entries, key=lambda f: _distance(f, weight, italic))
    data = (resources or {}).get(best["file"])
    if data is None:
        raise ValueError(f"font file {best['file']!r} is not in the layout bundle")
    return bundled_face(family, best.get("weight", 400), best.get("italic", False), data)


def _distance(font: dict, weight: int, italic: bool) -> tuple[bool, int]:
    return font.get("italic", False) != italic, abs(font.get("weight", 400) - weight)
