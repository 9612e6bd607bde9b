"""Pure rendering core: layout spec + field values + board size -> image bytes.

No Flask, no database: everything here works on plain values.
"""

from .builtin import builtin_layouts, sample_fields, sample_images
from .fields import check_fields, layout_fields
from .model import FieldProblem, LayoutError, RenderResult
from .renderer import RENDERER_VERSION, fit_problems, missing_glyphs, render
from .validate import layout_schema, validate_layout
from .variants import shape_of, variant_name

renderer_version: str = RENDERER_VERSION

__all__ = [
    "FieldProblem",
    "LayoutError",
    "RenderResult",
    "builtin_layouts",
    "check_fields",
    "fit_problems",
    "layout_fields",
    "layout_schema",
    "missing_glyphs",
    "render",
    "renderer_version",
    "sample_fields",
    "sample_images",
    "shape_of",
    "validate_layout",
    "variant_name",
]
