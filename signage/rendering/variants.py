"""Pick the regions for a board shape: landscape, portrait, small or strip."""

from __future__ import annotations

STRIP_ASPECT = 3.0  # width / height at or above which a board is a strip (e.g. 1536x256)
PORTRAIT_ASPECT = 0.8  # below this a board is portrait (e.g. 1080x1920)
SMALL_SIDE = 400  # a board whose shorter side is under this is small (384x192, 640x320)

# Which variants to try, in order, before falling back to the top-level regions.
_FALLBACKS = {
    "strip": ("strip", "small"),
    "small": ("small",),
    "portrait": ("portrait",),
    "landscape": ("landscape",),
}


def shape_of(width: int, height: int, small_below: int = SMALL_SIDE) -> str:
    """The board shape used to choose a layout variant.

    small_below: a board whose shorter side is under this many pixels is small (a layout
    may set its own with "small_below").
    """
    aspect = width / height
    if aspect >= STRIP_ASPECT:
        return "strip"
    if min(width, height) < small_below:
        return "small"
    if aspect < PORTRAIT_ASPECT:
        return "portrait"
    return "landscape"


def variant_name(spec: dict, width: int, height: int) -> str | None:
    """The variant of spec used at width x height, or None for the top-level regions."""
    variants = spec.get("variants") or {}
    shape = shape_of(width, height, spec.get("small_below", SMALL_SIDE))
    for name in _FALLBACKS[shape]:
        if name in variants:
            return name
    return None


def active_regions(spec: dict, width: int, height: int) -> tuple[list[dict], str]:
    """(regions, background colour) for this board size."""
    name = variant_name(spec, width, height)
    if name is None:
        return spec["regions"], spec["background"]
    variant = spec["variants"][name]
    return variant["regions"], variant.get("background", spec["background"])
