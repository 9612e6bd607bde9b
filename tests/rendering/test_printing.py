"""Print export: physical sizes, bleed, PDF page boxes, PNG DPI, limits and determinism."""

import copy
import io

import pikepdf
import pytest
from PIL import Image

from signage import wording
from signage.problems import Problem
from signage.rendering import RenderError, builtin_layouts
from signage.rendering.printing import (
    MAX_PIXELS,
    PrintResult,
    export_print,
    parse_physical_size,
    print_pixels,
)

FIELDS = {
    "title": "Chuyển đổi số tỉnh Lạng Sơn",
    "body": "Nghị quyết số 49-NQ/TU về chuyển đổi số tỉnh Lạng Sơn.",
    "link": "https://example.vn/chuyen-doi-so",
}
PT_PER_MM = 72 / 25.4


def layout(key="title-body-qr"):
    return copy.deepcopy({spec["key"]: spec for spec in builtin_layouts()}[key])


def page_boxes(data):
    """MediaBox, TrimBox and BleedBox of the only page, in millimetres."""
    pdf = pikepdf.open(io.BytesIO(data))
    assert len(pdf.pages) == 1
    page = pdf.pages[0].obj
    unit = float(page.get("/UserUnit", 1))
    boxes = {}
    for name in ("/MediaBox", "/TrimBox", "/BleedBox"):
        boxes[name] = [float(v) * unit / PT_PER_MM for v in page[name]]
    return boxes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("594x841mm", (594, 841)),
        ("594 × 841 mm", (594, 841)),
        ("500x80cm", (5000, 800)),
        ("5x0.8m", (5000, 800)),
        ("59,4x84,1cm", (594, 841)),
        ("A1", (594, 841)),
        ("a1-landscape", (841, 594)),
        ("A4 portrait", (210, 297)),
    ],
)
def test_parse_physical_size(text, expected):
    assert parse_physical_size(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("594x841", "print_size_unknown"),
        ("A9", "print_size_unknown"),
        ("big", "print_size_unknown"),
        ("594mmx84cm", "print_size_mixed_units"),
        ("0x841mm", "print_width_out_of_range"),
        ("", "print_size_unknown"),
    ],
)
def test_parse_physical_size_rejects(text, code):
    with pytest.raises(RenderError) as caught:
        parse_physical_size(text)
    assert caught.value.code == code


def test_an_unknown_size_lists_the_paper_sizes():
    with pytest.raises(RenderError) as caught:
        parse_physical_size("A9")
    words = wording.describe(caught.value.code, caught.value.params, "en")
    assert words.startswith('unknown print size "A9": give width x height with a unit')
    assert "A0, A1, A2, A3, A4, A5, A6" in words


def test_pixel_math_with_and_without_bleed():
    assert print_pixels(594, 841, 150) == (3508, 4967)
    # 3 mm each side: (594 + 6) / 25.4 * 150 = 3543.3; (841 + 6) / 25.4 * 150 = 5001.97
    assert print_pixels(594, 841, 150, 3) == (3543, 5002)
    assert print_pixels(5000, 800, 100) == (19685, 3150)


def test_a1_png_at_150_dpi_has_dpi_metadata_and_is_deterministic():
    # A1 at 150 dpi, but kept fast: the same pixel math is checked at 30 dpi for the image.
    first = export_print(layout(), FIELDS, width_mm=594, height_mm=841, dpi=30, fmt="png")
    again = export_print(layout(), FIELDS, width_mm=594, height_mm=841, dpi=30, fmt="png")
    assert isinstance(first, PrintResult)
    assert (first.mime, first.ext) == ("image/png", "png")
    assert (first.width_px, first.height_px) == print_pixels(594, 841, 30) == (702, 993)
    assert first.data == again.data
    image = Image.open(io.BytesIO(first.data))
    assert image.size == (702, 993)
    assert tuple(round(v) for v in image.info["dpi"]) == (30, 30)


def test_png_bleed_extends_background():
    result = export_print(
        layout(), FIELDS, width_mm=210, height_mm=297, dpi=40, bleed_mm=5, fmt="png"
    )
    assert (result.width_px, result.height_px) == print_pixels(210, 297, 40, 5) == (346, 483)
    image = Image.open(io.BytesIO(result.data)).convert("RGB")
    assert image.getpixel((0, 0)) == (0xB7, 0x1C, 0x1C)  # the background runs into the bleed


def test_pdf_page_boxes_with_bleed():
    result = export_print(
        layout(), FIELDS, width_mm=594, height_mm=841, dpi=30, bleed_mm=3, fmt="pdf"
    )
    assert (result.mime, result.ext) == ("application/pdf", "pdf")
    assert result.data.startswith(b"%PDF-")
    boxes = page_boxes(result.data)
    assert boxes["/MediaBox"] == pytest.approx([0, 0, 600, 847], abs=0.01)
    assert boxes["/BleedBox"] == pytest.approx([0, 0, 600, 847], abs=0.01)
    assert boxes["/TrimBox"] == pytest.approx([3, 3, 597, 844], abs=0.01)


def test_pdf_embeds_the_image_at_full_resolution_and_is_deterministic():
    kwargs = {"width_mm": 210, "height_mm": 297, "dpi": 50, "bleed_mm": 2, "fmt": "pdf"}
    result = export_print(layout(), FIELDS, **kwargs)
    assert result.data == export_print(layout(), FIELDS, **kwargs).data
    pdf = pikepdf.open(io.BytesIO(result.data))
    (image,) = pdf.pages[0].get_images().values()
    assert (int(image.Width), int(image.Height)) == print_pixels(210, 297, 50, 2) == (421, 593)
    assert image.get("/Filter") in (pikepdf.Name.FlateDecode, pikepdf.Name.DCTDecode)


def test_pdf_without_bleed_has_trimbox_equal_to_mediabox():
    result = export_print(layout(), FIELDS, width_mm=297, height_mm=210, dpi=30, fmt="pdf")
    boxes = page_boxes(result.data)
    assert boxes["/TrimBox"] == pytest.approx(boxes["/MediaBox"], abs=0.01)
    assert boxes["/MediaBox"] == pytest.approx([0, 0, 297, 210], abs=0.01)


def test_banner_larger_than_the_renderer_limit_is_enlarged_with_a_warning():
    # 9 m x 0.5 m at 25 dpi is 8858 px wide: over the renderer's 8192 px side.
    result = export_print(layout(), FIELDS, width_mm=9000, height_mm=500, dpi=25, fmt="pdf")
    assert (result.width_px, result.height_px) == (8858, 492)
    (warning,) = [w for w in result.warnings if w.code == "print_enlarged"]
    assert warning.params == {
        "width": 8192,
        "height": 455,
        "limit": 8192,
        "target_width": 8858,
        "target_height": 492,
        "effective": 23,
        "dpi": 25,
    }
    assert "the effective resolution is about 23 dpi, not 25" in wording.describe(
        warning.code, warning.params, "en"
    )
    boxes = page_boxes(result.data)  # wider than 200 inches: img2pdf uses UserUnit
    assert boxes["/MediaBox"] == pytest.approx([0, 0, 9000, 500], abs=0.05)


def test_over_the_pixel_cap_names_the_limit_and_a_lower_dpi():
    with pytest.raises(RenderError) as caught:
        export_print(layout(), FIELDS, width_mm=5000, height_mm=800, dpi=300, fmt="pdf")
    error = caught.value
    assert (error.where, error.code) == ("dpi", "print_too_many_pixels")
    assert error.params["limit"] == MAX_PIXELS // 1_000_000 and error.params["fitting"] == 200
    message = wording.describe(error.code, error.params, "en")
    assert message.startswith("a 5000x800 mm print at 300 dpi would be")
    assert message.endswith("over the limit of 250 megapixels; use 200 dpi or lower")
    width, height = print_pixels(5000, 800, 200)
    assert width * height <= MAX_PIXELS
    width, height = print_pixels(5000, 800, 201)
    assert width * height > MAX_PIXELS


@pytest.mark.parametrize(
    ("kwargs", "where", "code"),
    [
        ({"dpi": 5}, "dpi", "out_of_range"),
        ({"dpi": 150.0}, "dpi", "not_an_integer"),
        ({"bleed_mm": -1}, "bleed_mm", "out_of_range"),
        ({"fmt": "tiff"}, "fmt", "not_one_of"),
        ({"width_mm": 0}, "width_mm", "print_width_out_of_range"),
        ({"height_mm": float("nan")}, "height_mm", "not_a_number"),
        ({"width_mm": 20, "height_mm": 20, "dpi": 15}, "size", "print_too_small"),
        ({"width_mm": 40000, "height_mm": 20, "dpi": 10}, "size", "print_too_small"),
    ],
)
def test_bad_requests(kwargs, where, code):
    request = {"width_mm": 210, "height_mm": 297, "dpi": 30, "fmt": "png", **kwargs}
    with pytest.raises(RenderError) as caught:
        export_print(layout(), FIELDS, **request)
    assert (caught.value.where, caught.value.code) == (where, code)
    assert wording.knows(code, "en") and wording.knows(code, "vi")


def test_render_warnings_are_passed_on():
    fields = {**FIELDS, "title": ""}
    result = export_print(layout(), fields, width_mm=210, height_mm=297, dpi=50, fmt="png")
    assert Problem.of("render_required_empty", field="title") in result.warnings


def photo_bytes():
    image = Image.linear_gradient("L").resize((600, 400)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_photo_slide_prints(fmt):
    fields = {"image": "p1", "caption": "Người dân xã Mai Pha sử dụng dịch vụ công"}
    result = export_print(
        layout("image-caption"),
        fields,
        width_mm=297,
        height_mm=210,
        dpi=100,
        bleed_mm=3,
        fmt=fmt,
        images={"p1": photo_bytes()},
    )
    assert result.warnings == ()
    assert (result.width_px, result.height_px) == print_pixels(297, 210, 100, 3) == (1193, 850)
    if fmt == "png":
        assert Image.open(io.BytesIO(result.data)).size == (1193, 850)
    else:
        pdf = pikepdf.open(io.BytesIO(result.data))
        (image,) = pdf.pages[0].get_images().values()
        assert image.get("/Filter") == pikepdf.Name.FlateDecode  # lossless, not JPEG
