"""Layout validation, field declarations and field checks."""

import copy
import unicodedata

import pytest

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
    ("change", "path", "words"),
    [
        (_delete("key"), "$.key", "missing"),
        (_delete("regions"), "$.regions", "missing"),
        (_set(["key"], "Bad Key"), "$.key", "lowercase"),
        (_set(["name"], "Tiêu đề"), "$.name", "vi"),
        (_set(["background"], "red"), "$.background", "colour"),
        (_set(["background"], "#b71c1c80"), "$.background", "opaque"),
        (_set(["regions", 2, "box"], [0.8, 0.1, 0.5, 0.2]), "$.regions[2].box", "left"),
        (_set(["regions", 2, "box"], [0.1, 0.5, 0.5, 0.5]), "$.regions[2].box", "top"),
        (_set(["regions", 2, "box"], [0, 0, 1.5, 1]), "$.regions[2].box[2]", "at most 1"),
        (_set(["regions", 2, "box"], [0, 0, 1]), "$.regions[2].box", "four numbers"),
        (_set(["regions", 2, "kind"], "circle"), "$.regions[2].kind", "unknown region kind"),
        (_set(["regions", 3, "field"], "subtitle"), "$.regions[3].field", "unknown field"),
        (_set(["regions", 3, "field"], "link"), "$.regions[3].field", "needs a text field"),
        (_set(["regions", 3, "color"], "#ggg"), "$.regions[3].color", "colour"),
        (_set(["regions", 3, "colour"], "#fff"), "$.regions[3].colour", "did you mean 'color'"),
        (_set(["regions", 3, "family"], "Arial"), "$.regions[3].family", "Be Vietnam Pro"),
        (_set(["regions", 3, "weight"], 650), "$.regions[3].weight", "100"),
        (_set(["regions", 3, "max_lines"], 0), "$.regions[3].max_lines", "at least 1"),
        (_set(["regions", 0, "fill"], "#12345"), "$.regions[0].fill", "colour"),
        (_set(["regions", 6, "field"], "title"), "$.regions[6].field", "needs a link field"),
        (_set(["fields", 0, "name"], "headline"), "$.fields[0].name", "unknown field name"),
        (_set(["fields", 0, "kind"], "image"), "$.fields[0].kind", "must have kind 'text'"),
        (_set(["fields", 0, "max_length"], 0), "$.fields[0].max_length", "at least 1"),
        (
            _set(["variants", "portrait", "regions", 3, "box"], [0.5, 0, 0.5, 1]),
            "$.variants.portrait.regions[3].box",
            "left",
        ),
        (_set(["variants", "square"], {"regions": []}), "$.variants.square", "unknown variant"),
    ],
)
def test_validate_layout_names_the_path(change, path, words):
    spec = layout()
    change(spec)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert caught.value.path == path
    assert str(caught.value).startswith(path + ": ")
    assert words in str(caught.value)


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


def test_min_size_above_max_size_is_rejected():
    spec = layout()
    spec["regions"][3].update(min_size_px=50, max_size_px=40)
    with pytest.raises(LayoutError) as caught:
        validate_layout(spec)
    assert caught.value.path == "$.regions[3].min_size_px"


def test_check_fields_accepts_good_values():
    fields = {"title": "Chuyển đổi số", "body": "Nội dung", "link": "https://example.vn/a"}
    assert check_fields(layout(), fields) == []
    assert check_fields(layout(), {"title": "Chuyển đổi số"}) == []


def test_check_fields_reports_missing_required():
    assert check_fields(layout(), {}) == [FieldProblem("title", "is required")]
    assert check_fields(layout(), {"title": "   "}) == [FieldProblem("title", "is required")]
    assert check_fields(layout(), {"title": None}) == [FieldProblem("title", "is required")]


def test_check_fields_reports_too_long():
    problems = check_fields(layout(), {"title": "a" * 180})
    assert problems == [FieldProblem("title", "is too long: 180 characters, the limit is 120")]


def test_check_fields_counts_composed_characters():
    title = unicodedata.normalize("NFD", "Ễ" * 120)  # 360 code points decomposed
    assert check_fields(layout(), {"title": title}) == []


def test_check_fields_reports_wrong_type_unknown_field_and_bad_link():
    problems = check_fields(layout(), {"title": 42, "link": "javascript:alert(1)", "photo": "x"})
    assert FieldProblem("photo", "is not a field of this layout") in problems
    assert FieldProblem("title", "must be text, got int") in problems
    assert any(p.field == "link" and "http" in p.message for p in problems)
    assert str(FieldProblem("title", "is required")) == "title: is required"


def test_check_fields_accepts_image_reference_as_int():
    spec = layout("image-caption")
    assert check_fields(spec, {"image": 17, "caption": "Ảnh"}) == []
    assert check_fields(spec, {"image": ["x"], "caption": "Ảnh"})[0].field == "image"
