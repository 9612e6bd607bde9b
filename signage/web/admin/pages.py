"""What every admin page shares: template helpers, status words, and HTML error pages."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import render_template, request
from flask_babel import get_locale, gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..auth import can
from ..presenters import health
from ..words import describe
from . import bp
from .common import LOCAL_ZONE, local_input, safe_next

DAY_NAMES = (
    (1, lazy_gettext("Mon")),
    (2, lazy_gettext("Tue")),
    (3, lazy_gettext("Wed")),
    (4, lazy_gettext("Thu")),
    (5, lazy_gettext("Fri")),
    (6, lazy_gettext("Sat")),
    (7, lazy_gettext("Sun")),
)

NAV = (
    ("admin.dashboard", lazy_gettext("Dashboard"), ("dashboard",)),
    ("admin.slides", lazy_gettext("Slides"), ("slide",)),
    ("admin.playlists", lazy_gettext("Playlists"), ("playlist",)),
    ("admin.schedules", lazy_gettext("Schedules"), ("schedule",)),
    ("admin.boards", lazy_gettext("Boards"), ("board", "group")),
    ("admin.layouts", lazy_gettext("Layouts"), ("layout",)),
    ("admin.plays_report", lazy_gettext("Proof of play"), ("plays_report",)),
    ("admin.audit_log", lazy_gettext("Audit log"), ("audit",)),
)


def uptime_label(seconds: int | None) -> str:
    """The player's uptime as days, hours and minutes: 2d 03:15."""
    if seconds is None:
        return "—"
    days, rest = divmod(seconds, 86400)
    hours, minutes = divmod(rest // 60, 60)
    clock = f"{hours:02d}:{minutes:02d}"
    return gettext("%(days)sd %(clock)s", days=days, clock=clock) if days else clock


def status_name(status: str) -> str:
    """A slide revision's status in words, from the codes catalogue (lower case: a template
    puts ``| capfirst`` where the words start a label)."""
    return describe(f"status_{status}")


def role_name(role: str) -> str:
    """A user's role in words, from the codes catalogue (lower case, like ``status_name``)."""
    return describe(f"role_{role}")


def size_label(width: int, height: int) -> str:
    return f"{width}×{height}"


def language_return() -> str:
    """Where the language switch comes back to: this page, or for a posted form the page that
    showed it (a POST-only address cannot be opened again)."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host:
        return safe_next(referrer.path) or "/"
    return "/"


def nav_active(prefixes: tuple[str, ...]) -> bool:
    endpoint = (request.endpoint or "").removeprefix("admin.")
    return any(endpoint.startswith(prefix) for prefix in prefixes)


@bp.app_template_filter("localtime")
def localtime_filter(instant: datetime | None, with_seconds: bool = False) -> str:
    if instant is None:
        return "—"
    pattern = "%d/%m/%Y %H:%M:%S" if with_seconds else "%d/%m/%Y %H:%M"
    return instant.astimezone(LOCAL_ZONE).strftime(pattern)


@bp.app_template_filter("capfirst")
def capfirst_filter(text) -> str:
    """The first letter in upper case and the rest untouched (Jinja's ``capitalize`` lowers
    the rest, names included)."""
    text = str(text)
    return text[:1].upper() + text[1:]


@bp.app_template_filter("clock")
def clock_filter(value) -> str:
    return value.strftime("%H:%M") if value else ""


@bp.context_processor
def page_helpers() -> dict:
    return {
        "can": lambda permission: can(current_user, permission),
        "nav": NAV,
        "nav_active": nav_active,
        "status_name": status_name,
        "role_name": role_name,
        "day_names": DAY_NAMES,
        "board_health": health,
        "uptime_label": uptime_label,
        "size_label": size_label,
        "local_input": local_input,
        "language_return": language_return,
        "locale": str(get_locale() or "vi"),
    }


def _error_page(status: int, title, message):
    return render_template("admin/error.html", status=status, title=title, message=message), status


@bp.errorhandler(CSRFError)
def csrf_failed(_exc):
    return _error_page(
        400,
        lazy_gettext("The form has expired"),
        lazy_gettext(
            "The security token of this form is missing or expired. "
            "Go back, reload the page and try again."
        ),
    )


@bp.errorhandler(403)
def forbidden(_exc):
    return _error_page(
        403,
        lazy_gettext("Not allowed"),
        lazy_gettext("Your role may not use this page or action."),
    )


@bp.errorhandler(404)
def not_found(_exc):
    return _error_page(
        404, lazy_gettext("Not found"), lazy_gettext("This page or item does not exist.")
    )
