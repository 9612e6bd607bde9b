"""Wire extensions, blueprints and error handlers onto the Flask app."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel
from werkzeug.exceptions import HTTPException

from signage.runtime import Runtime
from signage.services.errors import ServiceError
from signage.services.revalidation import RevalidationSnapshot
from signage.wording import DEFAULT_LOCALE, LOCALES

from . import auth, context, errors, words
from .headers import SecurityHeaders
from .limits import limiter
from .player.revalidation import ManifestRevalidation


def select_locale() -> str:
    """The admin session's choice; for JSON answers (the API, media, health), else the request's
    Accept-Language; else Vietnamese. The admin pages stay Vietnamese first whatever the browser
    prefers."""
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in LOCALES:
        return chosen
    if errors.wants_json():
        return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE
    return DEFAULT_LOCALE


def configure(app: Flask, runtime: Runtime) -> None:
    settings = runtime.settings
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="vi",
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage,
        RATELIMIT_ENABLED=True,
    )
    app.extensions["signage"] = runtime
    auth.login_manager.init_app(app)
    auth.login_manager.login_view = "admin.login"
    auth.csrf.init_app(app)
    limiter.init_app(app)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals["describe"] = words.describe
    app.teardown_appcontext(context.close_session)
    app.register_error_handler(ServiceError, errors.handle_service_error)
    app.register_error_handler(HTTPException, errors.handle_http_error)
    _register_blueprints(app)
    snapshot = RevalidationSnapshot(runtime.db, settings.revalidation_s)
    app.wsgi_app = ManifestRevalidation(app.wsgi_app, snapshot)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # outermost: the fast path's 304 gets them too


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .player import bp as player_bp

    app.register_blueprint(player_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(admin_bp)
    auth.csrf.exempt(api_bp)
    auth.csrf.exempt(player_bp)
