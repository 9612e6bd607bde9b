"""The WSGI fast path that answers unchanged-manifest polls with 304 before Flask: it must answer
exactly as the Flask view would, and hand everything it cannot confirm to the view."""

from __future__ import annotations

import pytest
from api_helpers import API, player
from werkzeug.test import Client
from werkzeug.wrappers import Response

from signage.services.revalidation import RevalidationSnapshot
from signage.web.player.revalidation import ManifestRevalidation

MANIFEST = f"{API}/player/manifest"


def _downstream(environ, start_response):
    return Response("from flask", status=299)(environ, start_response)


@pytest.fixture
def polled(client, board) -> tuple[str, str]:
    """A board's token and the ETag of the manifest it already holds."""
    response = player(client, board["token"], "GET", "/manifest")
    assert response.status_code == 200
    return board["token"], response.headers["ETag"]


@pytest.fixture
def fast_path(runtime) -> Client:
    snapshot = RevalidationSnapshot(runtime.db, max_age_s=60.0)
    return Client(ManifestRevalidation(_downstream, snapshot))


def _poll(client, token: str | None, etag: str | None, method: str = "GET", path=MANIFEST):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if etag:
        headers["If-None-Match"] = etag
    return client.open(path, method=method, headers=headers)


def test_a_confirmed_poll_gets_the_same_304_as_the_flask_view(fast_path, polled, client):
    token, etag = polled
    fast = _poll(fast_path, token, etag)
    assert fast.status_code == 304
    assert fast.headers["ETag"] == etag
    assert fast.headers["Cache-Control"] == "no-cache"
    assert fast.get_data() == b""
    assert _poll(fast_path, token, etag, method="HEAD").status_code == 304
    assert _poll(fast_path, token, f'W/{etag}, "other"').status_code == 304


@pytest.mark.parametrize(
    "case",
    ["no token", "unknown token", "no etag", "other etag", "POST", "other path"],
)
def test_whatever_it_cannot_confirm_goes_to_the_view(fast_path, polled, case):
    token, etag = polled
    args = {
        "no token": (None, etag),
        "unknown token": ("sgb_unknown", etag),
        "no etag": (token, None),
        "other etag": (token, '"0123"'),
        "POST": (token, etag, "POST"),
        "other path": (token, etag, "GET", f"{API}/player/heartbeat"),
    }[case]
    assert _poll(fast_path, *args).status_code == 299


def test_the_app_answers_an_unchanged_poll_with_304_and_a_changed_one_with_the_body(
    api, client, board, polled
):
    token, etag = polled
    assert _poll(client, token, etag).status_code == 304
    slide = api.approved_slide("Thông báo khẩn: mưa lũ")
    playlist = api.playlist([slide["id"]], name="Khẩn cấp")
    api.schedule(playlist["id"], boards=[board["id"]], kind="emergency")
    changed = _poll(client, token, etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_an_anonymous_poll_still_gets_401_from_the_view(client, polled):
    _, etag = polled
    assert _poll(client, None, etag).status_code == 401
