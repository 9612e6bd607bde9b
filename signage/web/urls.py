"""Public URLs the server hands out (player links)."""

from __future__ import annotations

from flask import request

from .context import runtime


def base_url() -> str:
    configured = runtime().settings.public_url
    return (configured or request.host_url).rstrip("/")


def player_url(token: str) -> str:
    """The token rides in the fragment, which browsers never send to the server or its logs."""
    return f"{base_url()}/player/#token={token}"
