"""Auto-fit: the largest font size at which word-wrapped text fits a box.

The search uses cheap estimates (advances and glyph extents measured once at a reference
size and scaled); the chosen size is then checked against the real ink box of the actual
lines (FreeType bounding boxes), stepping down until it truly fits. Stacked Vietnamese marks
such as "Ễ" rise above the font's ascent, so font-wide metrics are never trusted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from signage.problems import Problem

from .fonts import REF_SIZE, Face, RefMetrics, get_font, ref_metrics
from .wrap import wrap

ELLIPSIS = "…"
Ink = tuple[int, int, int, int]  # left, top, right, bottom relative to origin and baseline
_MAX_VERIFY_STEPS = 12
LINE_GAP = 0.06  # least clear space between the ink of two lines, as a share of the size


@dataclass(frozen=True)
class TextStyle:
    face: Face
    line_height: float = 1.2
    min_size: int = 12
    max_size: int | None = None
    max_fraction: float | None = None
    max_lines: int | None = None
    balance: bool = False  # make the lines of a wrapped text about equally long
    stroke: float = 0.0  # outline width: px when 1 or more, else a fraction of the size
    shadow: tuple[float, float, float] | None = None  # (dx, dy, blur) as fractions of the size

    def stroke_px(self, size: int) -> int:
        if self.stroke <= 0:
            return 0
        return round(self.stroke) if self.stroke >= 1 else max(1, round(self.stroke * size))

    def shadow_px(self, size: int) -> tuple[int, int, int] | None:
        """(dx, dy, blur radius) in pixels at this size."""
        if self.shadow is None:
            return None
        dx, dy, blur = self.shadow
        return round(dx * size), round(dy * size), math.ceil(blur * size)

    def pad(self, size: int) -> Ink:
        """How far outline and shadow reach beyond the plain ink: (left, top, right, bottom)."""
        stroke = self.stroke_px(size)
        left, top, right, bottom = -stroke, -stroke, stroke, stroke
        shadow = self.shadow_px(size)
        if shadow is not None:
            dx, dy, blur = shadow
            reach = 2 * blur
            left, right = min(left, left + dx - reach), max(right, right + dx + reach)
            top, bottom = min(top, top + dy - reach), max(bottom, bottom + dy + reach)
        return left, top, right, bottom


@dataclass(frozen=True)
class FittedText:
    size: int
    lines: tuple[str, ...]
    inks: tuple[Ink, ...]
    pitch: int
    fits: bool  # False when the text was cut short (with an ellipsis) at the minimum size
    shortfall: Problem | None = None  # when it does not fit: by how much (fit_too_long...)

    @property
    def block(self) -> tuple[int, int]:
        """(top, bottom) of all lines' ink relative to the first baseline."""
        return _block(self.inks, self.pitch)


def fit_text(text: str, style: TextStyle, width: int, height: int) -> FittedText | None:
    """Fit text into width x height pixels; None if not even one line fits at min size."""
    paragraphs = [p.split() for p in text.split("\n") if p.strip()]
    if not paragraphs or width <= 0 or height <= 0:
        return None
    fitter = _Fitter(paragraphs, style, width, height)
    return fitter.fit()


class _Fitter:
    def __init__(self, paragraphs: list[list[str]], style: TextStyle, width: int, height: int):
        self.paragraphs = paragraphs
        self.style = style
        self.width = width
        self.height = height
        self.ref: RefMetrics = ref_metrics(style.face)

    def fit(self) -> FittedText | None:
        low, high = self.style.min_size, self._max_size()
        # Estimates are slightly pessimistic, so a text they reject is still tried at `low`.
        size = _largest(low, high, self._estimate_fits) or low
        for _ in range(_MAX_VERIFY_STEPS):
            if size < low:
                break
            fitted = self._measure(size, self.wrap(size))
            if self._fits(fitted):
                return self._balanced(fitted) if self.style.balance else fitted
            size = min(size - 1, int(size * 0.97))
        cut = self._truncated(low)
        return None if cut is None else replace(cut, shortfall=self.shortfall(low))

    def shortfall(self, size: int) -> Problem:
        """By how much the whole text misses its box at this size: too many lines (``lines``
        needed, ``allowed``), too tall (``percent`` more height: ``needed`` px for
        ``available``), both, or else too wide."""
        lines = self.wrap(size)
        top, bottom = self._measure(size, lines).block
        limit, needed = self.style.max_lines, bottom - top
        many = {"lines": len(lines), "allowed": limit} if limit and len(lines) > limit else {}
        tall = {}
        if needed > self.height:
            percent = math.ceil(needed / self.height * 100 - 100)
            tall = {"percent": percent, "needed": needed, "available": self.height}
        if many and tall:
            return Problem("fit_too_long_and_tall", {**many, **tall})
        if many:
            return Problem("fit_too_long", many)
        return Problem("fit_too_tall", tall) if tall else Problem("fit_too_wide")

    def _max_size(self) -> int:
        style, high = self.style, self.height
        if style.max_size is not None:
            high = min(high, style.max_size)
        if style.max_fraction is not None:
            high = min(high, int(style.max_fraction * self.height))
        return max(high, style.min_size)

    def wrap(self, size: int) -> list[str]:
        scale = REF_SIZE / size
        return wrap(self.paragraphs, self.width * scale, self.ref.width, self.ref.space)

    def _balanced(self, fitted: FittedText) -> FittedText:
        """The same number of lines, wrapped at the narrowest width that keeps that count."""
        count = len(fitted.lines)
        if count < 2:
            return fitted
        scale = REF_SIZE / fitted.size
        low, high = 0.0, self.width * scale
        for _ in range(12):
            mid = (low + high) / 2
            if len(wrap(self.paragraphs, mid, self.ref.width, self.ref.space)) <= count:
                high = mid
            else:
                low = mid
        lines = wrap(self.paragraphs, high, self.ref.width, self.ref.space)
        balanced = self._measure(fitted.size, lines)
        return balanced if len(lines) == count and self._fits(balanced) else fitted

    def _estimate_fits(self, size: int) -> bool:
        lines = self.wrap(size)
        if self.style.max_lines is not None and len(lines) > self.style.max_lines:
            return False
        scale = size / REF_SIZE
        pad = self.style.pad(size)
        room = self.width - (pad[2] - pad[0])
        if any(self.ref.width(line) * scale > room for line in lines):
            return False
        return self._estimate_height_fits(lines, size)

    def _estimate_height_fits(self, lines: list[str], size: int) -> bool:
        pad = self.style.pad(size)
        inks = [self._estimate_ink(line, size / REF_SIZE, pad) for line in lines]
        top, bottom = _block(inks, _spread(inks, size, self._pitch(size)))
        return bottom - top <= self.height

    def _estimate_ink(self, line: str, scale: float, pad: Ink) -> Ink:
        extents = [self.ref.extent(c) for c in line] or [(0, 0)]
        top = min(e[0] for e in extents) * scale + pad[1]
        bottom = max(e[1] for e in extents) * scale + pad[3]
        return 0, int(top) - 1, 0, int(bottom) + 1

    def _pitch(self, size: int) -> int:
        return max(1, round(size * self.style.line_height))

    def _measure(self, size: int, lines: list[str], fits: bool = True) -> FittedText:
        font = get_font(self.style.face, size)
        stroke, shadow = self.style.stroke_px(size), self.style.shadow_px(size)
        inks = tuple(
            _with_shadow(font.getbbox(line, anchor="ls", stroke_width=stroke), shadow)
            for line in lines
        )
        return FittedText(size, tuple(lines), inks, _spread(inks, size, self._pitch(size)), fits)

    def _fits(self, fitted: FittedText) -> bool:
        top, bottom = fitted.block
        wide = any(ink[2] - ink[0] > self.width for ink in fitted.inks)
        limit = self.style.max_lines
        many = limit is not None and len(fitted.lines) > limit
        return not wide and not many and bottom - top <= self.height

    def _truncated(self, size: int) -> FittedText | None:
        lines = self.wrap(size)
        count = len(lines)
        if self.style.max_lines is not None:
            count = min(count, self.style.max_lines)
        while count > 1 and not self._estimate_height_fits(lines[:count], size):
            count -= 1
        while count > 0:
            fitted = self._cut(size, lines, count)
            if fitted is not None:
                return fitted
            count -= 1
        return None

    def _cut(self, size: int, lines: list[str], count: int) -> FittedText | None:
        """The first `count` lines with an ellipsis on the last, or None if they don't fit."""
        kept = lines[:count]
        last = kept[-1]
        while True:
            kept[-1] = _with_ellipsis(last)
            fitted = self._measure(size, kept, fits=False)
            if self._fits(fitted):
                return fitted
            if not last or fitted.block[1] - fitted.block[0] > self.height:
                return None
            last = _shorten(last)


def _with_shadow(ink: Ink, shadow: tuple[int, int, int] | None) -> Ink:
    """The ink box grown to cover the shadow (the text moved by dx, dy and blurred)."""
    if shadow is None:
        return ink
    dx, dy, blur = shadow
    reach = 2 * blur
    left, top, right, bottom = ink
    return (
        min(left, left + dx - reach),
        min(top, top + dy - reach),
        max(right, right + dx + reach),
        max(bottom, bottom + dy + reach),
    )


def _spread(inks: list[Ink] | tuple[Ink, ...], size: int, pitch: int) -> int:
    """The line pitch, widened if stacked marks would come too close to the line above."""
    gap = max(1, round(size * LINE_GAP))
    pairs = zip(inks, inks[1:], strict=False)
    needed = max((upper[3] - lower[1] + gap for upper, lower in pairs), default=0)
    return max(pitch, needed)


def _block(inks: list[Ink] | tuple[Ink, ...], pitch: int) -> tuple[int, int]:
    top = min(i * pitch + ink[1] for i, ink in enumerate(inks))
    bottom = max(i * pitch + ink[3] for i, ink in enumerate(inks))
    return top, bottom


def _largest(low: int, high: int, ok: Callable[[int], bool]) -> int | None:
    """Largest size in [low, high] for which ok(size) holds (assumed monotonic)."""
    if not ok(low):
        return None
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid):
            low = mid
        else:
            high = mid - 1
    return low


def _with_ellipsis(line: str) -> str:
    return line.rstrip(" .,;:") + ELLIPSIS


def _shorten(line: str) -> str:
    """Drop the last word, or the last character of a single word."""
    head, _, _ = line.rpartition(" ")
    return head if head else line[:-1]


def place(
    fitted: FittedText, box: tuple[int, int, int, int], align: str, valign: str
) -> list[tuple[int, int, str]]:
    """(x, baseline y, text) for each line so that the ink sits inside the box."""
    left, top, right, bottom = box
    ink_top, ink_bottom = fitted.block
    slack_y = (bottom - top) - (ink_bottom - ink_top)
    baseline = top + int(slack_y * _SHARE[valign]) - ink_top
    placed = []
    for i, (line, ink) in enumerate(zip(fitted.lines, fitted.inks, strict=True)):
        slack_x = (right - left) - (ink[2] - ink[0])
        x = left + int(slack_x * _SHARE[align]) - ink[0]
        placed.append((x, baseline + i * fitted.pitch, line))
    return placed


_SHARE = {"left": 0.0, "top": 0.0, "center": 0.5, "middle": 0.5, "right": 1.0, "bottom": 1.0}
