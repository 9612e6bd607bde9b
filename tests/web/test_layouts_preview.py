"""The layout preview: sample content at every registered board size, with the variant and
warnings; legibility problems name the field, the board size and by how much."""

from __future__ import annotations

from api_helpers import assert_error
from layout_packages_helpers import good_package, upload, zip_bytes
from test_admin import login

from signage import wording

SIZES = [(384, 192), (1920, 1080), (1080, 1920)]


def _boards(api):
    for i, (w, h) in enumerate(SIZES):
        api.board(f"Bảng {i}", w, h)


def test_the_layout_api_previews_every_board_size(api):
    _boards(api)
    layout_id = api.layout_id("title-body-qr")
    body = api.ok("GET", f"/layouts/{layout_id}", "viewer")
    assert {"id", "key", "name", "version", "fields", "previews"} <= set(body)
    sizes = [(p["width"], p["height"]) for p in body["previews"]]
    assert sorted(sizes) == sorted(SIZES)
    for p in body["previews"]:
        assert p["variant"] and isinstance(p["warnings"], list)
        image = api.get(f"/layouts/{layout_id}/preview?width={p['width']}&height={p['height']}")
        assert image.status_code == 200 and image.mimetype.startswith("image/")
        assert image.headers["X-Layout-Variant"] == p["variant"]
    variants = {p["variant"] for p in body["previews"]}
    assert len(variants) > 1, "landscape, portrait and small LED boards differ"


def test_preview_warnings_are_codes_with_words(api):
    _boards(api)
    layout_id = api.layout_id("title-body-qr")
    previews = api.ok("GET", f"/layouts/{layout_id}", "viewer")["previews"]
    led = next(p for p in previews if (p["width"], p["height"]) == (384, 192))
    body = next(w for w in led["warnings"] if w.get("field") == "body")
    assert body["code"] == "render_not_shown" and body["variant"] == "small"
    assert body["message"] == 'không hiển thị ở cỡ 384x192; biến thể "small" không dùng trường này'
    english = api.get(f"/layouts/{layout_id}", "viewer", headers={"Accept-Language": "en"})
    led = next(p for p in english.get_json()["previews"] if p["width"] == 384)
    words = {w["message"] for w in led["warnings"]}
    assert 'not shown at 384x192; the "small" variant leaves it out' in words
    assert led["problems"] == []


def test_the_admin_preview_page_words_the_warnings_in_vietnamese(app, api, users):
    _boards(api)
    layout_id = api.layout_id("title-body-qr")
    browser = app.test_client()
    login(browser, "viewer")
    html = browser.get(f"/layouts/{layout_id}").get_data(as_text=True)
    assert "link: không hiển thị ở cỡ 384x192" in html
    assert "render_not_shown" not in html


def test_preview_errors(api):
    layout_id = api.layout_id("title-body-qr")
    assert_error(api.get(f"/layouts/{layout_id}/preview?width=0&height=10"), 422, "width")
    assert_error(api.get("/layouts/99999"), 404)
    assert_error(api.get("/layouts/99999/preview"), 404)
    assert_error(api.get(f"/layouts/{layout_id}", role=None), 401)


def test_the_admin_preview_page_shows_every_size_with_its_variant(app, api, users):
    _boards(api)
    created = upload(api, zip_bytes(good_package())).get_json()
    browser = app.test_client()
    login(browser, "viewer")
    html = browser.get(f"/layouts/{created['id']}").get_data(as_text=True)
    for w, h in SIZES:
        assert f"/api/v1/layouts/{created['id']}/preview?width={w}&amp;height={h}" in html
        assert f"{w}×{h}" in html or f"{w}x{h}" in html
    assert 'class="badge badge-neutral variant"' in html
    assert "fonts/Brand.ttf" in html
    listing = browser.get("/layouts").get_data(as_text=True)
    assert f"/layouts/{created['id']}" in listing
    assert browser.get("/layouts/99999").status_code == 404


def test_a_long_title_on_the_led_board_names_field_size_and_shortfall(app, api, users):
    api.board("LED", 192, 96)
    long_title = "Tuyên truyền sâu rộng Nghị quyết số 49 về chuyển đổi số " * 2
    slide = api.slide(long_title[:120].strip())
    response = api.post(f"/slides/{slide['id']}/submit", role="editor")
    body = assert_error(response, 422, "fields.title")
    problem = next(d for d in body["details"] if d["field"] == "fields.title")
    assert problem["code"] in ("fit_too_long", "fit_too_tall", "fit_too_long_and_tall")
    assert (problem["width"], problem["height"], problem["size"]) == (192, 96, 22)
    assert problem.get("lines", 0) > problem.get("allowed", 0) or problem["percent"] > 0
    browser = app.test_client()
    login(browser, "editor")
    html = browser.get(f"/slides/{slide['id']}").get_data(as_text=True)
    shortfall = wording.describe_detail(problem, "vi").split(": ", 1)[1]
    assert shortfall in html, "the preview shows by how much, in Vietnamese"


def test_a_character_the_font_lacks_is_refused_at_save(api):
    created = upload(api, zip_bytes(good_package())).get_json()
    body = {"layout_id": created["id"], "fields": {"title": "Xin chào 漢字"}, "duration_s": 10}
    error = assert_error(api.post("/slides", role="editor", json=body), 422, "fields.title")
    assert "漢" in error["error"]
    body["fields"]["title"] = "Xin chào Lạng Sơn"
    assert api.post("/slides", role="editor", json=body).status_code == 201
