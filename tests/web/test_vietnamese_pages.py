"""No English sentence on a Vietnamese page: every admin page of a seeded deployment, and the
pages that show problems (a slide too long for the LED board, a broken layout), read in
Vietnamese."""

from __future__ import annotations

import html
import io
import re

import pytest
from admin_helpers import csrf_from, post_form

from signage import demo

# Words that only an English sentence would hold; none of them is a Vietnamese word.
ENGLISH = re.compile(
    r"\b(the|is|are|must|not|does|with|and|of|for|be|no|unknown|cannot|only|was|has|this|"
    r"that|from|per|should|could|would|please|error|invalid|missing|required)\b",
    re.IGNORECASE,
)
# Data shown as data (layout JSON, code blocks) and the link to the English interface.
NOT_PROSE = re.compile(r"<(script|style|pre|code)\b.*?</\1>", re.DOTALL)
LANGUAGE_SWITCH = {"English"}


def english_lines(page: str) -> list[str]:
    text = NOT_PROSE.sub(" ", page)
    lines = (html.unescape(part).strip() for part in re.split(r"<[^>]+>", text))
    return [line for line in lines if line and line not in LANGUAGE_SWITCH and ENGLISH.search(line)]


@pytest.fixture
def deployment(runtime, as_role):
    with runtime.db.transaction() as session:
        demo.seed(session, runtime.store)
    return as_role("admin")


def _admin_pages(app) -> list[str]:
    """Every admin page reachable by GET, with each id in its path set to 1."""
    pages = set()
    for rule in app.url_map.iter_rules():
        wanted = rule.endpoint not in {"admin.static", "admin.set_language"}
        if wanted and rule.endpoint.startswith("admin.") and "GET" in rule.methods:
            pages.add(re.sub(r"<[^>]+>", "1", rule.rule))
    return sorted(pages)


def test_every_admin_page_reads_in_vietnamese(app, deployment):
    found = {}
    for path in _admin_pages(app) + ["/boards/3", "/boards/3/explain?at=2026-12-31T23:30"]:
        response = deployment.get(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            lines = english_lines(response.get_data(as_text=True))
            if lines:
                found[path] = lines
    assert found == {}


def test_problems_read_in_vietnamese(deployment):
    """A title too long for the 384x192 LED board, and layouts that are not UTF-8 or break the
    schema: the problems are worded in Vietnamese."""
    long_title = (
        "Chuyển đổi số toàn diện, đồng bộ trên địa bàn tỉnh Lạng Sơn, "
        "vì người dân và doanh nghiệp, hướng tới chính quyền số"
    )
    created = post_form(deployment, "/slides/new/1", field_title=long_title, duration_s="15")
    assert created.status_code == 302, created.get_data(as_text=True)
    slide = created.headers["Location"]
    submitted = post_form(deployment, slide, f"{slide}/submit")
    page = submitted.get_data(as_text=True)
    assert "không vừa ở cỡ 384x192" in page
    assert english_lines(page) == []

    for upload in (b'{"key": "\xff"}', b'{"key": "thu", "fields": 3}'):
        token = csrf_from(deployment, "/layouts")
        body = {"csrf_token": token, "file": (io.BytesIO(upload), "bo-cuc.json")}
        refused = deployment.post("/layouts", data=body, content_type="multipart/form-data")
        assert refused.status_code == 422
        assert english_lines(refused.get_data(as_text=True)) == []


def test_the_check_itself_sees_english():
    assert english_lines("<li>title: is required</li>") == ["title: is required"]
    assert english_lines('<li>Tiêu đề: là bắt buộc</li><pre>{"is": 1}</pre>') == []
