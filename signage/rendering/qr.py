"""QR codes: cached module matrices, placement with a quiet zone, and drawing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image

from .colors import RGBA

CAPTION_RATIO = 0.2  # caption height as a share of the plate side
GAP_RATIO = 0.04  # space between plate and caption
MIN_MODULE_PX = 2

Box = tuple[int, int, int, int]


@lru_cache(maxsize=256)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """Dark (True) / light modules of the QR symbol for data, without quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


@lru_cache(maxsize=256)
def _dark_mask_bytes(data: str) -> bytes:
    return bytes(255 if cell else 0 for row in qr_matrix(data) for cell in row)


@dataclass(frozen=True)
class QrPlan:
    module_px: int
    modules: int
    quiet: int
    plate: Box
    caption: Box | None

    @property
    def symbol(self) -> Box:
        offset = self.quiet * self.module_px
        x0, y0 = self.plate[0] + offset, self.plate[1] + offset
        side = self.modules * self.module_px
        return x0, y0, x0 + side, y0 + side


def plan_qr(
    modules: int,
    box: Box,
    *,
    quiet: int,
    min_size: int,
    align: str = "center",
    valign: str = "middle",
    caption: bool = False,
) -> QrPlan | int:
    """Where to draw the symbol; or the symbol's size in px when it would be too small."""
    left, top, right, bottom = box
    extra = CAPTION_RATIO + GAP_RATIO if caption else 0.0
    side = min(right - left, int((bottom - top) / (1 + extra)))
    module_px = side // (modules + 2 * quiet)
    if module_px < MIN_MODULE_PX or module_px * modules < min_size:
        return max(0, module_px * modules)
    plate_side = module_px * (modules + 2 * quiet)
    caption_h = int(plate_side * CAPTION_RATIO) if caption else 0
    gap = int(plate_side * GAP_RATIO) if caption else 0
    group_h = plate_side + gap + caption_h
    x0 = left + int((right - left - plate_side) * _SHARE[align])
    y0 = top + int((bottom - top - group_h) * _SHARE[valign])
    plate = (x0, y0, x0 + plate_side, y0 + plate_side)
    caption_box = (x0, y0 + plate_side + gap, x0 + plate_side, y0 + group_h) if caption else None
    return QrPlan(module_px, modules, quiet, plate, caption_box)


def draw_qr(canvas: Image.Image, data: str, plan: QrPlan, dark: RGBA, light: RGBA) -> None:
    canvas.paste(light[:3], plan.plate)
    n = plan.modules
    mask = Image.frombytes("L", (n, n), _dark_mask_bytes(data))
    side = n * plan.module_px
    mask = mask.resize((side, side), Image.Resampling.NEAREST)
    canvas.paste(dark[:3], plan.symbol, mask)


_SHARE = {"left": 0.0, "top": 0.0, "center": 0.5, "middle": 0.5, "right": 1.0, "bottom": 1.0}
