"""Characters a font has no glyph for, found with Pillow alone.

A character the font lacks is drawn as the font's ``.notdef`` glyph (the "tofu" box). We
render each character once at a small size and compare its bitmap and advance with those of
a code point no font maps (a noncharacter), which FreeType also draws as ``.notdef``.
Whitespace, control and format characters and combining marks have no ink of their own and
are never reported.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .fonts import Face, get_font

PROBE_SIZE = 32
_NOTDEF_PROBE = "\U0010fffe"  # a noncharacter: never mapped by any font
_INKLESS = ("Z", "C", "M")  # categories Zs/Zl/Zp, Cc/Cf/Co/Cn, Mn/Mc/Me


def missing_chars(text: str, face: Face) -> list[str]:
    """The distinct characters of text (in order of appearance) that face has no glyph for."""
    seen: list[str] = []
    for char in text:
        if char not in seen and not has_glyph(face, char):
            seen.append(char)
    return seen


def has_glyph(face: Face, char: str) -> bool:
    if unicodedata.category(char)[0] in _INKLESS:
        return True
    return _signature(face, char) != _signature(face, _NOTDEF_PROBE)


@lru_cache(maxsize=20_000)
def _signature(face: Face, char: str) -> tuple:
    font = get_font(face, PROBE_SIZE)
    mask = font.getmask(char)
    return font.getlength(char), mask.size, bytes(mask)


def drop_missing(text: str, face: Face) -> tuple[str, list[str]]:
    """(text without the characters face lacks, those characters)."""
    missing = missing_chars(text, face)
    if not missing:
        return text, []
    kept = "".join(c for c in text if c not in missing)
    return kept, missing


def codepoint(char: str) -> str:
    """The character's Unicode code point as people write it: ``U+2605``."""
    return f"U+{ord(char):04X}"
