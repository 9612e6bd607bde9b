"""One JSON error shape for the API: {"error": message, "details": [...]}."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from signage.services.errors import ServiceError


def json_error(status: int, message: str, details: list | None = None):
    response = jsonify({"error": message, "details": details or []})
    response.status_code = status
    return response


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/media/")) or request.path == "/healthz"


def handle_service_error(exc: ServiceError):
    return json_error(exc.status, exc.message, exc.details)


def handle_http_error(exc: HTTPException):
    if not wants_json():
        return exc
    return json_error(exc.code or 500, exc.description or exc.name)
