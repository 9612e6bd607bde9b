"""Digital-signage content scheduler for the Resolution 49 campaign in Lạng Sơn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__version__ = "0.1.0"


def create_app(overrides: dict[str, Any] | None = None, runtime=None) -> Flask:
    """Build the web application. Nothing connects or starts until a request arrives."""
    # Imported here, not at the top, so that importing a pure core never loads Flask.
    from flask import Flask

    from signage.config import load_settings
    from signage.runtime import Runtime
    from signage.web import setup

    overrides = dict(overrides or {})
    if runtime is None:
        settings = load_settings(overrides.pop("data_dir", None))
        runtime = Runtime.from_settings(settings.with_overrides(**overrides))
    app = Flask(__name__, static_folder=None)
    setup.configure(app, runtime)
    return app
