"""Every response carries nosniff and a Content-Security-Policy chosen by what it is; session
cookies are Secure when the deployment says it is served over HTTPS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from admin_helpers import login
from api_helpers import API, png_bytes
from werkzeug.test import Client

from signage import create_app
from signage.config import load_settings
from signage.runtime import Runtime
from signage.services.revalidation import RevalidationSnapshot
from signage.web import admin
from signage.web.headers import NONE_POLICY, PAGE_POLICY, PLAYER_POLICY, SecurityHeaders
from signage.web.player.revalidation import ManifestRevalidation


def directives(response) -> dict[str, str]:
    assert response.headers.get("X-Content-Type-Options") == "nosniff", response.headers
    policy = response.headers.get("Content-Security-Policy")
    assert policy, response.headers
    parsed = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        parsed[name] = value
    return parsed


def assert_not_framed(response) -> dict[str, str]:
    found = directives(response)
    assert found["frame-ancestors"] == "'none'"
    return found


def test_admin_pages_get_the_strict_page_policy(client, as_role):
    login_page = client.get("/login")
    assert login_page.status_code == 200
    assert login_page.headers["Content-Security-Policy"] == PAGE_POLICY
    as_role("admin")
    for path in ("/", "/boards", "/playlists", "/audit"):
        page = client.get(path)
        assert page.status_code == 200, path
        found = assert_not_framed(page)
        assert found["default-src"] == "'self'"
        assert found["script-src"] == "'self'"  # no inline script
        assert found["style-src-elem"] == "'self'"  # no inline <style>


def test_no_admin_template_needs_inline_script():
    """The page policy allows no inline script: none in a tag, an event attribute or a link."""
    folder = Path(admin.__file__).parent / "templates" / "admin"
    templates = sorted(folder.glob("*.html"))
    assert templates
    for path in templates:
        text = path.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
        assert "javascript:" not in text, path.name


def test_api_answers_and_errors_get_the_none_policy(client, auth):
    answer = client.get(f"{API}/boards", headers=auth("admin"))
    assert answer.status_code == 200 and answer.is_json
    error = client.get(f"{API}/boards/999999", headers=auth("admin"))
    assert error.status_code == 404 and error.is_json
    anonymous = client.get(f"{API}/boards")
    assert anonymous.status_code == 401
    for response in (answer, error, anonymous):
        assert_not_framed(response)
        assert response.headers["Content-Security-Policy"] == NONE_POLICY


def test_health_media_and_not_found(client, runtime):
    health = client.get("/healthz")
    assert health.status_code == 200
    sha = runtime.store.put(png_bytes(), "png")
    media = client.get(f"/media/{sha}.png")
    assert media.status_code == 200 and media.mimetype == "image/png"
    missing_media = client.get(f"/media/{'0' * 64}.png")
    assert missing_media.status_code == 404
    for response in (health, media, missing_media):
        assert response.headers["Content-Security-Policy"] == NONE_POLICY
        assert_not_framed(response)
    # An unknown address: a page for a browser, JSON for the API; both carry a policy.
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert page.headers["Content-Security-Policy"] == PAGE_POLICY
    api_missing = client.get(f"{API}/no-such-thing")
    assert api_missing.status_code == 404 and api_missing.is_json
    assert api_missing.headers["Content-Security-Policy"] == NONE_POLICY


def test_the_player_and_its_worker_get_the_player_policy(client):
    page = client.get("/player/")
    worker = client.get("/player/sw.js")
    script = client.get("/player/player.js")
    redirect = client.get("/player")
    assert (page.status_code, worker.status_code, script.status_code) == (200, 200, 200)
    assert redirect.status_code == 301
    for response in (page, worker, script, redirect):
        assert response.headers["Content-Security-Policy"] == PLAYER_POLICY
        found = assert_not_framed(response)
    # The worker fetches the manifest and media from the same origin; the page draws them.
    assert found["default-src"] == "'self'"
    assert found["img-src"] == "'self' data:"
    conditional = client.get("/player/sw.js", headers={"If-None-Match": worker.headers["ETag"]})
    assert conditional.status_code == 304
    assert conditional.headers["Content-Security-Policy"] == PLAYER_POLICY


def test_the_manifest_fast_path_304_carries_them_too(client, board, runtime, app):
    token = board["token"]
    headers = {"Authorization": f"Bearer {token}"}
    etag = client.get(f"{API}/player/manifest", headers=headers).headers["ETag"]
    assert isinstance(app.wsgi_app, SecurityHeaders)
    assert isinstance(app.wsgi_app.app, ManifestRevalidation)

    def flask_must_not_answer(environ, start_response):
        raise AssertionError("the fast path should have answered")

    snapshot = RevalidationSnapshot(runtime.db, max_age_s=60.0)
    fast = Client(SecurityHeaders(ManifestRevalidation(flask_must_not_answer, snapshot)))
    response = fast.get(f"{API}/player/manifest", headers={**headers, "If-None-Match": etag})
    assert response.status_code == 304
    assert response.headers["Content-Security-Policy"] == NONE_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_response_keeps_a_policy_of_its_own():
    def own(environ, start_response):
        start_response("200 OK", [("Content-Security-Policy", "sandbox"), ("Content-Type", "a/b")])
        return [b""]

    response = Client(SecurityHeaders(own)).get("/")
    assert response.headers.getlist("Content-Security-Policy") == ["sandbox"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# ---- Cookies -------------------------------------------------------------------------------


@pytest.fixture
def env_app(monkeypatch, runtime, tmp_path):
    """An app whose settings come from the environment, as in production, on the test database."""
    for name in ("SIGNAGE_SECURE_COOKIES", "SIGNAGE_PUBLIC_URL", "SIGNAGE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)

    def build(**environment: str):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        settings = load_settings(tmp_path).with_overrides(
            database_url=runtime.settings.database_url, testing=True
        )
        return create_app(runtime=Runtime(settings, runtime.db, runtime.store))

    return build


def session_cookie(app, users) -> str:
    client = app.test_client()
    response = login(client, "admin")
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def attributes(cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}


@pytest.mark.parametrize(
    ("environment", "secure"),
    [
        ({}, False),
        ({"SIGNAGE_PUBLIC_URL": "http://signage.lan:8000"}, False),
        ({"SIGNAGE_SECURE_COOKIES": "0"}, False),
        ({"SIGNAGE_SECURE_COOKIES": "1"}, True),
        ({"SIGNAGE_PUBLIC_URL": "https://signage.langson.gov.vn"}, True),
    ],
)
def test_session_cookies_are_secure_when_served_over_https(env_app, users, environment, secure):
    cookie = session_cookie(env_app(**environment), users)
    found = attributes(cookie)
    assert "httponly" in found
    assert "samesite=lax" in {p.strip().lower() for p in cookie.split(";")}
    assert ("secure" in found) is secure, cookie
