"""Layouts, assets and slides through the admin API: validation, approval flow, previews."""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile

import pytest
from api_helpers import assert_error, count, detail_codes, player, png_bytes, refusals
from PIL import Image

from signage.models import Asset, AuditEntry, Layout, Slide, SlideRevision
from signage.services import assets as asset_service


def _upload(api, data: bytes, name: str = "photo.png", role: str = "editor", mime=None):
    file = (io.BytesIO(data), name, mime) if mime else (io.BytesIO(data), name)
    return api.post("/assets", role=role, data={"file": file}, content_type="multipart/form-data")


def _nothing_saved(runtime, *models) -> None:
    for model in models:
        assert count(runtime, model) == 0, model.__name__


def _stored_media(runtime) -> list:
    return [p for p in runtime.settings.media_dir.rglob("*") if p.is_file()]


# Layouts -------------------------------------------------------------------------------------


def test_layouts_list_the_builtin_ones_with_their_fields(api):
    layouts = {x["key"]: x for x in api.ok("GET", "/layouts", "viewer")["layouts"]}
    assert {"title-body-qr", "announcement", "image-caption"} <= set(layouts)
    for layout in layouts.values():
        assert isinstance(layout["id"], int) and layout["name"]
        for field in layout["fields"]:
            assert {"name", "kind", "required"} <= set(field)
    required = {k: {f["name"] for f in x["fields"] if f["required"]} for k, x in layouts.items()}
    assert required["title-body-qr"] == {"title"}
    assert required["announcement"] == {"title"}
    assert required["image-caption"] == {"image", "caption"}
    names = {f["name"] for f in layouts["title-body-qr"]["fields"]}
    assert names == {"title", "body", "link"}


def _custom_spec(api, key: str = "bao-cao") -> dict:
    builtin = next(
        x for x in api.ok("GET", "/layouts", "viewer")["layouts"] if x["key"] == "announcement"
    )
    with api.client.application.app_context():
        from signage.web.context import db_session

        spec = dict(db_session().get(Layout, builtin["id"]).spec)
    spec.update(key=key, name={"vi": "Báo cáo", "en": "Report"})
    return spec


def _upload_layout(api, data: bytes, name: str, role: str = "designer"):
    files = {"file": (io.BytesIO(data), name)}
    return api.post("/layouts", role=role, data=files, content_type="multipart/form-data")


def test_a_designer_uploads_a_layout_document_and_a_new_version(api):
    spec = _custom_spec(api)
    first = _upload_layout(api, json.dumps(spec).encode(), "bao-cao.json")
    assert first.status_code == 201, first.get_data(as_text=True)
    body = first.get_json()
    assert {"id", "name", "version", "warnings"} <= set(body)
    assert body["version"] == 1 and body["warnings"] == [] and body["name"] == "Báo cáo"
    second = _upload_layout(api, json.dumps(spec).encode(), "bao-cao.json").get_json()
    assert second["version"] == 2 and second["id"] != body["id"]
    listed = [x for x in api.ok("GET", "/layouts")["layouts"] if x["key"] == "bao-cao"]
    assert [x["version"] for x in listed] == [2]


def test_a_layout_zip_bundle_is_accepted(api, runtime):
    spec = _custom_spec(api, "bundle")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("layout.json", json.dumps(spec))
        bundle.writestr("../../evil.txt", "zip slip")
    # Issue 3: a `..` entry refuses the whole bundle (tests/web/test_layouts_upload.py).
    assert_error(_upload_layout(api, buffer.getvalue(), "bundle.zip"), 422, "../../evil.txt")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("layout.json", json.dumps(spec))
    response = _upload_layout(api, buffer.getvalue(), "bundle.zip")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["version"] == 1
    assert not (runtime.settings.data_dir.parent / "evil.txt").exists()
    assert not any(p.name == "evil.txt" for p in runtime.settings.data_dir.rglob("*"))


def test_bad_layouts_are_refused_and_not_saved(api, runtime):
    before = count(runtime, Layout)
    broken = _custom_spec(api, "broken")
    broken["regions"] = [{"kind": "text", "box": [0, 0, 2, 1], "field": "title"}]
    assert_error(_upload_layout(api, json.dumps(broken).encode(), "x.json"), 422)
    assert_error(_upload_layout(api, b"{not json", "x.json"), 422, "file")
    assert_error(_upload_layout(api, b"[1, 2]", "x.json"), 422)
    assert_error(_upload_layout(api, b"PK\x03\x04 not really a zip", "x.zip"), 422)
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as bundle:
        bundle.writestr("readme.txt", "no layout here")
    assert_error(_upload_layout(api, empty.getvalue(), "x.zip"), 422, "file")
    assert_error(api.post("/layouts", role="designer", json={"key": "x"}), 422, "file")
    assert_error(_upload_layout(api, b"{}", "x.json", role="editor"), 403)
    assert count(runtime, Layout) == before


# Assets --------------------------------------------------------------------------------------


def test_an_image_upload_returns_its_identity(api, runtime):
    data = png_bytes(320, 200)
    response = _upload(api, data, mime="application/octet-stream")  # the client's type is ignored
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["width"], body["height"]) == (320, 200) and isinstance(body["id"], int)
    assert runtime.store.get(body["sha256"], "png") == data
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(jpeg, "JPEG")
    assert _upload(api, jpeg.getvalue(), "anh.jpg", role="designer").status_code == 201
    assert_error(_upload(api, data, role="viewer"), 403)


def _noise_png(width: int, height: int) -> bytes:
    """A PNG that does not compress: its size on disk is about width * height * 3 bytes."""
    noise = Image.frombytes("RGB", (width, height), random.Random(49).randbytes(width * height * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    return buffer.getvalue()


def _truncated_png() -> bytes:
    data = _noise_png(200, 200)
    return data[: len(data) // 2]


def _bomb(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "status", "code"),
    [
        (_truncated_png, "cut.png", 422, "image_corrupt"),
        (lambda: b"just some text, not an image\n" * 20, "notes.png", 415, "not_an_image"),
        (lambda: b"", "empty.png", 415, "not_an_image"),
        # past Pillow's own bomb limit
        (lambda: _bomb(14000, 14000), "bomb.png", 422, "decompression_bomb"),
        (lambda: _bomb(9000, 5000), "huge.png", 422, "too_many_pixels"),  # 45 Mpx: our limit
    ],
    ids=["truncated", "text-named-png", "empty", "decompression-bomb", "too-many-pixels"],
)
def test_bad_images_are_refused_and_nothing_is_stored(api, runtime, make, name, status, code):
    field = "file" if status == 422 else None
    assert_error(_upload(api, make(), name), status, field, code)
    _nothing_saved(runtime, Asset)
    assert _stored_media(runtime) == []


def test_the_pixel_limit_is_quoted_from_the_service(api):
    body = assert_error(_upload(api, _bomb(9000, 5000), "huge.png"), 422, "file")
    detail = body["details"][0]
    assert (detail["width"], detail["height"]) == (9000, 5000)
    assert detail["limit"] == asset_service.MAX_PIXELS
    assert f"{asset_service.MAX_PIXELS}" in detail["message"]


def test_a_gif_is_not_accepted(api, runtime):
    buffer = io.BytesIO()
    Image.new("P", (20, 20)).save(buffer, "GIF")
    response = _upload(api, buffer.getvalue(), "anim.gif")
    body = assert_error(response, 415, None, "image_format_not_accepted")
    assert "GIF" in body["error"] and "PNG, JPEG, WebP" in body["error"]
    _nothing_saved(runtime, Asset)


def test_an_oversized_upload_gets_413(api, runtime, monkeypatch):
    monkeypatch.setattr(asset_service, "MAX_BYTES", 1000)
    body = assert_error(_upload(api, _noise_png(40, 40)), 413, None, "file_too_large")
    assert "1000" in body["error"], "the message quotes the limit"
    _nothing_saved(runtime, Asset)
    assert _stored_media(runtime) == []
    small = png_bytes(40, 40)
    assert len(small) < 1000
    assert _upload(api, small).status_code == 201


def test_an_upload_without_a_file_is_422(api):
    assert_error(api.post("/assets", role="editor", data={}), 422, "file", "multipart_file_missing")


# Slides: validation --------------------------------------------------------------------------


def _slide_body(api, layout: str = "title-body-qr", **fields) -> dict:
    return {"layout_id": api.layout_id(layout), "fields": fields, "duration_s": 15}


def _refused(
    api, runtime, body, field: str, code: str | None = None, raw: bytes | None = None
) -> dict:
    if raw is not None:
        response = api.post("/slides", role="editor", data=raw, content_type="application/json")
    else:
        response = api.post("/slides", role="editor", json=body)
    error = assert_error(response, 422, field, code)
    _nothing_saved(runtime, Slide, SlideRevision)
    return error


def test_a_slide_without_its_title_is_refused(api, runtime):
    error = _refused(api, runtime, _slide_body(api, body="Nội dung"), "fields.title", "required")
    assert error["code"] == "invalid_input"
    assert "fields.title" in error["error"]
    _refused(api, runtime, _slide_body(api, title="   "), "fields.title", "required")


def test_a_too_long_title_names_the_limit(api, runtime):
    error = _refused(api, runtime, _slide_body(api, title="Đ" * 121), "fields.title", "too_long")
    detail = next(d for d in error["details"] if d["field"] == "fields.title")
    assert (detail["count"], detail["limit"]) == (121, 120)
    assert "120" in detail["message"] and "121" in detail["message"]


BAD_SLIDES = [
    ({"layout_id": 99999}, "layout_id"),
    ({"layout_id": "title-body-qr"}, "layout_id"),
    ({"fields": ["title"]}, "fields"),
    ({"fields": {"title": "A", "colour": "red"}}, "fields.colour"),
    ({"fields": {"title": "A", "link": "javascript:alert(1)"}}, "fields.link"),
    ({"fields": {"title": 42}}, "fields.title"),
    ({"duration_s": 0}, "duration_s"),
    ({"duration_s": "mười"}, "duration_s"),
    ({"duration_s": 86400}, "duration_s"),
    ({"valid_from": "tomorrow"}, "valid_from"),
    ({"valid_from": "2026-12-01T08:00:00"}, "valid_from"),
    (
        {"valid_from": "2026-12-02T00:00:00+07:00", "valid_until": "2026-12-01T00:00:00Z"},
        "valid_until",
    ),
]


def test_bad_slide_values_are_refused(api, runtime):
    good = _slide_body(api, title="Tiêu đề")
    assert (
        refusals(
            BAD_SLIDES, lambda change: api.post("/slides", role="editor", json={**good, **change})
        )
        == []
    )
    _nothing_saved(runtime, Slide, SlideRevision)


SLIDE_CODES = [
    ({"fields": ["title"]}, "fields", "not_a_json_object"),
    ({"duration_s": 0}, "duration_s", "out_of_range"),
    ({"duration_s": "mười"}, "duration_s", "not_an_integer"),
    ({"valid_from": "tomorrow"}, "valid_from", "not_a_datetime"),
    ({"valid_from": "2026-12-01T08:00:00"}, "valid_from", "missing_utc_offset"),
    (
        {"valid_from": "2026-12-02T00:00:00+07:00", "valid_until": "2026-12-01T00:00:00Z"},
        "valid_until",
        "not_after_valid_from",
    ),
]


@pytest.mark.parametrize(("change", "field", "code"), SLIDE_CODES)
def test_each_refusal_names_its_code(api, runtime, change, field, code):
    _refused(api, runtime, {**_slide_body(api, title="Tiêu đề"), **change}, field, code)


def test_a_refusal_keeps_its_codes_and_changes_its_words_with_the_language(api):
    body = {**_slide_body(api, title=42), "fields": {"title": 42, "colour": "red"}}
    said = {}
    for language in ("vi", "en"):
        response = api.post(
            "/slides", role="editor", json=body, headers={"Accept-Language": language}
        )
        said[language] = assert_error(response, 422)
    vi, en = said["vi"], said["en"]
    assert detail_codes(vi) == detail_codes(en) and len(detail_codes(vi)) == 2
    assert all(code.isidentifier() and code.islower() for code in detail_codes(vi))
    assert vi["error"] != en["error"]
    assert {d["message"] for d in vi["details"]}.isdisjoint(d["message"] for d in en["details"])


def test_image_fields_must_name_an_uploaded_asset(api, runtime):
    for image in (12345, "abc", "12345"):
        body = _slide_body(api, "image-caption", image=image, caption="Chú thích")
        error = _refused(api, runtime, body, "fields.image", "unknown_asset")
        assert error["details"][0]["value"] == str(image)
    _refused(api, runtime, _slide_body(api, "image-caption", caption="x"), "fields.image")


def test_malformed_json_is_422_and_saves_nothing(api, runtime):
    bad = (b'{"layout_id": 3, "fields": {', b'["not", "an", "object"]')
    for raw in bad:
        _refused(api, runtime, None, "$", "not_a_json_object", raw=raw)


# Slides: the approval flow -------------------------------------------------------------------


def test_slide_moves_through_draft_pending_approved(api, runtime):
    asset = _upload(api, png_bytes(640, 480)).get_json()
    fields = {"image": asset["id"], "caption": "Ngày hội chuyển đổi số"}
    created = api.created(
        "/slides", {**_slide_body(api, "image-caption"), "fields": fields}, "editor"
    )
    assert {"id", "revision", "status"} <= set(created)
    assert (created["revision"], created["status"]) == (1, "draft")
    slide = created["id"]
    assert_error(api.post(f"/slides/{slide}/approve", role="approver"), 409)
    assert_error(api.post(f"/slides/{slide}/submit", role="viewer"), 403)
    assert api.ok("POST", f"/slides/{slide}/submit", "editor")["status"] == "pending"
    again = api.post(f"/slides/{slide}/submit", role="editor")
    assert_error(again, 409, code="revision_not_submittable")
    assert_error(api.post(f"/slides/{slide}/approve", role="editor"), 403)
    approved = api.ok("POST", f"/slides/{slide}/approve", "approver")
    assert approved["status"] == "approved" and approved["playing_revision"] == 1
    fetched = api.ok("GET", f"/slides/{slide}", "viewer")
    assert fetched["fields"] == fields and fetched["status"] == "approved"
    actions = {(e.action, e.object_type) for e in _audit(runtime)}
    assert {("create", "slide"), ("submit", "slide"), ("approve", "slide")} <= actions


def _audit(runtime) -> list:
    with runtime.db.sessions() as s:
        return list(s.query(AuditEntry))


def test_a_rejection_needs_and_keeps_its_reason(api):
    slide = api.slide("Bản nháp")["id"]
    api.ok("POST", f"/slides/{slide}/submit", "editor")
    assert_error(api.post(f"/slides/{slide}/reject", role="approver", json={}), 422, "reason")
    assert_error(api.post(f"/slides/{slide}/reject", role="approver"), 422)
    reason = "Sai chính tả ở tiêu đề"
    rejected = api.ok("POST", f"/slides/{slide}/reject", "approver", json={"reason": reason})
    assert rejected["status"] == "rejected" and rejected["reject_reason"] == reason
    # A rejected slide can be fixed and submitted again.
    api.ok("PUT", f"/slides/{slide}", "editor", json={"fields": {"title": "Bản đã sửa"}})
    assert api.ok("POST", f"/slides/{slide}/submit", "editor")["status"] == "pending"


def _manifest_revisions(client, token: str, slide_id: int) -> set[int]:
    body = player(client, token, "GET", "/manifest").get_json()
    return {
        item["revision"]
        for segment in body["segments"]
        for item in segment["items"]
        if item["slide_id"] == slide_id
    }


def test_an_edit_of_approved_content_waits_for_approval(api, board, client, runtime):
    slide = api.approved_slide("Lịch tiếp công dân")["id"]
    playlist = api.playlist([slide])["id"]
    api.schedule(playlist, boards=[board["id"]])
    assert _manifest_revisions(client, board["token"], slide) == {1}

    edited = api.ok("PUT", f"/slides/{slide}", "editor", json={"fields": {"title": "Lịch mới"}})
    assert (edited["revision"], edited["status"], edited["playing_revision"]) == (2, "draft", 1)
    assert _manifest_revisions(client, board["token"], slide) == {1}
    api.ok("POST", f"/slides/{slide}/submit", "editor")
    assert _manifest_revisions(client, board["token"], slide) == {1}
    api.ok("POST", f"/slides/{slide}/approve", "approver")
    assert _manifest_revisions(client, board["token"], slide) == {2}
    assert count(runtime, SlideRevision) >= 2


def test_a_bad_edit_changes_nothing(api):
    slide = api.approved_slide("Giữ nguyên")["id"]
    assert_error(
        api.put(f"/slides/{slide}", role="editor", json={"fields": {"title": ""}}),
        422,
        "fields.title",
    )
    current = api.ok("GET", f"/slides/{slide}")
    assert (current["revision"], current["status"]) == (1, "approved")
    assert current["fields"]["title"] == "Giữ nguyên"


def test_an_edit_keeps_what_it_leaves_out(api):
    body = {
        "layout_id": api.layout_id("announcement"),
        "fields": {"title": "Họp dân", "caption": "Thông báo"},
        "duration_s": 25,
        "valid_until": "2031-01-01T00:00:00+07:00",
    }
    slide = api.created("/slides", body, "editor")["id"]
    edited = api.ok("PUT", f"/slides/{slide}", "editor", json={"duration_s": 40})
    assert edited["fields"] == body["fields"] and edited["duration_s"] == 40
    assert edited["valid_until"] == "2030-12-31T17:00:00Z"
    cleared = api.ok("PUT", f"/slides/{slide}", "editor", json={"valid_until": None})
    assert cleared["valid_until"] is None and cleared["duration_s"] == 40


def test_the_preview_has_exactly_the_requested_size(api):
    slide = api.slide("Xem trước", fields={"body": "Nội dung", "link": "https://langson.gov.vn"})
    response = api.get(f"/slides/{slide['id']}/render?width=384&height=192", role="viewer")
    assert response.status_code == 200
    assert response.mimetype.startswith("image/")
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.size == (384, 192)
    portrait = api.get(f"/slides/{slide['id']}/render?width=270&height=480")
    with Image.open(io.BytesIO(portrait.data)) as image:
        assert image.size == (270, 480)


def test_preview_sizes_are_checked(api):
    slide = api.slide("Xem trước")["id"]
    assert_error(api.get(f"/slides/{slide}/render?width=0&height=192"), 422, "width")
    assert_error(api.get(f"/slides/{slide}/render?width=384&height=abc"), 422, "height")
    assert_error(api.get(f"/slides/{slide}/render?width=100000&height=192"), 422, "width")
    assert_error(api.get("/slides/424242/render?width=384&height=192"), 404)


# Slides: codes of the flow, the shared listing, text that does not fit ---------------------


def test_a_state_conflict_words_the_status_in_the_callers_language(api):
    slide = api.slide("Bản nháp")["id"]
    for language, status in (("en", "draft"), ("vi", "nháp")):
        response = api.post(
            f"/slides/{slide}/approve", role="approver", headers={"Accept-Language": language}
        )
        body = assert_error(response, 409, code="revision_not_pending")
        assert status in body["error"] and "status_" not in body["error"]


def test_an_unknown_slide_is_a_404_with_its_code(api):
    body = assert_error(api.get("/slides/424242"), 404, code="slide_not_found")
    assert "424242" in body["error"]
    assert_error(api.post("/slides/424242/submit", role="editor"), 404, code="slide_not_found")
    assert_error(api.get(f"/slides/{2**40}"), 404, code="slide_not_found")  # past the id column


def test_the_slide_list_filters_by_status_like_the_admin(api):
    draft = api.slide("Nháp")["id"]
    pending = api.slide("Chờ")["id"]
    api.ok("POST", f"/slides/{pending}/submit", "editor")
    approved = api.approved_slide("Duyệt")["id"]
    api.ok("PUT", f"/slides/{approved}", "editor", json={"fields": {"title": "Sửa lại"}})

    def listed(query: str = "") -> list[int]:
        return [s["id"] for s in api.ok("GET", f"/slides{query}", "viewer")["slides"]]

    assert listed() == [approved, pending, draft]
    assert listed("?status=draft") == [approved, draft]  # the edit made a new draft
    assert listed("?status=pending") == [pending]
    assert listed("?status=on_air") == [approved]
    assert listed("?status=") == listed()
    assert_error(api.get("/slides?status=lost"), 422, "status", "unknown_slide_filter")


LONG_TITLE = "Chuyển đổi số toàn diện, đồng bộ ở tất cả các cấp chính quyền tỉnh Lạng Sơn " * 2


def test_text_that_does_not_fit_a_registered_board_cannot_be_submitted(api):
    api.board("Bảng LED", 192, 96)
    slide = api.slide(LONG_TITLE[:120])["id"]
    response = api.post(f"/slides/{slide}/submit", role="editor")
    body = assert_error(response, 422, "fields.title")
    assert body["code"] == "text_does_not_fit"
    detail = next(d for d in body["details"] if d["field"] == "fields.title")
    assert detail["code"].startswith("fit_too_long")  # by how much comes with it
    assert (detail["width"], detail["height"]) == (192, 96)
    assert detail["lines"] > detail["allowed"]
    assert "192" in detail["message"] and "fit_" not in detail["message"]
    assert api.ok("GET", f"/slides/{slide}")["status"] == "draft"
