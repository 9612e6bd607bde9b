"""The state of one render (or of one dry run that only measures)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from .model import FieldProblem

Box = tuple[int, int, int, int]


@dataclass
class Job:
    spec: dict
    width: int
    height: int
    values: dict[str, str]
    images: Mapping[str, bytes]
    resources: Mapping[str, bytes] = field(default_factory=dict)
    drawing: bool = True
    warnings: list[str] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    photo_area: int = 0
    canvas: Image.Image | None = None
    draw: ImageDraw.ImageDraw | None = None

    @property
    def size_text(self) -> str:
        return f"{self.width}x{self.height}"

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def box(self, region: dict) -> Box:
        left, top, right, bottom = region["box"]
        w, h = self.width, self.height
        return round(left * w), round(top * h), round(right * w), round(bottom * h)
