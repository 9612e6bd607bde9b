"""The services' one door to the pure renderer.

The renderer grows new keyword arguments (``resources``) and helpers over time; this adapter
passes what the installed renderer accepts, so the services work against any version of it.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

from signage import rendering
from signage.rendering import FieldProblem, LayoutError, RenderResult

__all__ = ["FieldProblem", "LayoutError", "RenderResult"]

SAMPLE_TEXT = {
    "title": "Nghị quyết 49: Đổi mới, sáng tạo, phát triển",
    "body": "Toàn thể cán bộ, đảng viên và nhân dân tích cực học tập, quán triệt Nghị quyết.",
    "caption": "Ảnh: Ban Tuyên giáo",
}


def _accepts(name: str, parameter: str) -> bool:
    fn = getattr(rendering, name, None)
    return fn is not None and _takes(fn, parameter)


@cache
def _takes(fn, parameter: str) -> bool:
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    return parameter in parameters or var_kw


def _with_resources(name: str, resources: dict | None) -> dict:
    accepted = resources is not None and _accepts(name, "resources")
    return {"resources": resources} if accepted else {}


def renderer_version() -> str:
    return str(getattr(rendering, "renderer_version", "0"))


def render(spec, fields, width, height, images=None, resources=None) -> RenderResult:
    extra = _with_resources("render", resources)
    return rendering.render(spec, fields, width, height, images, **extra)


def validate(spec: Any, resources: dict | None = None) -> None:
    rendering.validate_layout(spec, **_with_resources("validate_layout", resources))


def fit_problems(spec, fields, width, height, resources=None) -> list[FieldProblem]:
    extra = _with_resources("fit_problems", resources)
    return list(rendering.fit_problems(spec, fields, width, height, **extra))


def missing_glyphs(spec, fields, resources=None) -> list[FieldProblem]:
    if not hasattr(rendering, "missing_glyphs"):
        return []
    return list(
        rendering.missing_glyphs(spec, fields, **_with_resources("missing_glyphs", resources))
    )


def variant_name(spec, width: int, height: int) -> str:
    return rendering.variant_name(spec, width, height) or "default"


def sample_fields(spec: dict) -> dict:
    """Sample content for a preview: the layout's own, else plausible Vietnamese text."""
    if hasattr(rendering, "sample_fields"):
        own = dict(rendering.sample_fields(spec))
        if own:
            return own
    samples = {}
    for info in rendering.layout_fields(spec):
        name, kind = info["name"], info["kind"]
        if kind == "text":
            limit = int(info.get("max_length") or 80)
            samples[name] = SAMPLE_TEXT.get(name, "Nội dung mẫu")[:limit]
        elif kind == "link":
            samples[name] = "https://tuyengiaolangson.vn"
    return samples


def sample_images(spec: dict) -> dict[str, bytes]:
    return dict(rendering.sample_images(spec)) if hasattr(rendering, "sample_images") else {}


def problem_board_size(problem: FieldProblem, width: int, height: int) -> str:
    return getattr(problem, "board_size", "") or f"{width}x{height}"


def problem_shortfall(problem: FieldProblem) -> str:
    return str(getattr(problem, "shortfall", "") or "")
