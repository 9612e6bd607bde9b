"""JSON admin API v1. Every route declares its permission; errors are JSON."""

from flask import Blueprint

from ..errors import json_error

bp = Blueprint("api", __name__)


@bp.errorhandler(404)
def _not_found(_exc):
    return json_error(404, "not_found")


from . import boards, calendar, content, layouts, programming, reports, slide_tools  # noqa: E402,F401  (routes register on import)
