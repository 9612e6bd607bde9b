"""Layout uploads: a layout package with a custom font and a background is stored
content-addressed; every unsafe or broken upload gets a clear 4xx naming the problem (as a code,
worded in the user's language), and nothing is stored."""

from __future__ import annotations

import io
import json
import stat
import zipfile

import pytest
from api_helpers import assert_error, png_bytes
from layout_packages_helpers import FONT, good_package, package_spec, stored, upload, zip_bytes
from PIL import Image

from signage import rendering
from signage.services import layout_packages


def test_a_package_with_a_font_and_a_background_is_stored(api, runtime, monkeypatch):
    # A key of its own: previews are cached by content, and other tests upload the same package.
    response = upload(api, zip_bytes(good_package(package_spec("goi-rieng"))))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert {"id", "name", "version", "warnings"} <= set(body)
    assert body["version"] == 1 and body["name"] == "Gói thử" and body["warnings"] == []
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


def test_a_package_upload_needs_the_design_permission(api, runtime):
    before = stored(runtime)
    assert_error(upload(api, zip_bytes(good_package()), role="editor"), 403)
    assert stored(runtime) == before


def _symlink_package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in good_package().items():
            package.writestr(name, data)
        link = zipfile.ZipInfo("images/link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        package.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def _png_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")
    return buffer.getvalue()


def _truncated_png() -> bytes:
    return png_bytes(400, 300, (10, 200, 30))[:200]


# case: (package entries, status, the field or JSON path named, its code when it is ours)
UNSAFE = {
    "dot-dot": (
        good_package(**{"../../evil.png": png_bytes()}),
        422,
        "../../evil.png",
        "zip_entry_parent",
    ),
    "absolute": (
        good_package(**{"/etc/evil.png": png_bytes()}),
        422,
        "/etc/evil.png",
        "zip_entry_absolute",
    ),
    "drive": (
        good_package(**{"C:\\evil.png": png_bytes()}),
        422,
        "C:\\evil.png",
        "zip_entry_absolute",
    ),
    "not-an-image": (
        good_package(**{"images/bg.png": b"<html>not an image</html>"}),
        415,
        "images/bg.png",
        "package_file_unsupported",
    ),
    # What is wrong with the picture itself is the image checks' to say (services.assets).
    "truncated-image": (
        good_package(**{"images/bg.png": _truncated_png()}),
        422,
        "images/bg.png",
        None,
    ),
    "pixel-bomb": (good_package(**{"images/bg.png": _png_bomb()}), 422, "images/bg.png", None),
    "corrupt-font": (
        good_package(**{"fonts/Brand.ttf": b"\x00\x01\x00\x00" + b"\x00" * 400}),
        422,
        "fonts/Brand.ttf",
        "font_corrupt",
    ),
    "zip-bomb": (
        good_package(**{"images/huge.png": b"\x00" * (40 * 1024 * 1024)}),
        422,
        "images/huge.png",
        "zip_entry_bomb",
    ),
    "malformed-json": (
        good_package(**{"layout.json": '{\n  "key": "x",\n  oops\n}'}),
        422,
        "layout.json",
        "malformed_json",
    ),
    "schema": (
        good_package({**package_spec(), "regions": [{"kind": "rect", "box": [0, 0, 2, 1]}]}),
        422,
        "$.regions[0].fill",
        "schema_required",
    ),
    "missing-file": (
        {k: v for k, v in good_package().items() if k != "images/bg.png"},
        422,
        "$.regions[0].file",
        "layout_file_missing",
    ),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_packages_are_refused_and_nothing_is_stored(api, runtime, case):
    entries, status, field, code = UNSAFE[case]
    before = stored(runtime)
    body = assert_error(upload(api, zip_bytes(entries)), status, field, code)
    assert body["error"] and all(d["message"] for d in body["details"])
    assert stored(runtime) == before, case


def test_malformed_json_names_the_line_and_column(api, runtime):
    entries = good_package(**{"layout.json": '{\n  "key": "x",\n  oops\n}'})
    body = assert_error(upload(api, zip_bytes(entries)), 422, "layout.json", "malformed_json")
    (problem,) = body["details"]
    assert (problem["line"], problem["column"]) == (3, 3)
    assert "dòng 3, cột 3" in body["error"], "Vietnamese unless the request asks otherwise"
    english = {"Accept-Language": "en"}
    response = upload(api, b'{"key": ', "x.json", headers=english)
    body = assert_error(response, 422, "file", "malformed_json")
    assert "line 1, column 9" in body["error"]


def test_schema_violations_give_the_json_path_and_the_keyword(api, runtime):
    spec = {**package_spec(), "regions": [{"kind": "rect", "box": [0, 0, 2, 1], "fill": "#fff"}]}
    body = assert_error(upload(api, zip_bytes(good_package(spec))), 422)
    (problem,) = body["details"]
    assert problem["path"] == "$.regions[0].box[2]" and problem["code"] == "schema_maximum"
    assert (problem["limit"], problem["value"]) == (1, "2")
    assert problem["message"] == "phải nhỏ hơn hoặc bằng 1, nhưng đang là 2"
    spec = {k: v for k, v in package_spec().items() if k != "fonts"}
    spec["regions"][1]["family"] = "Nowhere Sans"
    body = assert_error(upload(api, json.dumps(spec).encode(), "x.json"), 422)
    (problem,) = body["details"]
    assert problem["path"] == "$.regions[1].family"
    assert (problem["code"], problem["suggestion"]) == ("layout_unknown_family_near", "Noto Sans")


def test_a_symlink_entry_is_refused(api, runtime):
    before = stored(runtime)
    assert_error(upload(api, _symlink_package()), 422, "images/link.png", "zip_entry_symlink")
    assert stored(runtime) == before


def test_too_many_files_are_refused(api, runtime):
    before = stored(runtime)
    extra = {f"images/{i}.png": png_bytes(4, 4) for i in range(70)}
    response = upload(api, zip_bytes(good_package(**extra)))
    body = assert_error(response, 422, "file", "package_too_many_entries")
    assert (body["details"][0]["count"], body["details"][0]["limit"]) == (73, 64)
    assert stored(runtime) == before


def test_a_package_that_expands_too_far_is_refused(api, runtime, monkeypatch):
    monkeypatch.setattr(layout_packages, "MAX_EXPANDED_BYTES", 20_000)
    before = stored(runtime)
    body = assert_error(upload(api, zip_bytes(good_package())), 422, "file")
    assert body["details"][0]["code"] == "package_expands_too_far"
    assert body["details"][0]["limit"] == 20_000
    assert stored(runtime) == before


def test_an_oversized_archive_or_document_is_413(api, runtime, monkeypatch):
    before = stored(runtime)
    monkeypatch.setattr(layout_packages, "MAX_PACKAGE_BYTES", 1000)
    assert_error(upload(api, zip_bytes(good_package())), 413, code="layout_package_too_large")
    document = json.dumps({**package_spec(), "padding": "x" * 300_000}).encode()
    body = assert_error(upload(api, document, "big.json"), 413, code="layout_document_too_large")
    assert str(layout_packages.MAX_LAYOUT_BYTES) in body["error"], "the message quotes the limit"
    assert stored(runtime) == before


def test_a_corrupt_zip_is_422(api, runtime):
    before = stored(runtime)
    data = zip_bytes(good_package())
    assert_error(upload(api, data[: len(data) // 2]), 422, "file", "not_a_readable_zip")
    assert_error(upload(api, b"PK\x03\x04" + b"\x00" * 64), 422, "file", "not_a_readable_zip")
    assert stored(runtime) == before


def test_entry_names_are_judged_safely():
    assert layout_packages.unsafe_name("images/bg.png") is None
    for name in ("../x", "a/../../x", "/abs", "\\abs", "C:\\x", "c:/x", "a\\..\\b"):
        assert layout_packages.unsafe_name(name), name
    assert layout_packages.unsafe_name("a\\b").code == "zip_entry_backslash"
    assert layout_packages.unsafe_name("a\tb").code == "zip_entry_control_characters"


def test_an_image_named_as_a_font_is_judged_by_content():
    mime, ext = layout_packages.classify("fonts/Brand.ttf", png_bytes())
    assert (mime, ext) == ("image/png", "png")
    assert layout_packages.classify("images/x.png", FONT) == ("font/ttf", "ttf")


def test_the_admin_upload_form_takes_a_package_and_refuses_a_bad_one(app, api, runtime, users):
    from test_admin import csrf_from, login

    browser = app.test_client()
    login(browser, "designer")
    before = stored(runtime)
    bad = zip_bytes(good_package(**{"../evil.png": png_bytes()}))
    data = {"csrf_token": csrf_from(browser, "/layouts"), "file": (io.BytesIO(bad), "b.zip")}
    response = browser.post("/layouts", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "../evil.png" in html
    assert "nên không lưu gì cả" in html, "the problem is worded in Vietnamese"
    assert stored(runtime) == before
    not_text = b'{"key": "x\xff"}'
    data = {"csrf_token": csrf_from(browser, "/layouts"), "file": (io.BytesIO(not_text), "x.json")}
    response = browser.post("/layouts", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "không phải văn bản UTF-8" in html
    assert "is not UTF-8 text" not in html
    good = zip_bytes(good_package())
    data = {"csrf_token": csrf_from(browser, "/layouts"), "file": (io.BytesIO(good), "b.zip")}
    response = browser.post("/layouts", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gói thử" in page and "fonts/Brand.ttf" in page
