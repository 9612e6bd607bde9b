"""The web player's files, media and the health check."""

from __future__ import annotations

import hashlib

from flask import Response, jsonify, redirect, request, send_file, send_from_directory

from signage.resources import resource_dir
from signage.services import active_worker

from ..auth import public
from ..context import db_session, runtime
from ..errors import json_error
from . import bp, shell

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


@bp.get("/player/sw.js")
@public
def service_worker():
    """The worker with the list of the player's files and their cache name (see shell.py)."""
    body = shell.service_worker(resource_dir("player"))
    response = Response(body, mimetype="text/javascript")
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.headers["Cache-Control"] = PLAYER_FILES
    return response.make_conditional(request)


@bp.get("/media/<filename>")
@public
def media(filename: str):
    path = runtime().store.locate(filename)
    if path is None:
        return json_error(404, "media_not_found", name=filename)
    response = send_file(path, conditional=True, etag=filename.split(".")[0], max_age=31536000)
    response.headers["Cache-Control"] = IMMUTABLE
    return response


@bp.get("/healthz")
@public
def healthz():
    try:
        worker = active_worker.describe(db_session())
    except Exception as exc:  # any database failure means "not healthy"
        return json_error(503, "database_unreachable", error=type(exc).__name__)
    return jsonify({"status": "ok", "worker": worker})
