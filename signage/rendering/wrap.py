"""Greedy word wrap over measured widths; over-long words break between letters."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable


def wrap(
    paragraphs: list[list[str]], max_width: float, measure: Callable[[str], float], space: float
) -> list[str]:
    """Greedy word wrap; words wider than a line are broken between characters."""
    lines: list[str] = []
    for words in paragraphs:
        line: list[str] = []
        width = 0.0
        for word in words:
            for piece in _pieces(word, max_width, measure):
                piece_width = measure(piece)
                if line and width + space + piece_width > max_width:
                    lines.append(" ".join(line))
                    line, width = [], 0.0
                width += piece_width + (space if line else 0.0)
                line.append(piece)
        if line:
            lines.append(" ".join(line))
    return lines


def _pieces(word: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    if measure(word) <= max_width:
        return [word]
    pieces: list[str] = []
    current = ""
    for char in word:
        joins = unicodedata.combining(char) != 0
        if current and not joins and measure(current + char) > max_width:
            pieces.append(current)
            current = ""
        current += char
    if current:
        pieces.append(current)
    return pieces
