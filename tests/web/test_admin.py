"""The HTML admin: login, CSRF, roles, and the slide approval flow through real forms."""

from __future__ import annotations

import io

import pytest
from admin_helpers import CSRF, PASSWORD, csrf_from, login, post_form
from sqlalchemy import select

from signage.models import Board, Layout, Slide
from signage.services import boards

WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng"


def layout_id(runtime, key: str = "title-body-qr") -> int:
    with runtime.db.sessions() as s:
        return s.scalars(select(Layout.id).where(Layout.key == key)).first()


def only_slide(runtime) -> Slide:
    with runtime.db.sessions() as s:
        slide = s.scalars(select(Slide)).one()
        return slide.id, slide.latest.status


# --- login -----------------------------------------------------------------------------


def test_login_page_is_vietnamese_and_has_csrf(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đăng nhập" in html
    assert CSRF.search(html)


def test_login_success_redirects_to_dashboard(client, users):
    response = login(client, "editor")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    page = client.get("/").get_data(as_text=True)
    assert "Bảng điều khiển" in page and "editor" in page


def test_login_failure_gives_one_message_for_both_mistakes(client, users):
    unknown = login(client, "nobody-here")
    wrong = login(client, "editor", "not-the-password")
    for response in (unknown, wrong):
        assert response.status_code == 401
        assert WRONG_LOGIN in response.get_data(as_text=True)
    assert unknown.get_data(as_text=True).count(WRONG_LOGIN) == 1
    assert client.get("/").status_code == 302  # still logged out


def test_login_follows_only_local_next(client, users):
    token = csrf_from(client, "/login")
    form = {"csrf_token": token, "username": "viewer", "password": PASSWORD}
    response = client.post("/login?next=https://evil.example/x", data=form)
    assert response.headers["Location"] in ("/", "http://localhost/")
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    token = csrf_from(client, "/login")
    form["csrf_token"] = token
    response = client.post("/login?next=/boards", data=form)
    assert response.headers["Location"].endswith("/boards")


def test_pages_need_login(client):
    response = client.get("/slides")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_needs_post_with_csrf(client, as_role):
    as_role("viewer")
    assert client.post("/logout").status_code == 400
    response = client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


# --- CSRF and roles ------------------------------------------------------------------------


def test_post_without_csrf_token_is_rejected(client, users):
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # not logged in


def test_form_post_without_csrf_after_login_is_rejected(client, as_role, runtime):
    as_role("editor")
    response = client.post(
        f"/slides/new/{layout_id(runtime)}",
        data={"field_title": "Không có mã CSRF", "duration_s": "10"},
    )
    assert response.status_code == 400
    with runtime.db.sessions() as s:
        assert s.scalars(select(Slide)).first() is None


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("viewer", "/slides/new", 403),
        ("designer", "/slides/new", 403),
        ("editor", "/slides/new", 200),
        ("viewer", "/boards/new", 403),
        ("designer", "/boards/new", 403),
        ("editor", "/boards/new", 403),
        ("admin", "/boards/new", 200),
        ("viewer", "/playlists/new", 403),
        ("viewer", "/schedules/new", 403),
        ("approver", "/schedules/new", 200),
    ],
)
def test_form_pages_follow_roles(client, as_role, role, path, status):
    as_role(role)
    assert client.get(path).status_code == status


@pytest.mark.parametrize("role", ["admin", "approver", "editor", "designer", "viewer"])
def test_every_role_can_read_every_list(client, as_role, role):
    as_role(role)
    for path in (
        "/",
        "/slides",
        "/playlists",
        "/schedules",
        "/boards",
        "/groups",
        "/layouts",
        "/audit",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def test_viewer_cannot_create_slide(client, as_role, runtime):
    as_role("viewer")
    token = csrf_from(client, "/slides")
    response = client.post(
        f"/slides/new/{layout_id(runtime)}",
        data={"csrf_token": token, "field_title": "X", "duration_s": "10"},
    )
    assert response.status_code == 403


def test_designer_cannot_create_board(client, as_role, runtime):
    as_role("designer")
    token = csrf_from(client, "/boards")
    response = client.post(
        "/boards/new", data={"csrf_token": token, "name": "X", "width": "1920", "height": "1080"}
    )
    assert response.status_code == 403
    with runtime.db.sessions() as s:
        assert s.scalars(select(Board)).first() is None


def test_buttons_hidden_for_roles_that_cannot_use_them(client, as_role):
    as_role("viewer")
    html = client.get("/slides").get_data(as_text=True)
    assert "/slides/new" not in html
    html = client.get("/boards").get_data(as_text=True)
    assert "/boards/new" not in html


# --- the slide flow --------------------------------------------------------------------------


def create_slide(client, runtime, title="Chuyển đổi số tỉnh Lạng Sơn"):
    page = f"/slides/new/{layout_id(runtime)}"
    return post_form(
        client,
        page,
        field_title=title,
        field_body="Nghị quyết 49-NQ/TU về chuyển đổi số đến năm 2025, định hướng đến năm 2030",
        field_link="https://tuyengiaolangson.vn",
        duration_s="12",
        valid_from="2026-01-01T08:00",
        valid_until="",
    )


def test_editor_creates_and_submits_then_approver_approves(client, as_role, runtime):
    as_role("editor")
    response = create_slide(client, runtime)
    assert response.status_code == 302, response.get_data(as_text=True)
    slide_id, status = only_slide(runtime)
    assert status == "draft"
    detail = client.get(f"/slides/{slide_id}").get_data(as_text=True)
    assert "Chuyển đổi số tỉnh Lạng Sơn" in detail and "Nháp" in detail
    assert f"/api/v1/slides/{slide_id}/render?width=1920&amp;height=1080" in detail

    response = post_form(client, f"/slides/{slide_id}", f"/slides/{slide_id}/submit")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert only_slide(runtime)[1] == "pending"
    # an editor may not approve
    response = post_form(client, f"/slides/{slide_id}", f"/slides/{slide_id}/approve")
    assert response.status_code == 403
    assert f"/slides/{slide_id}/approve" not in client.get(f"/slides/{slide_id}").get_data(
        as_text=True
    )

    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    as_role("approver")
    detail = client.get(f"/slides/{slide_id}").get_data(as_text=True)
    assert f"/slides/{slide_id}/approve" in detail
    response = post_form(client, f"/slides/{slide_id}", f"/slides/{slide_id}/approve")
    assert response.status_code == 302
    assert only_slide(runtime)[1] == "approved"
    detail = client.get(f"/slides/{slide_id}").get_data(as_text=True)
    assert "Đã duyệt" in detail and "approver" in detail


def test_valid_from_is_read_as_hanoi_time(client, as_role, runtime):
    as_role("editor")
    create_slide(client, runtime)
    with runtime.db.sessions() as s:
        revision = s.scalars(select(Slide)).one().latest
        assert revision.valid_from.isoformat() == "2026-01-01T01:00:00+00:00"


def test_missing_title_is_a_422_with_the_field_named(client, as_role, runtime):
    as_role("editor")
    response = create_slide(client, runtime, title="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tiêu đề" in html and "là bắt buộc" in html
    assert 'class="field-error"' in html
    assert "Nghị quyết 49-NQ/TU" in html  # what was typed comes back
    with runtime.db.sessions() as s:
        assert s.scalars(select(Slide)).first() is None


def test_form_problems_follow_the_chosen_language(client, as_role, runtime):
    as_role("editor")
    client.get("/lang/en")
    response = create_slide(client, runtime, title="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Title" in html and "is required" in html and "là bắt buộc" not in html


def test_an_upload_that_is_not_an_image_is_named_on_the_image_field(client, as_role, runtime):
    as_role("editor")
    page = f"/slides/new/{layout_id(runtime, 'image-caption')}"
    data = {
        "csrf_token": csrf_from(client, page),
        "field_caption": "Ngày hội chuyển đổi số",
        "field_image_file": (io.BytesIO(b"not an image at all"), "anh.png"),
        "duration_s": "10",
    }
    response = client.post(page, data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Hình ảnh" in html and "Tệp không phải là ảnh" in html and "PNG, JPEG, WebP" in html
    assert "not_an_image" not in html
    with runtime.db.sessions() as s:
        assert s.scalars(select(Slide)).first() is None


def test_a_decision_on_a_draft_is_refused_in_words(client, as_role, runtime):
    as_role("editor")
    create_slide(client, runtime)
    slide_id, _ = only_slide(runtime)
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    as_role("approver")
    response = post_form(client, f"/slides/{slide_id}", f"/slides/{slide_id}/approve")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Phiên bản 1 đang ở trạng thái nháp, không phải chờ duyệt" in html
    assert only_slide(runtime)[1] == "draft"


def test_text_that_does_not_fit_a_board_is_worded_with_the_size(client, as_role, runtime):
    with runtime.db.transaction() as s:
        boards.create_board(s, "Bảng LED", 192, 96)
    as_role("editor")
    create_slide(client, runtime, title="Tuyên truyền sâu rộng Nghị quyết số 49 " * 3)
    slide_id, _ = only_slide(runtime)
    response = post_form(client, f"/slides/{slide_id}", f"/slides/{slide_id}/submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "192" in html and "96" in html
    assert "fit_too_long" not in html and "status_" not in html
    assert only_slide(runtime)[1] == "draft"
    detail = client.get(f"/slides/{slide_id}").get_data(as_text=True)
    warnings = detail.split('class="warnings small"', 1)[1].split("</ul>", 1)[0]
    assert "<li>Tiêu đề: " in warnings and "192x96" in warnings, warnings
    assert "fit_" not in detail


def test_the_slide_list_filters_by_status(client, as_role, runtime):
    as_role("editor")
    create_slide(client, runtime, title="Bản thứ nhất")
    create_slide(client, runtime, title="Bản thứ hai")
    with runtime.db.sessions() as s:
        first, second = (slide.id for slide in s.scalars(select(Slide).order_by(Slide.id)))
    post_form(client, f"/slides/{second}", f"/slides/{second}/submit")
    pending = client.get("/slides?status=pending").get_data(as_text=True)
    assert "Bản thứ hai" in pending and "Bản thứ nhất" not in pending
    drafts = client.get("/slides?status=draft").get_data(as_text=True)
    assert "Bản thứ nhất" in drafts and "Bản thứ hai" not in drafts
    assert "Bản thứ" not in client.get("/slides?status=on_air").get_data(as_text=True)
    everything = client.get("/slides?status=bogus")
    assert everything.status_code == 200
    assert "Bản thứ nhất" in everything.get_data(as_text=True)
    assert "Bản thứ hai" in everything.get_data(as_text=True)


def test_reject_needs_a_reason_and_shows_it(client, as_role, runtime):
    as_role("editor")
    create_slide(client, runtime)
    slide_id, _ = only_slide(runtime)
    post_form(client, f"/slides/{slide_id}", f"/slides/{slide_id}/submit")
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    as_role("approver")
    response = post_form(client, f"/slides/{slide_id}", f"/slides/{slide_id}/reject", reason="")
    assert response.status_code == 422
    assert only_slide(runtime)[1] == "pending"
    response = post_form(
        client, f"/slides/{slide_id}", f"/slides/{slide_id}/reject", reason="Sai số liệu"
    )
    assert response.status_code == 302
    assert only_slide(runtime)[1] == "rejected"
    assert "Sai số liệu" in client.get(f"/slides/{slide_id}").get_data(as_text=True)


# --- boards and language --------------------------------------------------------------------------


def test_board_registration_shows_the_player_url_once(client, as_role, runtime):
    as_role("admin")
    response = post_form(
        client,
        "/boards/new",
        name="UBND phường Chi Lăng",
        width="1920",
        height="1080",
        timezone="Asia/Ho_Chi_Minh",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/player/#token=sgb_" in html
    assert response.headers["Cache-Control"] == "no-store"
    with runtime.db.sessions() as s:
        board = s.scalars(select(Board)).one()
    detail = client.get(f"/boards/{board.id}").get_data(as_text=True)
    assert "#token=" not in detail
    assert "1920×1080" in detail


def test_board_form_errors_are_422(client, as_role):
    as_role("admin")
    response = post_form(client, "/boards/new", name="", width="10", height="abc")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tên" in html


def test_language_switch_shows_english(client, as_role):
    as_role("viewer")
    assert "Bảng điều khiển" in client.get("/").get_data(as_text=True)
    response = client.get("/lang/en?next=/slides")
    assert response.status_code == 302 and response.headers["Location"].endswith("/slides")
    html = client.get("/").get_data(as_text=True)
    assert "Dashboard" in html and "Bảng điều khiển" not in html
    client.get("/lang/vi")
    assert "Bảng điều khiển" in client.get("/").get_data(as_text=True)


def test_language_switch_ignores_foreign_next(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert "evil" not in response.headers["Location"]


def test_language_switch_after_a_posted_form_returns_to_the_form_page(client, as_role):
    as_role("admin")
    token = csrf_from(client, "/boards/new")
    response = client.post(
        "/boards/new",
        data={"csrf_token": token, "name": ""},
        headers={"Referer": "http://localhost/boards/new"},
    )
    assert response.status_code == 422
    assert "/lang/en?next=/boards/new" in response.get_data(as_text=True)
    foreign = client.post(
        "/boards/new",
        data={"csrf_token": token, "name": ""},
        headers={"Referer": "http://evil.example/boards/new"},
    )
    assert 'href="/lang/en?next=/"' in foreign.get_data(as_text=True)


def test_login_page_sends_a_logged_in_user_on(client, as_role):
    as_role("viewer")
    response = client.get("/login?next=/slides")
    assert response.status_code == 302 and response.headers["Location"].endswith("/slides")


def test_login_attempts_are_rate_limited(client, users):
    token = csrf_from(client, "/login")
    form = {"csrf_token": token, "username": "editor", "password": "wrong-password"}
    statuses = [client.post("/login", data=form).status_code for _ in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
