"""One JSON error shape for the API, worded in the request's language:
``{"error": words, "code": code, "details": [{"field" or "path", "code", "message", ...}]}``."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from signage import wording
from signage.services.errors import ServiceError

from .words import locale

# Werkzeug's errors by status, as codes; any other status is "http_error" with its number
# (never werkzeug's English name, which would show in a Vietnamese answer).
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
    503: "service_unavailable",
}


def worded_details(details: list[dict]) -> list[dict]:
    language = locale()
    return [{**entry, "message": wording.describe_detail(entry, language)} for entry in details]


def json_error(http_status: int, code: str, details: list[dict] | None = None, **params: Any):
    """A JSON error response; ``code`` is worded from the catalogues with ``params``."""
    details = details or []
    if details:
        message = wording.describe_error(ServiceError(code, details, **params), locale())
    else:
        message = wording.describe(code, params, locale())
    body = {"error": message, "code": code, "details": worded_details(details)}
    response = jsonify(body)
    response.status_code = http_status
    return response


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/media/")) or request.path == "/healthz"


def handle_service_error(exc: ServiceError):
    return json_error(exc.status, exc.code, exc.details, **exc.params)


def handle_http_error(exc: HTTPException):
    if not wants_json():
        return exc
    status = exc.code or 500
    return json_error(status, HTTP_CODES.get(status, "http_error"), status=status)
