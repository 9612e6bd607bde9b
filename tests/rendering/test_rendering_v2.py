"""Layout format v2: JSON Schema errors, bundles, focal points, outline/shadow, variants,
missing glyphs, fit amounts and the built-in layouts' sample content."""

import copy
import io
import unicodedata
from pathlib import Path

import fontpkg_noto_serif
import jsonschema
import pytest
from PIL import Image, ImageChops

from signage.rendering import (
    FieldProblem,
    LayoutError,
    builtin_layouts,
    check_fields,
    fit_problems,
    layout_schema,
    missing_glyphs,
    render,
    renderer_version,
    sample_fields,
    sample_images,
    shape_of,
    validate_layout,
    variant_name,
)

SIZES = [
    (384, 192),
    (512, 256),
    (640, 320),
    (960, 480),
    (1536, 256),
    (1920, 1080),
    (1080, 1920),
    (3840, 2160),
]
BG = (0x10, 0x20, 0x30)
BOX = [0.1, 0.2, 0.6, 0.7]
SERIF = (Path(fontpkg_noto_serif.ROOT) / "files" / "NotoSerif[wdth,wght].ttf").read_bytes()


def layout(key="title-body-qr"):
    return copy.deepcopy({spec["key"]: spec for spec in builtin_layouts()}[key])


def one_box(**text):
    region = {"kind": "text", "box": BOX, "field": "title", "color": "#ffffff", **text}
    return {
        "key": "one-box",
        "name": {"vi": "Một ô chữ"},
        "background": "#102030",
        "fields": [{"name": "title", "kind": "text", "max_length": 2000}],
        "regions": [region],
    }


def decode(result):
    image = Image.open(io.BytesIO(result.data))
    image.load()
    return image.convert("RGB")


def png(image):
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def outside_is_background(image, box):
    diff = ImageChops.difference(image, Image.new("RGB", image.size, BG))
    inside = Image.new("L", image.size, 255)
    inside.paste(0, box)
    return ImageChops.multiply(diff.convert("L"), inside).getbbox() is None


def pixel_box(width, height, box=BOX):
    left, top, right, bottom = box
    return round(left * width), round(top * height), round(right * width), round(bottom * height)


# --- the JSON Schema --------------------------------------------------------------------


def test_layout_schema_is_draft_2020_12_and_accepts_the_builtins():
    schema = layout_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    for spec in builtin_layouts():
        jsonschema.validate(spec, schema, cls=jsonschema.Draft202012Validator)
    schema["title"] = "changed"
    assert layout_schema()["title"] != "changed"


def _mutate(path, value):
    def change(spec):
        *parents, last = path
        target = spec
        for key in parents:
            target = target[key]
        target[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (_mutate(["regions"], {"kind": "text"}), "$.regions", "list"),
        (_mutate(["fields"], "title"), "$.fields", "list"),
        (_mutate(["regions", 2], "text"), "$.regions[2]", "object"),
        (_mutate(["regions", 2, "box", 0], "0.1"), "$.regions[2].box[0]", "number"),
        (_mutate(["regions", 3, "max_lines"], 2.5), "$.regions[3].max_lines", "whole number"),
        (_mutate(["regions", 3, "balance"], "yes"), "$.regions[3].balance", "boolean"),
        (_mutate(["regions", 1, "kind"], "circle"), "$.regions[1].kind", "unknown region kind"),
        (_mutate(["regions", 3, "outline"], {"width": 2}), "$.regions[3].outline.color", "missing"),
        (
            _mutate(["regions", 3, "shadow"], {"offset": [0.1], "color": "#000"}),
            "$.regions[3].shadow.offset",
            "[dx, dy]",
        ),
        (_mutate(["small_below"], "400"), "$.small_below", "whole number"),
        (_mutate(["fonts"], [{"family": "X"}]), "$.fonts[0].file", "missing"),
        (_mutate(["fonts"], [{"family": "X", "file": "../x.ttf"}]), "$.fonts[0].file", "relative"),
        (_mutate(["sample"], {"subtitle": "x"}), "$.sample.subtitle", "unknown property"),
    ],
)
def test_schema_errors_name_the_json_path(change, path, words):
    spec = layout()
    change(spec)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert (caught.value.path, words in caught.value.message) == (path, True), str(caught.value)


def test_image_region_needs_a_field_or_a_file_not_both():
    spec = layout("image-caption")
    spec["regions"][0]["file"] = "images/bg.png"
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert caught.value.path == "$.regions[0]"


def bundle_layout():
    return {
        "key": "bundle",
        "name": {"vi": "Gói mẫu"},
        "background": "#102030",
        "fonts": [{"family": "Lang Son Display", "weight": 700, "file": "fonts/display.ttf"}],
        "fields": [{"name": "title", "kind": "text"}],
        "regions": [
            {"kind": "image", "box": [0, 0, 1, 1], "file": "images/bg.png"},
            {"kind": "text", "box": BOX, "field": "title", "family": "Lang Son Display"},
        ],
    }


def solid_png(color, size=(64, 32)):
    return png(Image.new("RGB", size, color))


RESOURCES = {"fonts/display.ttf": SERIF, "images/bg.png": solid_png((0, 90, 40))}


def test_bundle_files_are_checked_when_resources_are_given():
    spec = bundle_layout()
    validate_layout(spec)  # without resources only the structure is checked
    validate_layout(spec, RESOURCES)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec, {"images/bg.png": b""})
    assert caught.value.path == "$.fonts[0].file"
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec, {"fonts/display.ttf": SERIF})
    assert caught.value.path == "$.regions[0].file"
    spec["regions"][1]["family"] = "Lang Son Dispaly"
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert caught.value.path == "$.regions[1].family" and "did you mean" in caught.value.message


# --- bundled font and background --------------------------------------------------------


def test_bundled_font_and_background_image_are_used():
    spec = bundle_layout()
    result = render(spec, {"title": "Lạng Sơn"}, 800, 400, resources=RESOURCES)
    image = decode(result)
    assert result.warnings == ()
    assert image.getpixel((2, 2)) == (0, 90, 40)  # the bundled background
    builtin = copy.deepcopy(spec)
    builtin["regions"][1]["family"] = "Be Vietnam Pro"
    other = decode(render(builtin, {"title": "Lạng Sơn"}, 800, 400, resources=RESOURCES))
    assert ImageChops.difference(image, other).getbbox() is not None
    serif = copy.deepcopy(builtin)
    serif["regions"][1].update(family="Noto Serif", weight=700)
    same = decode(render(serif, {"title": "Lạng Sơn"}, 800, 400, resources=RESOURCES))
    assert ImageChops.difference(image, same).getbbox() is None  # same font file, same weight


def test_bundled_font_missing_at_render_falls_back_with_a_warning():
    result = render(bundle_layout(), {"title": "Lạng Sơn"}, 800, 400)
    assert any("Be Vietnam Pro used instead" in w for w in result.warnings)
    assert any("images/bg.png" in w for w in result.warnings)


# --- focal point ------------------------------------------------------------------------


def halves_png():
    image = Image.new("RGB", (400, 100), (255, 0, 0))
    image.paste((0, 0, 255), (200, 0, 400, 100))
    return png(image)


@pytest.mark.parametrize(("focus", "color"), [([0, 0.5], (255, 0, 0)), ([1, 0.5], (0, 0, 255))])
def test_cover_crop_keeps_the_focal_point(focus, color):
    spec = {
        "key": "focus",
        "name": {"vi": "Tiêu điểm"},
        "background": "#000000",
        "fields": [{"name": "image", "kind": "image"}],
        "regions": [
            {"kind": "image", "box": [0, 0, 1, 1], "field": "image", "fit": "cover", "focus": focus}
        ],
    }
    image = decode(render(spec, {"image": "p"}, 200, 200, {"p": halves_png()}, formats=["png"]))
    colors = {c for _, c in image.getcolors(1000)}
    assert colors == {color}


# --- outline and shadow -----------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(384, 192), (1920, 1080), (1536, 256)])
@pytest.mark.parametrize(
    "effects",
    [
        {"outline": {"width": 0.08, "color": "#ff0000"}},
        {"outline": {"width": 6, "color": "#ff0000"}},
        {"shadow": {"offset": [0.08, 0.1], "color": "#00ff00"}},
        {"shadow": {"offset": [-0.1, -0.05], "color": "#00ff0080", "blur": 0.05}},
        {
            "outline": {"width": 0.05, "color": "#ff0000"},
            "shadow": {"offset": [0.06, 0.06], "color": "#00ff00", "blur": 0.02},
        },
    ],
)
def test_outline_and_shadow_stay_inside_the_box(width, height, effects):
    spec = one_box(min_size_px=8, align="right", valign="bottom", **effects)
    text = "ỄẶỖ Chuyển đổi số tỉnh Lạng Sơn"
    result = render(spec, {"title": text}, width, height, formats=["png"])
    image = decode(result)
    assert outside_is_background(image, pixel_box(width, height))
    assert not any("does not fit" in w for w in result.warnings)
    colors = {c for _, c in image.getcolors(1 << 20)}
    if "outline" in effects:
        assert (255, 0, 0) in colors
    if "shadow" in effects and "blur" not in effects["shadow"]:
        assert (0, 255, 0) in colors


# --- variants ---------------------------------------------------------------------------


def four_variants(**extra):
    spec = one_box()
    spec.update(extra)
    spec["variants"] = {
        name: {"regions": [{"kind": "text", "box": BOX, "field": "title"}]}
        for name in ("landscape", "portrait", "small", "strip")
    }
    return spec


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1920, 1080), "landscape"),
        ((3840, 2160), "landscape"),
        ((960, 480), "landscape"),
        ((1080, 1920), "portrait"),
        ((384, 192), "small"),
        ((640, 320), "small"),
        ((1536, 256), "strip"),
        ((1200, 400), "strip"),
    ],
)
def test_variant_chosen_per_shape(size, expected):
    assert variant_name(four_variants(), *size) == expected
    assert shape_of(*size) == expected


def test_small_below_is_configurable_per_layout():
    spec = four_variants(small_below=600)
    assert variant_name(spec, 960, 480) == "small"
    assert variant_name(spec, 1920, 1080) == "landscape"
    assert variant_name(four_variants(small_below=200), 384, 192) == "small"
    assert variant_name(four_variants(small_below=150), 384, 192) == "landscape"
    assert shape_of(960, 480, small_below=600) == "small"


# --- missing glyphs ---------------------------------------------------------------------


def test_missing_glyph_is_reported_with_char_and_field_and_never_drawn():
    spec = layout("announcement")
    fields = {"title": "Sao ★ vàng", "body": "Chuyển đổi số → 2030", "caption": "Thông báo"}
    problems = missing_glyphs(spec, fields)
    assert problems == [
        FieldProblem("title", "the font Be Vietnam Pro has no glyph for '★' (U+2605)"),
        FieldProblem("body", "the font Be Vietnam Pro has no glyph for '→' (U+2192)"),
    ]
    assert missing_glyphs(spec, {"title": "Ễ Ặ Ỗ “Lạng Sơn” – 49-NQ/TU…"}) == []
    with_star = render(spec, {"title": "Sao ★ vàng"}, 1920, 1080)
    without = render(spec, {"title": "Sao vàng"}, 1920, 1080)
    assert with_star.data == without.data  # no tofu box
    assert "title: the font Be Vietnam Pro has no glyph for '★' (U+2605); left out" in (
        with_star.warnings
    )


def test_non_breaking_hyphen_from_word_becomes_a_plain_hyphen():
    spec = layout("announcement")
    assert missing_glyphs(spec, {"title": "Nghị quyết 49\u2011NQ/TU"}) == []
    pasted = render(spec, {"title": "Nghị quyết 49\u2011NQ/TU"}, 384, 192)
    assert pasted.data == render(spec, {"title": "Nghị quyết 49-NQ/TU"}, 384, 192).data


def test_missing_glyphs_uses_the_font_of_the_region():
    spec = bundle_layout()
    problems = missing_glyphs(spec, {"title": "★"}, RESOURCES)
    assert problems == [
        FieldProblem("title", "the font Lang Son Display has no glyph for '★' (U+2605)")
    ]


# --- legibility amounts -----------------------------------------------------------------


def test_fit_problems_say_by_how_much():
    spec = one_box(min_size_px=40)
    problems = fit_problems(spec, {"title": "Chuyển đổi số tỉnh Lạng Sơn " * 4}, 384, 192)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.field == "title" and problem.board_size == "384x192"
    assert problem.shortfall.startswith("needs ") and "% more height" in problem.shortfall
    assert problem.message == f"does not fit at 384x192 even at 40 px: {problem.shortfall}"


# --- Vietnamese ---------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(384, 192), (1536, 256), (1920, 1080)])
def test_stacked_marks_composed_or_decomposed_identical_and_inside(width, height):
    spec = one_box(min_size_px=8, valign="top", weight=800, transform="uppercase")
    text = "Ễ Ặ Ỗ ễ ặ ỗ ĐỒNG BẰNG"
    composed = render(spec, {"title": text}, width, height)
    decomposed = render(spec, {"title": unicodedata.normalize("NFD", text)}, width, height)
    assert composed.data == decomposed.data
    image = decode(composed)
    box = pixel_box(width, height)
    assert outside_is_background(image, box)
    ink = ImageChops.difference(image, Image.new("RGB", image.size, BG)).getbbox()
    assert ink[1] >= box[1]  # the top of Ễ is inside the box, not above


# --- built-in layouts -------------------------------------------------------------------


def test_at_least_four_builtin_layouts_with_vietnamese_samples():
    specs = builtin_layouts()
    keys = {spec["key"] for spec in specs}
    assert len(keys) >= 4 and {"title-body-qr", "announcement", "image-caption"} <= keys
    for spec in specs:
        fields = sample_fields(spec)
        assert fields and check_fields(spec, fields) == [], spec["key"]
        assert missing_glyphs(spec, fields) == [], spec["key"]
        if "image" in fields:
            assert fields["image"] in sample_images(spec)


@pytest.mark.parametrize("key", sorted(spec["key"] for spec in builtin_layouts()))
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_builtin_layout_renders_its_sample_cleanly(key, width, height):
    spec = layout(key)
    fields = sample_fields(spec)
    result = render(spec, fields, width, height, images=sample_images(spec))
    assert decode(result).size == (width, height)
    assert [w for w in result.warnings if "not shown at" not in w] == []
    assert fit_problems(spec, fields, width, height) == []


def test_renderer_version_is_a_string():
    assert isinstance(renderer_version, str) and renderer_version
