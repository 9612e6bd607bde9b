"""Pure rendering core: layout spec + field values + board size -> image bytes.

No Flask, no database: everything here works on plain values. Problems and warnings are codes
with parameters (``signage.problems.Problem``); the presentation layers word them.
"""

from .builtin import builtin_layouts, sample_fields, sample_images
from .fields import check_fields, layout_fields
from .model import FieldProblem, LayoutError, RenderError, RenderResult
from .renderer import RENDERER_VERSION, fit_problems, missing_glyphs, render
from .schema_errors import SCHEMA_CODES
from .validate import layout_schema, validate_layout
from .variants import shape_of, variant_name

renderer_version: str = RENDERER_VERSION

__all__ = [
    "SCHEMA_CODES",
    "FieldProblem",
    "LayoutError",
    "RenderError",
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
