"""The web player's files, media and the health check."""

from __future__ import annotations

from flask import jsonify, redirect, send_file, send_from_directory
from sqlalchemy import text

from signage.resources import resource_dir

from ..auth import public
from ..context import db_session, runtime
from ..errors import json_error
from . import bp

IMMUTABLE = "public, max-age=31536000, immutable"
# The player's files keep their names from one release to the next, so a browser must
# revalidate before reusing its copy (a cheap 304 by ETag): a board picks up a new release at its
# next page load, and the service worker's script (sw.js, registered with updateViaCache 'none')
# is checked for updates on every navigation. Offline, the worker answers with the copy it kept.
PLAYER_FILES = "no-cache"


@bp.get("/player")
@public
def player_redirect():
    return redirect("/player/", code=301)


@bp.get("/player/")
@bp.get("/player/<path:filename>")
@public
def player_file(filename: str = "index.html"):
    response = send_from_directory(resource_dir("player"), filename, max_age=0)
    response.headers["Cache-Control"] = PLAYER_FILES
    return response


@bp.get("/media/<filename>")
@public
def media(filename: str):
    path = runtime().store.locate(filename)
    if path is None:
        return json_error(404, f"no media named {filename}")
    response = send_file(path, conditional=True, etag=filename.split(".")[0], max_age=31536000)
    response.headers["Cache-Control"] = IMMUTABLE
    return response


@bp.get("/healthz")
@public
def healthz():
    try:
        db_session().execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means "not healthy"
        return json_error(503, f"database unreachable: {type(exc).__name__}")
    return jsonify({"status": "ok"})
