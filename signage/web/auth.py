"""Login, tokens and roles. Every view declares the permission it needs, or that it is public."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from signage.services import accounts, boards, secrets

from .context import db_session
from .errors import json_error

# Which roles hold each permission. Approvers can also write; only admins manage boards and users.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({"admin", "approver", "editor", "designer", "viewer"}),
    "edit": frozenset({"admin", "approver", "editor"}),
    "approve": frozenset({"admin", "approver"}),
    "design": frozenset({"admin", "designer"}),
    "upload": frozenset({"admin", "approver", "editor", "designer"}),
    "manage": frozenset({"admin"}),
}
# A refusal names the permission in words: permission_view, permission_edit, ...
PERMISSION_CODES = {permission: f"permission_{permission}" for permission in PERMISSIONS}

login_manager = LoginManager()
csrf = CSRFProtect()


def bearer_token() -> str | None:
    return secrets.parse_bearer(request.headers.get("Authorization", ""))


@login_manager.user_loader
def load_user(user_id: str):
    return accounts.active_user(db_session(), user_id)


@login_manager.request_loader
def load_user_from_token(_request):
    token = bearer_token()
    if token is None:
        return None
    g.token_auth = True
    return accounts.user_for_token(db_session(), token)


def actor():
    """The user behind this request, as services take it (not Flask-Login's proxy)."""
    return current_user._get_current_object()


def can(user, permission: str) -> bool:
    return bool(user and user.is_authenticated and user.role in PERMISSIONS[permission])


def _is_api() -> bool:
    return request.path.startswith("/api/")


def unauthorized(code: str):
    """401 JSON, with the challenge HTTP requires on a 401."""
    response = json_error(401, code)
    response.headers["WWW-Authenticate"] = 'Bearer realm="signage"'
    return response


def _deny_anonymous():
    if _is_api():
        return unauthorized("authentication_required")
    return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))


def requires(permission: str) -> Callable:
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return _deny_anonymous()
            if not can(current_user, permission):
                if not _is_api():
                    abort(403)
                return json_error(
                    403, "role_not_allowed", permission_code=PERMISSION_CODES[permission]
                )
            if _is_api() and not g.get("token_auth") and request.method not in ("GET", "HEAD"):
                csrf.protect()  # a browser session calling the API must prove the page is ours
            return view(*args, **kwargs)

        guarded.permission = permission
        return guarded

    return decorate


def public(view):
    """Marks a view that needs no login (health, media, player protocol with its own tokens)."""
    view.permission = "public"
    return view


def board_required(view):
    """Player endpoints: the board's own Bearer token, 401 JSON otherwise."""

    @wraps(view)
    def guarded(*args, **kwargs):
        token = bearer_token()
        board = boards.board_for_token(db_session(), token) if token else None
        if board is None:
            return unauthorized("unknown_board_token")
        g.board = board
        return view(*args, **kwargs)

    guarded.permission = "board"
    return guarded
