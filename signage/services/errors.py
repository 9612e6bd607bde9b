"""Errors that services raise; the web layer turns each into a JSON or HTML response."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, details: list[dict] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class ValidationFailed(ServiceError):
    """422; each detail names the field or JSON path that is wrong."""

    status = 422

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        return cls(f"{field}: {message}", [{"field": field, "message": message}])

    @classmethod
    def fields(cls, problems: list[tuple[str, str]]) -> ValidationFailed:
        details = [{"field": f, "message": m} for f, m in problems]
        summary = "; ".join(f"{f}: {m}" for f, m in problems)
        return cls(summary, details)


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class TooLarge(ServiceError):
    status = 413


class UnsupportedMedia(ServiceError):
    status = 415
