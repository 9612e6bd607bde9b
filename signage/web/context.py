"""Per-request access to the runtime and one database session."""

from __future__ import annotations

from flask import current_app, g

from signage.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["signage"]


def db_session():
    """The request's session; it is closed, and anything uncommitted rolled back, at teardown."""
    if "db_session" not in g:
        g.db_session = runtime().db.sessions()
    return g.db_session


def close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
