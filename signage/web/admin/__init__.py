"""HTML admin UI: Jinja pages for staff. Each area's views live in their own module."""

from flask import Blueprint

bp = Blueprint(
    "admin",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/admin/static",
)

from . import (  # noqa: E402,F401  (routes and template helpers register on import)
    pages,
    views_auth,
    views_boards,
    views_bundles,
    views_calendar,
    views_dashboard,
    views_layouts,
    views_programming,
    views_reports,
    views_slide_tools,
    views_slides,
)
