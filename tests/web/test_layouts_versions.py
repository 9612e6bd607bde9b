"""Layout versions: slides keep the version they were made with until an editor moves them
on, through the API or the admin's button, as a new draft that needs approval again."""

from __future__ import annotations

import io
import json

import pytest
from api_helpers import assert_error
from test_admin import login, post_form

from signage.models import Layout
from signage.web.context import db_session

MOVE_ON = "Chuyển sang phiên bản bố cục mới"


def _new_version(api, key: str = "title-body-qr") -> dict:
    with api.client.application.app_context():
        spec = dict(db_session().get(Layout, api.layout_id(key)).spec)
    spec["background"] = "#0d47a1"
    files = {"file": (io.BytesIO(json.dumps(spec).encode()), "layout.json")}
    response = api.post("/layouts", role="designer", data=files, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def approved(api) -> dict:
    return api.approved_slide("Hội nghị quán triệt Nghị quyết 49")


def test_slides_keep_their_version_until_moved_on(api, approved):
    slide_id = approved["id"]
    before = api.ok("GET", f"/slides/{slide_id}")
    newer = _new_version(api)
    assert newer["version"] == 2
    after = api.ok("GET", f"/slides/{slide_id}")
    assert after == before, "uploading a new version changes no slide"

    moved = api.ok("POST", f"/slides/{slide_id}/relayout", "editor")
    assert moved["status"] == "draft" and moved["revision"] == before["revision"] + 1
    detail = api.ok("GET", f"/layouts/{newer['id']}", "viewer")
    assert detail["version"] == 2
    with api.client.application.app_context():
        from signage.services import slides

        slide = slides.get_slide(db_session(), slide_id)
        assert slide.latest.layout_id == newer["id"]
        assert slide.playable.number == before["revision"]  # the approved one keeps playing
        assert slide.playable.layout_id != newer["id"]
    # Already on the newest version: nothing to move to.
    assert_error(api.post(f"/slides/{slide_id}/relayout", role="editor"), 409)


def test_relayout_to_a_named_version_and_bad_ids(api, approved):
    slide_id = approved["id"]
    newer = _new_version(api)
    assert_error(api.post(f"/slides/{slide_id}/relayout", role="viewer"), 403)
    response = api.post(f"/slides/{slide_id}/relayout", role="editor", json={"layout_id": 99999})
    assert_error(response, 422, "layout_id")
    body = {"layout_id": newer["id"]}
    moved = api.ok("POST", f"/slides/{slide_id}/relayout", "editor", json=body)
    assert moved["status"] == "draft"
    assert_error(api.post("/slides/99999/relayout", role="editor"), 404)


def test_the_admin_offers_the_move_when_a_newer_version_exists(app, users, api, approved):
    slide_id = approved["id"]
    client = app.test_client()  # a browser session, apart from the API client
    login(client, "editor")
    page = f"/slides/{slide_id}"
    assert MOVE_ON not in client.get(page).get_data(as_text=True)
    newer = _new_version(api)
    html = client.get(page).get_data(as_text=True)
    assert MOVE_ON in html
    response = post_form(client, page, f"/slides/{slide_id}/relayout", layout_id=str(newer["id"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert MOVE_ON not in html
    state = api.ok("GET", f"/slides/{slide_id}")
    assert state["status"] == "draft"
