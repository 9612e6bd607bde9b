"""Layout validation, field declarations and field checks."""

import copy
import unicodedata

import pytest

from signage import wording
from signage.rendering import (
    FieldProblem,
    LayoutError,
    builtin_layouts,
    check_fields,
    layout_fields,
    validate_layout,
)


def layout(key="title-body-qr"):
    return copy.deepcopy({spec["key"]: spec for spec in builtin_layouts()}[key])


def test_builtin_layouts_are_valid_and_sorted():
    specs = builtin_layouts()
    keys = [spec["key"] for spec in specs]
    assert keys == sorted(keys)
    assert {"title-body-qr", "image-caption", "announcement"} <= set(keys)
    for spec in specs:
        validate_layout(spec)


def test_builtin_layouts_are_fresh_copies():
    builtin_layouts()[0]["key"] = "changed"
    assert builtin_layouts()[0]["key"] != "changed"


def test_layout_fields():
    assert layout_fields(layout()) == [
        {"name": "title", "kind": "text", "required": True, "max_length": 120},
        {"name": "body", "kind": "text", "required": False, "max_length": 600},
        {"name": "link", "kind": "link", "required": False, "max_length": 300},
    ]
    image_field = layout_fields(layout("image-caption"))[0]
    assert image_field == {"name": "image", "kind": "image", "required": True, "max_length": 200}


def _set(path, value):
    def change(spec):
        *parents, last = path
        target = spec
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _delete(key):
    return lambda spec: spec.pop(key)


@pytest.mark.parametrize(
    ("change", "path", "code", "params"),
    [
        (_delete("key"), "$.key", "schema_required", {"property": "key"}),
        (_delete("regions"), "$.regions", "schema_required", {"property": "regions"}),
        (_set(["key"], "Bad Key"), "$.key", "not_a_layout_key", {}),
        (_set(["name"], "Tiêu đề"), "$.name", "not_a_localised_text", {}),
        (_set(["name"], {"en": "Title"}), "$.name.vi", "schema_required", {"property": "vi"}),
        (_set(["background"], "red"), "$.background", "not_an_opaque_colour", {}),
        (_set(["background"], "#b71c1c80"), "$.background", "not_an_opaque_colour", {}),
        (
            _set(["regions", 2, "box"], [0.8, 0.1, 0.5, 0.2]),
            "$.regions[2].box",
            "layout_box_left_right",
            {"left": 0.8, "right": 0.5},
        ),
        (
            _set(["regions", 2, "box"], [0.1, 0.5, 0.5, 0.5]),
            "$.regions[2].box",
            "layout_box_top_bottom",
            {"top": 0.5, "bottom": 0.5},
        ),
        (
            _set(["regions", 2, "box"], [0, 0, 1.5, 1]),
            "$.regions[2].box[2]",
            "schema_maximum",
            {"limit": 1, "value": "1.5"},
        ),
        (_set(["regions", 2, "box"], [0, 0, 1]), "$.regions[2].box", "not_a_box", {}),
        (
            _set(["regions", 2, "kind"], "circle"),
            "$.regions[2].kind",
            "schema_enum",
            {"value": '"circle"', "what_code": "layout_term_region_kind"},
        ),
        (
            _set(["regions", 3, "field"], "subtitle"),
            "$.regions[3].field",
            "layout_unknown_field_near",
            {"name": "subtitle", "allowed": ["title", "body", "link"], "suggestion": "title"},
        ),
        (
            _set(["regions", 3, "field"], "caption"),
            "$.regions[3].field",
            "layout_unknown_field",
            {"name": "caption", "allowed": ["title", "body", "link"]},
        ),
        (
            _set(["regions", 3, "field"], "link"),
            "$.regions[3].field",
            "layout_region_field_kind",
            {"kind": "text", "expected": "text", "name": "link", "actual": "link"},
        ),
        (_set(["regions", 3, "color"], "#ggg"), "$.regions[3].color", "not_an_opaque_colour", {}),
        (
            _set(["regions", 3, "colour"], "#fff"),
            "$.regions[3].colour",
            "schema_additional_properties_near",
            {"property": "colour", "suggestion": "color", "what_code": "layout_term_property"},
        ),
        (
            _set(["regions", 3, "family"], "Arial"),
            "$.regions[3].family",
            "layout_unknown_family",
            {"family": "Arial", "allowed": ["Be Vietnam Pro", "Noto Sans", "Noto Serif"]},
        ),
        (
            _set(["regions", 3, "weight"], 650),
            "$.regions[3].weight",
            "schema_enum",
            {"value": "650", "allowed": [100, 200, 300, 400, 500, 600, 700, 800, 900]},
        ),
        (
            _set(["regions", 3, "max_lines"], 0),
            "$.regions[3].max_lines",
            "schema_minimum",
            {"limit": 1, "value": "0"},
        ),
        (_set(["regions", 0, "fill"], "#12345"), "$.regions[0].fill", "not_a_colour", {}),
        (
            _set(["regions", 6, "field"], "title"),
            "$.regions[6].field",
            "layout_region_field_kind",
            {"kind": "qr", "expected": "link"},
        ),
        (
            _set(["fields", 0, "name"], "headline"),
            "$.fields[0].name",
            "schema_enum",
            {"value": '"headline"', "what_code": "layout_term_field_name"},
        ),
        (
            _set(["fields", 0, "kind"], "image"),
            "$.fields[0].kind",
            "layout_field_kind",
            {"name": "title", "kind": "text"},
        ),
        (
            _set(["fields", 0, "max_length"], 0),
            "$.fields[0].max_length",
            "schema_minimum",
            {"limit": 1},
        ),
        (
            _set(["variants", "portrait", "regions", 3, "box"], [0.5, 0, 0.5, 1]),
            "$.variants.portrait.regions[3].box",
            "layout_box_left_right",
            {"left": 0.5, "right": 0.5},
        ),
        (
            _set(["variants", "square"], {"regions": []}),
            "$.variants.square",
            "schema_additional_properties",
            {"property": "square", "what_code": "layout_term_variant_shape"},
        ),
    ],
)
def test_validate_layout_names_the_path_and_the_problem(change, path, code, params):
    spec = layout()
    change(spec)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    error = caught.value
    assert (error.path, error.code) == (path, code), str(error)
    assert params.items() <= error.params.items(), str(error)


def test_layout_errors_are_worded_in_each_language():
    spec = layout()
    spec["regions"][3]["colour"] = "#fff"
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    problem = caught.value.problem
    english = wording.describe(problem.code, problem.params, "en")
    assert english.startswith('unknown property "colour" (did you mean "color"?); allowed: kind')
    vietnamese = wording.describe(problem.code, problem.params, "vi")
    assert vietnamese.startswith('không có thuộc tính nào tên "colour"')


def test_layout_error_is_a_value_error():
    assert issubclass(LayoutError, ValueError)
    with pytest.raises(ValueError):
        validate_layout([])


def test_text_region_needs_field_or_text():
    spec = layout()
    spec["regions"][2].pop("text")
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert caught.value.path == "$.regions[2]"
    assert caught.value.code == "layout_region_source"


def test_min_size_above_max_size_is_rejected():
    spec = layout()
    spec["regions"][3].update(min_size_px=50, max_size_px=40)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert caught.value.path == "$.regions[3].min_size_px"
    assert (caught.value.code, caught.value.params) == (
        "layout_size_order",
        {"low": 50, "high": 40},
    )


def test_check_fields_accepts_good_values():
    fields = {"title": "Chuyển đổi số", "body": "Nội dung", "link": "https://example.vn/a"}
    assert check_fields(layout(), fields) == []
    assert check_fields(layout(), {"title": "Chuyển đổi số"}) == []


def test_check_fields_reports_missing_required():
    assert check_fields(layout(), {}) == [FieldProblem("title", "required")]
    assert check_fields(layout(), {"title": "   "}) == [FieldProblem("title", "required")]
    assert check_fields(layout(), {"title": None}) == [FieldProblem("title", "required")]


def test_check_fields_reports_too_long():
    problems = check_fields(layout(), {"title": "a" * 180})
    assert problems == [FieldProblem("title", "too_long", {"count": 180, "limit": 120})]
    assert problems[0].as_dict() == {
        "field": "title",
        "code": "too_long",
        "count": 180,
        "limit": 120,
    }


def test_check_fields_counts_composed_characters():
    title = unicodedata.normalize("NFD", "Ễ" * 120)  # 360 code points decomposed
    assert check_fields(layout(), {"title": title}) == []


def test_check_fields_reports_wrong_type_unknown_field_and_bad_link():
    problems = check_fields(layout(), {"title": 42, "link": "javascript:alert(1)", "photo": "x"})
    assert FieldProblem("photo", "not_a_layout_field") in problems
    assert FieldProblem("title", "field_not_text", {"got_code": "json_type_number"}) in problems
    assert FieldProblem("link", "not_a_web_link") in problems
    assert len(problems) == 3


def test_check_fields_accepts_image_reference_as_int():
    spec = layout("image-caption")
    assert check_fields(spec, {"image": 17, "caption": "Ảnh"}) == []
    wrong = check_fields(spec, {"image": ["x"], "caption": "Ảnh"})
    assert wrong == [FieldProblem("image", "field_not_an_asset", {"got_code": "json_type_array"})]
