"""render(): sizes, formats, determinism, NFC, QR codes, images and warnings."""

import copy
import hashlib
import io
import unicodedata

import pytest
from PIL import Image, ImageDraw

from signage import wording
from signage.problems import Problem
from signage.rendering import RenderResult, builtin_layouts, fit_problems, render
from signage.rendering.qr import qr_matrix

TITLE = "Chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030"
BODY = (
    "Nghị quyết số 49-NQ/TU ngày 28/9/2021 của Ban Thường vụ Tỉnh ủy về chuyển đổi số "
    "tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030."
)
LINK = "http://tuyengiaolangson.vn"
CAPTION = "Người dân xã Mai Pha sử dụng dịch vụ công trực tuyến mức độ 4"
SIZES = [(384, 192), (1920, 1080), (1080, 1920), (3840, 2160), (1536, 256)]
RED = (0xB7, 0x1C, 0x1C)


def layout(key):
    return copy.deepcopy({spec["key"]: spec for spec in builtin_layouts()}[key])


def photo_bytes(width=800, height=600, fmt="JPEG"):
    image = Image.new("RGB", (width, height), (40, 120, 200))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 40):
        draw.ellipse((i, height // 2, i + 120, height), fill=(30, 140 + i % 90, 60))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def sample_fields(spec):
    values = {"title": TITLE, "body": BODY, "link": LINK, "caption": CAPTION, "image": "p1"}
    return {f["name"]: values[f["name"]] for f in spec["fields"]}


def decode(result: RenderResult) -> Image.Image:
    image = Image.open(io.BytesIO(result.data))
    image.load()
    return image


@pytest.fixture(scope="module")
def images():
    return {"p1": photo_bytes()}


@pytest.mark.parametrize("key", ["announcement", "image-caption", "title-body-qr"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_builtin_layouts_render_at_every_size(key, width, height, images):
    spec = layout(key)
    result = render(spec, sample_fields(spec), width, height, images)
    image = decode(result)
    assert image.size == (width, height) == (result.width, result.height)
    assert image.format == {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}[result.ext]
    assert (
        result.mime == {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}[result.ext]
    )
    assert result.sha256 == hashlib.sha256(result.data).hexdigest()
    assert fit_problems(spec, sample_fields(spec), width, height) == []
    assert {w.code for w in result.warnings} <= {"render_not_shown"}


def test_render_is_deterministic(images):
    for key in ("title-body-qr", "image-caption"):
        spec = layout(key)
        first = render(spec, sample_fields(spec), 1920, 1080, images)
        second = render(copy.deepcopy(spec), dict(sample_fields(spec)), 1920, 1080, images)
        assert first.data == second.data
        assert first.sha256 == second.sha256


def test_output_has_no_metadata():
    result = render(layout("title-body-qr"), {"title": TITLE}, 1920, 1080)
    assert decode(result).info.keys() <= {"dpi"}
    assert b"tIME" not in result.data and b"tEXt" not in result.data


def test_composed_and_decomposed_input_give_identical_bytes():
    spec = layout("announcement")
    fields = {"caption": "Thông báo", "title": "Ễ " + TITLE, "body": BODY}
    nfd = {k: unicodedata.normalize("NFD", v) for k, v in fields.items()}
    assert nfd != fields
    for width, height in [(1920, 1080), (384, 192)]:
        assert render(spec, fields, width, height).data == render(spec, nfd, width, height).data


def test_photo_on_big_board_is_jpeg_and_text_slides_are_png(images):
    photo = layout("image-caption")
    assert render(photo, sample_fields(photo), 1920, 1080, images).ext == "jpg"
    small = render(photo, sample_fields(photo), 384, 192, images)
    assert small.ext == "webp" and decode(small).format == "WEBP"
    text = layout("title-body-qr")
    assert render(text, sample_fields(text), 1920, 1080).ext == "png"


def test_small_boards_are_lossless_webp_unless_the_caller_refuses_it():
    spec = layout("title-body-qr")
    webp = render(spec, sample_fields(spec), 384, 192)
    png = render(spec, sample_fields(spec), 384, 192, formats=("png", "jpg"))
    assert (webp.ext, png.ext) == ("webp", "png")
    assert webp.data == render(spec, sample_fields(spec), 384, 192).data  # deterministic
    assert decode(webp).convert("RGB").tobytes() == decode(png).tobytes()  # lossless


def test_png_pixels_round_trip():
    result = render(layout("title-body-qr"), {"title": TITLE, "link": LINK}, 1024, 576)
    image = decode(result)
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == RED


def test_qr_code_is_drawn_module_for_module_at_1920x1080():
    result = render(layout("title-body-qr"), {"title": TITLE, "link": LINK}, 1920, 1080)
    image = decode(result).convert("L")
    only_black = image.point(lambda v: 255 if v == 0 else 0)
    left, top, right, bottom = only_black.getbbox()
    matrix = qr_matrix(LINK)
    modules = len(matrix)
    module_px = (right - left) / modules
    assert module_px == int(module_px) and module_px >= 3
    assert bottom - top == right - left >= 100
    for row in range(modules):
        for col in range(modules):
            x = int(left + (col + 0.5) * module_px)
            y = int(top + (row + 0.5) * module_px)
            assert (image.getpixel((x, y)) == 0) == matrix[row][col]
    quiet = image.crop((left - 4 * int(module_px), top - 4 * int(module_px), left, bottom))
    assert quiet.getextrema() == (255, 255)  # a white quiet zone around the code
    assert not any(w.params.get("field") == "link" for w in result.warnings)


def qr_only_layout():
    return {
        "key": "qr-only",
        "name": {"vi": "Mã QR"},
        "background": "#b71c1c",
        "fields": [{"name": "link", "kind": "link"}],
        "regions": [{"kind": "qr", "box": [0.7, 0.1, 0.95, 0.9], "field": "link"}],
    }


def test_qr_too_small_to_scan_is_left_out_with_a_warning():
    result = render(qr_only_layout(), {"link": LINK}, 384, 192)
    image = decode(result)
    assert image.getcolors() == [(384 * 192, RED)]
    (warning,) = result.warnings
    assert (warning.code, warning.params["field"]) == ("qr_too_small", "link")
    assert warning.params["width"] == 384 and warning.params["needed"] == 100
    assert warning.params["size"] < warning.params["needed"]
    assert fit_problems(qr_only_layout(), {"link": LINK}, 384, 192) == []


def test_qr_large_enough_is_drawn():
    result = render(qr_only_layout(), {"link": LINK}, 1920, 1080)
    assert result.warnings == ()
    assert len(decode(result).getcolors()) >= 2


def test_small_board_variant_drops_qr_and_body_with_warnings():
    spec = layout("title-body-qr")
    result = render(spec, sample_fields(spec), 384, 192)
    image = decode(result).convert("L")
    assert image.point(lambda v: 255 if v == 0 else 0).getbbox() is None  # no black modules
    unshown = {"width": 384, "height": 192, "variant": "small"}
    assert Problem("render_not_shown", {"field": "link", **unshown}) in result.warnings
    assert Problem("render_not_shown", {"field": "body", **unshown}) in result.warnings
    words = wording.describe("render_not_shown", unshown, "en")
    assert words == 'not shown at 384x192; the "small" variant leaves it out'


def test_missing_optional_fields_skip_their_regions():
    spec = layout("title-body-qr")
    full = render(spec, {"title": TITLE, "body": BODY}, 1920, 1080)
    without_body = render(spec, {"title": TITLE}, 1920, 1080)
    assert full.data != without_body.data
    assert without_body.warnings == ()
    body_box = (int(0.05 * 1920), int(0.51 * 1080), int(0.68 * 1920), int(0.87 * 1080))
    assert decode(without_body).crop(body_box).getcolors() == [
        ((body_box[2] - body_box[0]) * (body_box[3] - body_box[1]), RED)
    ]


def test_image_without_bytes_is_skipped_with_a_warning():
    spec = layout("image-caption")
    result = render(spec, {"image": "nope", "caption": CAPTION}, 1920, 1080, {})
    assert result.warnings == (Problem.of("image_not_provided", field="image", image="nope"),)
    assert result.ext == "png"  # nothing photographic was drawn


@pytest.mark.parametrize("data", [b"not an image", b"\x89PNG\r\n\x1a\n broken", b""])
def test_unreadable_image_is_skipped_with_a_warning(data):
    spec = layout("image-caption")
    result = render(spec, {"image": "bad", "caption": CAPTION}, 1920, 1080, {"bad": data})
    (warning,) = result.warnings
    assert warning.code in ("image_format_refused", "image_unreadable", "image_not_decodable")
    assert (warning.params["field"], warning.params["image"]) == ("image", "bad")


def test_disallowed_image_format_is_refused():
    spec = layout("image-caption")
    bmp = photo_bytes(fmt="BMP")
    result = render(spec, {"image": "b", "caption": CAPTION}, 1920, 1080, {"b": bmp})
    formats = ["PNG", "JPEG", "WEBP", "GIF"]
    refused = Problem.of("image_format_refused", field="image", image="b", formats=formats)
    assert result.warnings == (refused,)


def test_transparent_png_and_contain_fit():
    spec = {
        "key": "logo",
        "name": {"vi": "Logo"},
        "background": "#123456",
        "fields": [{"name": "image", "kind": "image"}],
        "regions": [
            {"kind": "image", "box": [0.25, 0.25, 0.75, 0.75], "field": "image", "fit": "contain"}
        ],
    }
    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((50, 0, 150, 100), fill=(255, 255, 0, 255))
    out = io.BytesIO()
    logo.save(out, "PNG")
    image = decode(render(spec, {"image": "logo"}, 400, 400, {"logo": out.getvalue()}))
    assert image.getpixel((0, 0)) == (0x12, 0x34, 0x56)
    assert image.getpixel((110, 200)) == (0x12, 0x34, 0x56)  # transparent part of the logo
    assert image.getpixel((200, 200)) == (255, 255, 0)


def test_required_field_missing_is_a_warning_not_a_crash():
    result = render(layout("title-body-qr"), {}, 1920, 1080)
    assert Problem.of("render_required_empty", field="title") in result.warnings


@pytest.mark.parametrize(("width", "height"), [(0, 100), (100, 10), (9000, 100), (100.5, 100)])
def test_bad_sizes_are_rejected(width, height):
    with pytest.raises(ValueError):
        render(layout("title-body-qr"), {"title": TITLE}, width, height)


def test_concurrent_renders_match_serial_ones():
    from concurrent.futures import ThreadPoolExecutor

    spec = layout("title-body-qr")
    jobs = [(1920, 1080), (384, 192), (1080, 1920), (640, 480)] * 2
    serial = [render(spec, sample_fields(spec), w, h).sha256 for w, h in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda size: render(spec, sample_fields(spec), *size), jobs)
        threaded = [result.sha256 for result in results]
    assert threaded == serial
