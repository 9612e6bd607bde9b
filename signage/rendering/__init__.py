"""Pure rendering core: layout spec + field values + board size -> image bytes.

No Flask, no database: everything here works on plain values.
"""

from .builtin import builtin_layouts
from .fields import check_fields, layout_fields
from .model import FieldProblem, LayoutError, RenderResult
from .renderer import fit_problems, render
from .validate import validate_layout
from .variants import shape_of, variant_name

__all__ = [
    "FieldProblem",
    "LayoutError",
    "RenderResult",
    "builtin_layouts",
    "check_fields",
    "fit_problems",
    "layout_fields",
    "render",
    "shape_of",
    "validate_layout",
    "variant_name",
]
