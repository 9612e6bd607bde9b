"""The state of one render (or of one dry run that only measures)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from signage.problems import Problem

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
    warnings: list[Problem] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    photo_area: int = 0
    canvas: Image.Image | None = None
    draw: ImageDraw.ImageDraw | None = None
    region_path: str = "$.regions"  # the JSON path of the region being drawn

    @property
    def size(self) -> dict[str, int]:
        """The board size as parameters of a problem."""
        return {"width": self.width, "height": self.height}

    def warn(self, problem: Problem) -> None:
        if problem not in self.warnings:
            self.warnings.append(problem)

    def warn_at(self, region: dict, problem: Problem) -> None:
        """A warning about one region, located by its field, else by its JSON path."""
        self.warn(Problem(problem.code, {**self.locate(region), **problem.params}))

    def locate(self, region: dict) -> dict[str, str]:
        name = region.get("field")
        return {"field": name} if name else {"path": self.region_path}

    def box(self, region: dict) -> Box:
        left, top, right, bottom = region["box"]
        w, h = self.width, self.height
        return round(left * w), round(top * h), round(right * w), round(bottom * h)
