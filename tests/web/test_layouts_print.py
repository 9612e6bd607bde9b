"""Print export through the API and the admin form: size, DPI, bleed and format."""

from __future__ import annotations

import io

import pytest
from api_helpers import assert_error
from PIL import Image
from test_admin import login


@pytest.fixture
def slide(api) -> dict:
    return api.approved_slide("Hội nghị quán triệt Nghị quyết 49")


def test_a_pdf_poster_with_bleed(api, slide):
    response = api.get(
        f"/slides/{slide['id']}/print?size=A4&dpi=30&bleed_mm=3&format=pdf", "viewer"
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    # (210 + 6) x (297 + 6) mm at 30 dpi
    assert response.headers["X-Print-Pixels"] == "255x358"
    assert "approved" in response.headers["X-Print-Revision"]


def test_a_png_banner_in_cm(api, slide):
    url = f"/slides/{slide['id']}/print?size=500x80cm&dpi=10&format=png"
    response = api.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    image = Image.open(io.BytesIO(response.data))
    assert image.size == (1969, 315)


def test_an_unapproved_slide_prints_its_latest_revision(api):
    draft = api.slide("Bản nháp")
    response = api.get(f"/slides/{draft['id']}/print?size=A4&dpi=20&format=png")
    assert response.status_code == 200
    assert "latest" in response.headers["X-Print-Revision"]


@pytest.mark.parametrize(
    "query, field, code",
    [
        ("size=huge&dpi=150", "size", "print_size_unknown"),
        ("dpi=150", "size", "print_size_unknown"),
        ("size=594mmx84cm", "size", "print_size_mixed_units"),
        ("size=A1&dpi=abc", "dpi", "not_an_integer"),
        ("size=A1&dpi=5000", "dpi", "out_of_range"),
        ("size=A1&bleed_mm=-2", "bleed_mm", "out_of_range"),
        ("size=A1&bleed_mm=x", "bleed_mm", "not_a_number"),
        ("size=A1&format=tiff", "format", "not_one_of"),
        ("size=50x50m&dpi=1200", "dpi", "print_too_many_pixels"),
        ("size=2x2cm&dpi=15", "size", "print_too_small"),
    ],
)
def test_bad_print_parameters_name_the_parameter(api, slide, query, field, code):
    assert_error(api.get(f"/slides/{slide['id']}/print?{query}"), 422, field, code)


def test_a_print_refusal_is_worded_in_the_request_language(api, slide):
    url = f"/slides/{slide['id']}/print?size=50x50m&dpi=1200"
    body = assert_error(api.get(url), 422, "dpi", "print_too_many_pixels")
    assert body["details"][0]["fitting"] == 8
    assert "hãy dùng 8 dpi trở xuống" in body["error"]
    english = api.get(url, headers={"Accept-Language": "en"}).get_json()
    assert "use 8 dpi or lower" in english["error"]


def test_print_needs_a_known_slide_and_a_login(api):
    assert_error(api.get("/slides/99999/print?size=A4"), 404)
    assert_error(api.get("/slides/1/print?size=A4", role=None), 401)


def test_the_admin_form_downloads_a_print_file(app, api, users, slide):
    browser = app.test_client()
    login(browser, "viewer")
    page = browser.get(f"/slides/{slide['id']}").get_data(as_text=True)
    assert "Xuất bản in" in page and 'name="preset"' in page and "Băng rôn 5 m × 0,8 m" in page
    query = "preset=A3&dpi=20&bleed_mm=3&format=png"
    response = browser.get(f"/slides/{slide['id']}/print?{query}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    query = "preset=custom&width=50&height=20&unit=cm&dpi=20&bleed_mm=0&format=pdf"
    response = browser.get(f"/slides/{slide['id']}/print?{query}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Print-Pixels"] == "394x157"
    bad = browser.get(f"/slides/{slide['id']}/print?preset=custom&width=&height=&dpi=20")
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'class="field-error"' in html and "không hợp lệ: hãy ghi rộng x cao kèm đơn vị" in html
