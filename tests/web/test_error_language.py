"""API errors carry a stable code and words in the caller's language: the admin session's
choice, else Accept-Language, else Vietnamese."""

from __future__ import annotations

from admin_helpers import post_form
from api_helpers import assert_error

from signage.web.auth import public


def test_an_error_is_worded_in_vietnamese_by_default(api):
    body = assert_error(api.get("/slides", role=None), 401, code="authentication_required")
    assert body["error"] == "Cần đăng nhập, hoặc gửi kèm mã truy cập API (Bearer token)"


def test_accept_language_chooses_english(api):
    response = api.get("/slides", role=None, headers={"Accept-Language": "en-GB,en;q=0.9"})
    body = assert_error(response, 401, code="authentication_required")
    assert body["error"] == "Log in, or send a Bearer token"


def test_a_language_nobody_speaks_here_falls_back_to_vietnamese(api):
    response = api.get("/slides", role=None, headers={"Accept-Language": "fr"})
    assert assert_error(response, 401)["error"].startswith("Cần đăng nhập")


def test_each_detail_has_its_own_code_and_words(api):
    board = {"name": "Bảng thử", "width": 5, "height": 192}
    english = api.post("/boards", json=board, headers={"Accept-Language": "en"})
    body = assert_error(english, 422, field="width", code="out_of_range")
    detail = next(d for d in body["details"] if d["field"] == "width")
    assert detail["message"] == "must be between 16 and 8192"
    assert (detail["low"], detail["high"]) == (16, 8192)
    assert body["code"] == "invalid_input"

    vietnamese = assert_error(api.post("/boards", json=board), 422, field="width")
    detail = next(d for d in vietnamese["details"] if d["field"] == "width")
    assert detail["message"] == "phải nằm trong khoảng từ 16 đến 8192"
    assert detail["code"] == "out_of_range"


def test_the_admin_session_choice_wins_over_accept_language(client, as_role):
    as_role("editor", "en")
    response = client.get("/api/v1/boards/999999", headers={"Accept-Language": "vi"})
    body = assert_error(response, 404)
    assert body["code"] in {"not_found", "board_not_found"}
    assert body["error"].isascii(), body["error"]


def test_a_role_refusal_names_the_permission_in_words(api):
    body = assert_error(api.post("/boards", json={}, role="viewer"), 403, code="role_not_allowed")
    assert "quản trị hệ thống" in body["error"]


def test_the_admin_shows_a_form_problem_in_vietnamese(as_role):
    client = as_role("admin")
    response = post_form(client, "/boards/new", name="Bảng", width="5", height="192")
    assert response.status_code == 422
    assert "phải nằm trong khoảng từ 16 đến 8192" in response.get_data(as_text=True)


def test_a_fault_of_the_server_is_a_coded_error_in_the_callers_language(app):
    def broken():
        raise RuntimeError("a bug, not the caller's fault")

    app.add_url_rule("/api/v1/broken", "broken", public(broken))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as production does, not raise
    client = app.test_client()
    body = assert_error(client.get("/api/v1/broken"), 500, code="server_error")
    assert "Internal Server Error" not in body["error"]
    english = client.get("/api/v1/broken", headers={"Accept-Language": "en"}).get_json()
    assert english["error"] != body["error"] and english["code"] == "server_error"


def test_health_and_media_errors_follow_accept_language(client):
    missing = "0" * 64 + ".png"
    vietnamese = assert_error(client.get(f"/media/{missing}"), 404, code="media_not_found")
    english = client.get(f"/media/{missing}", headers={"Accept-Language": "en"}).get_json()
    assert english["error"] == f"No media named {missing}"
    assert vietnamese["error"] != english["error"]
