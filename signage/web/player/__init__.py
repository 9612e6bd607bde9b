"""Player protocol v1, content-addressed media, health, and the web player's files."""

from flask import Blueprint

bp = Blueprint("player", __name__)

from . import protocol, static  # noqa: E402,F401  (routes register on import)
