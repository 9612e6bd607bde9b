"""Auto-fit text: stays inside its box, reports what does not fit, handles Vietnamese."""

import copy
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from signage import wording
from signage.problems import Problem
from signage.rendering import FieldProblem, builtin_layouts, fit_problems, render, sample_fields
from signage.rendering.fonts import Face
from signage.rendering.textfit import ELLIPSIS, TextStyle, fit_text, place

BACKGROUND = (0x10, 0x20, 0x30)
TITLE = "Chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030"
STACKED = "ỄỂỖ ẪẨẦ ỰỮỬ ĐỒNG BẰNG Ễ ỗ ẫ ễ ữ ỹ"
LONG = " ".join([TITLE] * 12)
URL = "https://tuyengiaolangson.vn/chuyen-doi-so/nghi-quyet-49-nq-tu-ngay-28-9-2021"
BOX = [0.1, 0.2, 0.6, 0.7]


def one_box_layout(**text):
    region = {"kind": "text", "box": BOX, "field": "title", "color": "#ffffff", **text}
    return {
        "key": "one-box",
        "name": {"vi": "Một ô chữ"},
        "background": "#102030",
        "fields": [{"name": "title", "kind": "text", "max_length": 2000}],
        "regions": [region],
    }


def pixel_box(width, height):
    left, top, right, bottom = BOX
    return round(left * width), round(top * height), round(right * width), round(bottom * height)


def drawn(image, box):
    """True if any pixel inside box differs from the background."""
    part = image.crop(box)
    return (
        ImageChops.difference(part, Image.new("RGB", part.size, BACKGROUND)).getbbox() is not None
    )


def outside_is_background(image, box):
    left, top, right, bottom = box
    w, h = image.size
    strips = [(0, 0, w, top), (0, bottom, w, h), (0, top, left, bottom), (right, top, w, bottom)]
    return not any(drawn(image, strip) for strip in strips)


def rendered(spec, text, width, height):
    result = render(spec, {"title": text}, width, height)
    return Image.open(io.BytesIO(result.data)).convert("RGB"), result


@pytest.mark.parametrize(("width", "height"), [(384, 192), (1920, 1080), (1080, 1920), (1536, 256)])
@pytest.mark.parametrize("text", [TITLE, STACKED, LONG, URL, "Ễ"])
@pytest.mark.parametrize(
    "style",
    [
        {},
        {"align": "center", "valign": "middle", "weight": 800, "transform": "uppercase"},
        {"align": "right", "valign": "bottom", "line_height": 0.9, "max_lines": 2},
        {"family": "Noto Sans", "weight": 700, "italic": True, "balance": True},
    ],
)
def test_text_never_leaves_its_box(width, height, text, style):
    image, result = rendered(one_box_layout(min_size_px=8, **style), text, width, height)
    box = pixel_box(width, height)
    assert outside_is_background(image, box)
    assert drawn(image, box)


def test_too_long_title_at_small_board_is_reported():
    spec = copy.deepcopy({s["key"]: s for s in builtin_layouts()}["title-body-qr"])
    fields = {"title": LONG[:400]}
    problems = fit_problems(spec, fields, 384, 192)
    shortfall = {"lines": 15, "allowed": 4, "percent": 160, "needed": 417, "available": 161}
    params = {"width": 384, "height": 192, "size": 22, **shortfall}
    assert problems == [FieldProblem("title", "fit_too_long_and_tall", params)]
    assert wording.describe(problems[0].code, params, "en") == (
        "does not fit at 384x192 even at 22 px: 15 lines needed, 4 allowed, "
        "needs 160% more height (417 px for 161 px)"
    )
    result = render(spec, fields, 384, 192)
    assert Problem("fit_too_long_and_tall", {"field": "title", **params}) in result.warnings
    # On a small LED wall the legible minimum is 22 px: a typical campaign title fits there,
    # a title twice as long is flagged, while a full HD board takes it.
    assert fit_problems(spec, {"title": TITLE}, 384, 192) == []
    assert fit_problems(spec, {"title": TITLE + " " + TITLE}, 384, 192) != []
    assert fit_problems(spec, {"title": (TITLE + " " + TITLE)[:120]}, 1920, 1080) == []


def test_sample_title_fits_everywhere():
    for spec in builtin_layouts():
        fields = {**sample_fields(spec), "title": TITLE}
        for width, height in [(384, 192), (512, 256), (1536, 256), (1920, 1080), (1080, 1920)]:
            assert fit_problems(spec, fields, width, height) == [], (spec["key"], width)


def style(**kw):
    return TextStyle(face=Face("Be Vietnam Pro", 700), **kw)


def test_shorter_text_gets_a_bigger_size():
    short = fit_text("Chuyển đổi số", style(), 600, 300)
    long = fit_text(TITLE, style(), 600, 300)
    assert short.fits and long.fits
    assert short.size > long.size


def test_max_size_caps_the_font():
    assert fit_text("Số", style(max_size=40), 600, 300).size == 40
    assert fit_text("Số", style(max_fraction=0.25), 600, 300).size == 75


def test_max_lines_is_respected():
    fitted = fit_text(TITLE, style(max_lines=1), 800, 400)
    assert len(fitted.lines) == 1


def test_text_that_cannot_fit_is_cut_with_an_ellipsis():
    fitted = fit_text(LONG, style(min_size=14, max_lines=3), 300, 200)
    assert not fitted.fits
    assert len(fitted.lines) == 3
    assert fitted.lines[-1].endswith(ELLIPSIS)
    assert fitted.size == 14


def test_box_too_small_for_one_line_gives_nothing():
    assert fit_text(TITLE, style(min_size=20), 300, 10) is None


def test_overlong_word_is_broken():
    fitted = fit_text(URL, style(min_size=12, max_lines=4), 200, 200)
    assert fitted.fits and len(fitted.lines) > 1
    assert "".join(fitted.lines) == URL


def test_stacked_marks_are_measured_by_their_ink():
    plain = fit_text("EEE", style(), 400, 100)
    stacked = fit_text("ỄỄỄ", style(), 400, 100)
    assert stacked.block[0] < plain.block[0]  # ink rises higher above the baseline
    assert stacked.size < plain.size  # so it must be smaller to fit the same box


def test_balanced_lines_are_more_even():
    plain = fit_text(TITLE, style(max_lines=2, max_size=40), 900, 200)
    even = fit_text(TITLE, style(max_lines=2, max_size=40, balance=True), 900, 200)
    assert len(plain.lines) == len(even.lines) == 2
    assert plain.size == even.size
    first, second = (len(line) for line in even.lines)
    assert abs(first - second) < abs(len(plain.lines[0]) - len(plain.lines[1]))


def test_literal_text_regions_render():
    spec = one_box_layout()
    spec["regions"].append({"kind": "text", "box": [0, 0.8, 1, 1], "text": "Lạng Sơn"})
    image, result = rendered(spec, TITLE, 800, 400)
    assert drawn(image, (0, 330, 800, 400))
    assert result.warnings == ()


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
WORDS = st.text(
    alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789,.-/", min_size=1, max_size=18
)


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(WORDS, min_size=1, max_size=40),
    width=st.integers(40, 900),
    height=st.integers(20, 500),
    align=st.sampled_from(["left", "center", "right"]),
    valign=st.sampled_from(["top", "middle", "bottom"]),
    max_lines=st.none() | st.integers(1, 5),
)
def test_fitted_ink_stays_inside_any_box(words, width, height, align, valign, max_lines):
    fitted = fit_text(" ".join(words), style(min_size=8, max_lines=max_lines), width, height)
    if fitted is None:
        return
    box = (10, 20, 10 + width, 20 + height)
    placed = place(fitted, box, align, valign)
    for (x, y, _), ink in zip(placed, fitted.inks, strict=True):
        assert box[0] <= x + ink[0] and x + ink[2] <= box[2]
        assert box[1] <= y + ink[1] and y + ink[3] <= box[3]
    if max_lines is not None:
        assert len(fitted.lines) <= max_lines
