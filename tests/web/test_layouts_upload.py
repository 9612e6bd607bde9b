"""Layout uploads: a bundle with a custom font and a background is stored content-addressed;
every unsafe or broken upload gets a clear 4xx naming the problem, and nothing is stored."""

from __future__ import annotations

import io
import json
import stat
import zipfile

import pytest
from api_helpers import assert_error, png_bytes
from layout_bundles_helpers import FONT, bundle_spec, good_bundle, stored, upload, zip_bytes
from PIL import Image

from signage import rendering
from signage.services import layout_bundles


def test_a_bundle_with_a_font_and_a_background_is_stored(api, runtime, monkeypatch):
    # A key of its own: previews are cached by content, and other tests upload the same bundle.
    response = upload(api, zip_bytes(good_bundle(bundle_spec("goi-rieng"))))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert {"id", "name", "version", "warnings"} <= set(body)
    assert body["version"] == 1 and body["name"] == "Gói thử"
    assert body["resources"] == ["fonts/Brand.ttf", "images/bg.png"]
    media = {p.name for p in runtime.settings.media_dir.rglob("*") if p.is_file()}
    assert any(name.endswith(".ttf") for name in media)
    assert any(name.endswith(".png") for name in media)

    seen = []
    real = rendering.render

    def spy(*args, **kwargs):
        seen.append(kwargs.get("resources"))
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, "render", spy)
    image = api.get(f"/layouts/{body['id']}/preview?width=384&height=192", role="viewer")
    assert image.status_code == 200 and image.mimetype.startswith("image/")
    assert image.headers["X-Layout-Variant"]
    assert seen and set(seen[0]) == {"fonts/Brand.ttf", "images/bg.png"}
    assert seen[0]["fonts/Brand.ttf"] == FONT


def test_a_bundle_upload_needs_the_design_permission(api, runtime):
    before = stored(runtime)
    assert_error(upload(api, zip_bytes(good_bundle()), role="editor"), 403)
    assert stored(runtime) == before


def _symlink_bundle() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name, data in good_bundle().items():
            bundle.writestr(name, data)
        link = zipfile.ZipInfo("images/link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        bundle.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def _png_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")
    return buffer.getvalue()


def _truncated_png() -> bytes:
    return png_bytes(400, 300, (10, 200, 30))[:200]


def _layout_json(spec) -> dict:
    return good_bundle(spec)


UNSAFE = {
    "dot-dot": (good_bundle(**{"../../evil.png": png_bytes()}), 422, "../../evil.png"),
    "absolute": (good_bundle(**{"/etc/evil.png": png_bytes()}), 422, "/etc/evil.png"),
    "drive": (good_bundle(**{"C:\\evil.png": png_bytes()}), 422, "C:\\evil.png"),
    "not-an-image": (
        good_bundle(**{"images/bg.png": b"<html>not an image</html>"}),
        415,
        "images/bg.png",
    ),
    "truncated-image": (good_bundle(**{"images/bg.png": _truncated_png()}), 422, "images/bg.png"),
    "pixel-bomb": (good_bundle(**{"images/bg.png": _png_bomb()}), 422, "images/bg.png"),
    "corrupt-font": (
        good_bundle(**{"fonts/Brand.ttf": b"\x00\x01\x00\x00" + b"\x00" * 400}),
        422,
        "fonts/Brand.ttf",
    ),
    "zip-bomb": (good_bundle(**{"images/huge.png": b"\x00" * (40 * 1024 * 1024)}), 422, None),
    "malformed-json": (good_bundle(**{"layout.json": '{\n  "key": "x",\n  oops\n}'}), 422, None),
    "schema": (
        _layout_json({**bundle_spec(), "regions": [{"kind": "rect", "box": [0, 0, 2, 1]}]}),
        422,
        None,
    ),
    "missing-file": (
        {k: v for k, v in good_bundle().items() if k != "images/bg.png"},
        422,
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_bundles_are_refused_and_nothing_is_stored(api, runtime, case):
    entries, status, field = UNSAFE[case]
    before = stored(runtime)
    body = assert_error(upload(api, zip_bytes(entries)), status, field)
    assert body["error"]
    assert stored(runtime) == before, case


def test_malformed_json_names_the_line_and_column(api, runtime):
    entries = good_bundle(**{"layout.json": '{\n  "key": "x",\n  oops\n}'})
    body = assert_error(upload(api, zip_bytes(entries)), 422, "layout.json")
    assert "line 3, column 3" in body["error"]
    body = assert_error(upload(api, b'{"key": ', "x.json"), 422, "file")
    assert "line 1, column 9" in body["error"]


def test_schema_violations_give_the_json_path(api, runtime):
    spec = {**bundle_spec(), "regions": [{"kind": "rect", "box": [0, 0, 2, 1], "fill": "#fff"}]}
    body = assert_error(upload(api, zip_bytes(good_bundle(spec))), 422)
    assert any(d["field"].startswith("$.regions[0]") for d in body["details"]), body
    spec = {k: v for k, v in bundle_spec().items() if k != "fonts"}
    spec["regions"][1]["family"] = "Nowhere Sans"
    body = assert_error(upload(api, json.dumps(spec).encode(), "x.json"), 422)
    assert body["details"][0]["field"].startswith("$."), body


def test_a_symlink_entry_is_refused(api, runtime):
    before = stored(runtime)
    body = assert_error(upload(api, _symlink_bundle()), 422, "images/link.png")
    assert "symbolic link" in body["error"]
    assert stored(runtime) == before


def test_too_many_files_are_refused(api, runtime):
    before = stored(runtime)
    extra = {f"images/{i}.png": png_bytes(4, 4) for i in range(70)}
    body = assert_error(upload(api, zip_bytes(good_bundle(**extra))), 422, "file")
    assert "at most" in body["error"]
    assert stored(runtime) == before


def test_a_bundle_that_expands_too_far_is_refused(api, runtime, monkeypatch):
    monkeypatch.setattr(layout_bundles, "MAX_EXPANDED_BYTES", 20_000)
    before = stored(runtime)
    body = assert_error(upload(api, zip_bytes(good_bundle())), 422, "file")
    assert "expands" in body["error"]
    assert stored(runtime) == before


def test_an_oversized_archive_or_document_is_413(api, runtime, monkeypatch):
    before = stored(runtime)
    monkeypatch.setattr(layout_bundles, "MAX_BUNDLE_BYTES", 1000)
    assert_error(upload(api, zip_bytes(good_bundle())), 413)
    document = json.dumps({**bundle_spec(), "padding": "x" * 300_000}).encode()
    assert_error(upload(api, document, "big.json"), 413)
    assert stored(runtime) == before


def test_a_corrupt_zip_is_422(api, runtime):
    before = stored(runtime)
    data = zip_bytes(good_bundle())
    assert_error(upload(api, data[: len(data) // 2]), 422, "file")
    assert_error(upload(api, b"PK\x03\x04" + b"\x00" * 64), 422, "file")
    assert stored(runtime) == before


def test_entry_names_are_judged_safely():
    assert layout_bundles.unsafe_name("images/bg.png") is None
    for name in ("../x", "a/../../x", "/abs", "\\abs", "C:\\x", "c:/x", "a\\..\\b"):
        assert layout_bundles.unsafe_name(name), name


def test_an_image_named_as_a_font_is_judged_by_content():
    mime, ext = layout_bundles.classify("fonts/Brand.ttf", png_bytes())
    assert (mime, ext) == ("image/png", "png")
    assert layout_bundles.classify("images/x.png", FONT) == ("font/ttf", "ttf")


def test_the_admin_upload_form_takes_a_bundle_and_refuses_a_bad_one(app, api, runtime, users):
    from test_admin import csrf_from, login

    browser = app.test_client()
    login(browser, "designer")
    before = stored(runtime)
    bad = zip_bytes(good_bundle(**{"../evil.png": png_bytes()}))
    data = {"csrf_token": csrf_from(browser, "/layouts"), "file": (io.BytesIO(bad), "b.zip")}
    response = browser.post("/layouts", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "../evil.png" in response.get_data(as_text=True)
    assert stored(runtime) == before
    good = zip_bytes(good_bundle())
    data = {"csrf_token": csrf_from(browser, "/layouts"), "file": (io.BytesIO(good), "b.zip")}
    response = browser.post("/layouts", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gói thử" in page and "fonts/Brand.ttf" in page
