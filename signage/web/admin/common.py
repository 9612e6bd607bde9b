"""Helpers shared by the admin views: the acting user, safe redirects, local times, and
turning a service error into messages shown next to the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import abort, render_template

from signage import wording
from signage.services.errors import NotFound, ServiceError, ValidationFailed

from ..context import db_session
from ..words import locale
from .messages import field_label

# Staff type dates and times as they read them on the wall clock of the province.
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"

T = TypeVar("T")


def safe_next(target: str | None) -> str | None:
    """A redirect target only if it stays on this site (a path, never //host or a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def or_404(load: Callable[..., T], *args: Any) -> T:
    """Call a service lookup; its NotFound becomes the admin's HTML 404 page."""
    try:
        return load(*args)
    except NotFound:
        abort(404)


def local_instant(value: str | None, field: str) -> datetime | None:
    """A ``datetime-local`` input (board-zone wall time) as an aware datetime, or None."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.field(field, "not_a_datetime") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_ZONE)
    return parsed


def local_input(instant: datetime | None) -> str:
    """The value for a ``datetime-local`` input."""
    return instant.astimezone(LOCAL_ZONE).strftime(LOCAL_INPUT) if instant else ""


def optional_int(value: str | None, field: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed.field(field, "not_an_integer") from None


def id_values(values: list[str], field: str) -> list[int]:
    return [v for v in (optional_int(raw, field) for raw in values) if v is not None]


def problems_of(exc: ServiceError) -> list[dict]:
    """[{"field", "label", "message"}] for the template, worded in the user's language."""
    language = locale()
    details = exc.details or [{"code": exc.code, **exc.params}]
    problems = []
    for detail in details:
        field = detail.get("field") or detail.get("path")
        message = wording.describe_detail(detail, language)
        problems.append({"field": field, "label": field_label(field), "message": message})
    return problems


def attempt(action: Callable[[], T]) -> tuple[T | None, list[dict] | None]:
    """Run a change and commit it; on a service error roll everything back and return the
    problems instead, so nothing is ever half-saved."""
    session = db_session()
    try:
        result = action()
        session.commit()
    except ServiceError as exc:
        session.rollback()
        return None, problems_of(exc)
    return result, None


def render_problems(template: str, problems: list[dict] | None, **context: Any):
    """Render a form page; with problems it is the re-rendered form, answered with 422."""
    status = 422 if problems else 200
    return render_template(template, problems=problems or [], **context), status
