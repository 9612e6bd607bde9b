"""Layout format v2: JSON Schema errors, layout packages, focal points, outline/shadow,
variants, missing glyphs, fit amounts and the built-in layouts' sample content."""

import copy
import io
import unicodedata
from pathlib import Path

import fontpkg_noto_serif
import jsonschema
import pytest
from PIL import Image, ImageChops

from signage import wording
from signage.problems import Problem
from signage.rendering import (
    SCHEMA_CODES,
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
from signage.rendering.schema_errors import KEYWORD_CODES, SCHEMA_NODE_CODES

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


def codes(result) -> list[str]:
    return [warning.code for warning in result.warnings]


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


ARRAY, OBJECT, NUMBER = "json_type_array", "json_type_object", "json_type_number"


@pytest.mark.parametrize(
    ("change", "path", "code", "params"),
    [
        (
            _mutate(["regions"], {"kind": "text"}),
            "$.regions",
            "schema_type",
            {"expected_code": ARRAY, "value": "{…}"},
        ),
        (_mutate(["fields"], "title"), "$.fields", "schema_type", {"expected_code": ARRAY}),
        (_mutate(["regions", 2], "text"), "$.regions[2]", "schema_type", {"expected_code": OBJECT}),
        (
            _mutate(["regions", 2, "box", 0], "0.1"),
            "$.regions[2].box[0]",
            "schema_type",
            {"expected_code": NUMBER, "value": '"0.1"'},
        ),
        (
            _mutate(["regions", 3, "max_lines"], 2.5),
            "$.regions[3].max_lines",
            "schema_type",
            {"expected_code": "json_type_integer", "value": "2.5"},
        ),
        (
            _mutate(["regions", 3, "balance"], "yes"),
            "$.regions[3].balance",
            "schema_type",
            {"expected_code": "json_type_boolean"},
        ),
        (
            _mutate(["regions", 1, "kind"], "txt"),
            "$.regions[1].kind",
            "schema_enum_near",
            {"value": '"txt"', "suggestion": "text", "what_code": "layout_term_region_kind"},
        ),
        (
            _mutate(["regions", 3, "outline"], {"width": 2}),
            "$.regions[3].outline.color",
            "schema_required",
            {"property": "color"},
        ),
        (
            _mutate(["regions", 3, "shadow"], {"offset": [0.1], "color": "#000"}),
            "$.regions[3].shadow.offset",
            "not_a_shadow_offset",
            {},
        ),
        (
            _mutate(["regions", 3, "max_size_fraction"], 0),
            "$.regions[3].max_size_fraction",
            "schema_exclusive_minimum",
            {"limit": 0, "value": "0"},
        ),
        (_mutate(["format"], 3), "$.format", "schema_const", {"expected": "2", "value": "3"}),
        (
            _mutate(["small_below"], "400"),
            "$.small_below",
            "schema_type",
            {"expected_code": "json_type_integer"},
        ),
        (_mutate(["fonts"], [{"family": "X"}]), "$.fonts[0].file", "schema_required", {}),
        (
            _mutate(["fonts"], [{"family": "X", "file": "../x.ttf"}]),
            "$.fonts[0].file",
            "not_a_package_path",
            {},
        ),
        (
            _mutate(["sample"], {"subtitle": "x"}),
            "$.sample.subtitle",
            "schema_additional_properties_near",
            {"property": "subtitle", "suggestion": "title", "what_code": "layout_term_property"},
        ),
    ],
)
def test_schema_errors_name_the_json_path_and_the_keyword(change, path, code, params):
    spec = layout()
    change(spec)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    error = caught.value
    assert (error.path, error.code) == (path, code), str(error)
    assert params.items() <= error.params.items(), str(error)
    assert code in SCHEMA_CODES or not code.startswith("schema_")


def _schema_keywords(node) -> set[str]:
    """Every JSON Schema keyword the layout schema uses (its property names aside)."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            children = value.values() if key in ("properties", "$defs") else [value]
            for child in children:
                found |= _schema_keywords(child)
    elif isinstance(node, list):
        for child in node:
            found |= _schema_keywords(child)
    return found


def _node_codes(node) -> set[str]:
    if isinstance(node, dict):
        own = {v for k, v in node.items() if k in ("x-code", "x-what-code")}
        return own.union(*(_node_codes(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_node_codes(v) for v in node))
    return set()


# Keywords that hold other schemas or describe; they fail only through what they hold.
STRUCTURAL = {"$schema", "$id", "$ref", "$defs", "title", "description", "properties", "items"}
STRUCTURAL |= {"allOf", "if", "then", "x-code", "x-what-code"}


def test_every_keyword_of_the_schema_has_a_code_and_words():
    keywords = _schema_keywords(layout_schema()) - STRUCTURAL
    assert keywords <= set(KEYWORD_CODES), keywords - set(KEYWORD_CODES)
    assert _node_codes(layout_schema()) == set(SCHEMA_NODE_CODES)
    for code in SCHEMA_CODES:
        for locale in wording.LOCALES:
            assert wording.knows(code, locale), (code, locale)


def test_image_region_needs_a_field_or_a_file_not_both():
    spec = layout("image-caption")
    spec["regions"][0]["file"] = "images/bg.png"
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert caught.value.path == "$.regions[0]"


def package_layout():
    return {
        "key": "package",
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


def test_package_files_are_checked_when_resources_are_given():
    spec = package_layout()
    validate_layout(spec)  # without resources only the structure is checked
    validate_layout(spec, RESOURCES)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec, {"images/bg.png": b""})
    error = caught.value
    assert (error.path, error.code) == ("$.fonts[0].file", "layout_file_missing")
    assert error.params == {"file": "fonts/display.ttf"}
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec, {"fonts/display.ttf": SERIF})
    assert (caught.value.path, caught.value.params) == (
        "$.regions[0].file",
        {"file": "images/bg.png"},
    )
    spec["regions"][1]["family"] = "Lang Son Dispaly"
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    error = caught.value
    assert (error.path, error.code) == ("$.regions[1].family", "layout_unknown_family_near")
    assert error.params["suggestion"] == "Lang Son Display"


# --- packaged font and background --------------------------------------------------------


def test_packaged_font_and_background_image_are_used():
    spec = package_layout()
    result = render(spec, {"title": "Lạng Sơn"}, 800, 400, resources=RESOURCES)
    image = decode(result)
    assert result.warnings == ()
    assert image.getpixel((2, 2)) == (0, 90, 40)  # the packaged background
    builtin = copy.deepcopy(spec)
    builtin["regions"][1]["family"] = "Be Vietnam Pro"
    other = decode(render(builtin, {"title": "Lạng Sơn"}, 800, 400, resources=RESOURCES))
    assert ImageChops.difference(image, other).getbbox() is not None
    serif = copy.deepcopy(builtin)
    serif["regions"][1].update(family="Noto Serif", weight=700)
    same = decode(render(serif, {"title": "Lạng Sơn"}, 800, 400, resources=RESOURCES))
    assert ImageChops.difference(image, same).getbbox() is None  # same font file, same weight


def test_packaged_font_missing_at_render_falls_back_with_a_warning():
    result = render(package_layout(), {"title": "Lạng Sơn"}, 800, 400)
    assert result.warnings == (
        Problem("image_not_provided", {"path": "$.regions[0]", "image": "images/bg.png"}),
        Problem("font_file_missing", {"field": "title", "file": "fonts/display.ttf"}),
    )


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
    assert not any(code.startswith("fit_") for code in codes(result))
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
    star = {"family": "Be Vietnam Pro", "char": "★", "codepoint": "U+2605"}
    arrow = {"family": "Be Vietnam Pro", "char": "→", "codepoint": "U+2192"}
    assert problems == [
        FieldProblem("title", "glyph_missing", star),
        FieldProblem("body", "glyph_missing", arrow),
    ]
    words = wording.describe(problems[0].code, problems[0].params, "en")
    assert words == 'the font Be Vietnam Pro has no glyph for "★" (U+2605)'
    assert missing_glyphs(spec, {"title": "Ễ Ặ Ỗ “Lạng Sơn” – 49-NQ/TU…"}) == []
    with_star = render(spec, {"title": "Sao ★ vàng"}, 1920, 1080)
    without = render(spec, {"title": "Sao vàng"}, 1920, 1080)
    assert with_star.data == without.data  # no tofu box
    assert Problem("glyph_left_out", {"field": "title", **star}) in with_star.warnings


def test_non_breaking_hyphen_from_word_becomes_a_plain_hyphen():
    spec = layout("announcement")
    assert missing_glyphs(spec, {"title": "Nghị quyết 49\u2011NQ/TU"}) == []
    pasted = render(spec, {"title": "Nghị quyết 49\u2011NQ/TU"}, 384, 192)
    assert pasted.data == render(spec, {"title": "Nghị quyết 49-NQ/TU"}, 384, 192).data


def test_missing_glyphs_uses_the_font_of_the_region():
    spec = package_layout()
    problems = missing_glyphs(spec, {"title": "★"}, RESOURCES)
    star = {"family": "Lang Son Display", "char": "★", "codepoint": "U+2605"}
    assert problems == [FieldProblem("title", "glyph_missing", star)]


# --- legibility amounts -----------------------------------------------------------------


def test_fit_problems_say_by_how_much():
    spec = one_box(min_size_px=40)
    problems = fit_problems(spec, {"title": "Chuyển đổi số tỉnh Lạng Sơn " * 4}, 384, 192)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.field, problem.code) == ("title", "fit_too_tall")
    assert problem.params == {
        "width": 384,
        "height": 192,
        "size": 40,
        "percent": 707,
        "needed": 774,
        "available": 96,
    }
    words = wording.describe(problem.code, problem.params, "en")
    expected = "does not fit at 384x192 even at 40 px: needs 707% more height (774 px for 96 px)"
    assert words == expected


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
    assert [code for code in codes(result) if code != "render_not_shown"] == []
    assert fit_problems(spec, fields, width, height) == []


def test_renderer_version_is_a_string():
    assert isinstance(renderer_version, str) and renderer_version
