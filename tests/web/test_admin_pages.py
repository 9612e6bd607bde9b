"""The admin's other areas: images, revisions, playlists, schedules, groups, boards, layouts."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from admin_helpers import csrf_from, post_form
from PIL import Image
from sqlalchemy import select

from signage.models import (
    Asset,
    AuditEntry,
    Board,
    Group,
    Layout,
    Playlist,
    Schedule,
    Slide,
)
from signage.services import board_health, boards, dayparts, pairing, programming, slides


def png_file(width=64, height=48) -> tuple[io.BytesIO, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (183, 28, 28)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer, "anh.png"


def actor(s, name: str):
    from signage.models import User

    return s.scalars(select(User).where(User.username == name)).one()


def layout_id(s, key: str) -> int:
    return s.scalars(select(Layout.id).where(Layout.key == key)).first()


@pytest.fixture
def approved_slide(runtime, users) -> int:
    """A slide approved through the services, as another tab would have done."""
    with runtime.db.transaction() as s:
        data = {
            "layout_id": layout_id(s, "announcement"),
            "fields": {"title": "Nghị quyết 49 vào cuộc sống"},
        }
        slide = slides.create_slide(s, {**data, "duration_s": 10}, actor(s, "editor"))
        slides.submit(s, slide, actor(s, "editor"))
        slides.approve(s, slide, actor(s, "approver"))
        return slide.id


@pytest.fixture
def board_and_group(runtime, users) -> tuple[int, int]:
    with runtime.db.transaction() as s:
        group = boards.create_group(s, "LED ngoài trời", actor=actor(s, "admin"))
        board, _ = boards.create_board(s, "Cửa khẩu Hữu Nghị", 384, 192, None, [group.id])
        return board.id, group.id


# --- slides -------------------------------------------------------------------------------


def test_image_upload_through_the_slide_form(client, as_role, runtime):
    as_role("editor")
    with runtime.db.sessions() as s:
        page = f"/slides/new/{layout_id(s, 'image-caption')}"
    data = {
        "csrf_token": csrf_from(client, page),
        "field_caption": "Toàn cảnh Lạng Sơn",
        "field_image_file": png_file(),
        "duration_s": "8",
    }
    response = client.post(page, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        asset = s.scalars(select(Asset)).one()
        assert s.scalars(select(Slide)).one().latest.fields["image"] == asset.id
    # the uploaded image is offered when the next slide is written
    assert f'value="{asset.id}"' in client.get(page).get_data(as_text=True)


def test_a_bad_image_is_a_422_and_saves_nothing(client, as_role, runtime):
    as_role("editor")
    with runtime.db.sessions() as s:
        page = f"/slides/new/{layout_id(s, 'image-caption')}"
    data = {
        "csrf_token": csrf_from(client, page),
        "field_caption": "Ảnh hỏng",
        "field_image_file": (io.BytesIO(b"not an image at all"), "x.png"),
        "duration_s": "8",
    }
    response = client.post(page, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Hình ảnh" in response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        assert s.scalars(select(Asset)).first() is None
        assert s.scalars(select(Slide)).first() is None


def test_editing_an_approved_slide_keeps_the_old_revision_on_air(
    client, as_role, runtime, approved_slide
):
    as_role("editor")
    page = f"/slides/{approved_slide}/edit"
    html = client.get(page).get_data(as_text=True)
    assert "Nghị quyết 49 vào cuộc sống" in html
    response = post_form(client, page, field_title="Nghị quyết 49 năm 2025", duration_s="15")
    assert response.status_code == 302, response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        slide = s.get(Slide, approved_slide)
        assert [r.status for r in slide.revisions] == ["approved", "draft"]
    detail = client.get(f"/slides/{approved_slide}").get_data(as_text=True)
    assert "phiên bản 1" in detail and "Phiên bản 2 mới hơn" in detail


def test_detail_previews_every_registered_board_size(
    client, as_role, runtime, approved_slide, board_and_group
):
    with runtime.db.transaction() as s:
        boards.create_board(s, "UBND tỉnh", 1080, 1920)
    as_role("viewer")
    html = client.get(f"/slides/{approved_slide}").get_data(as_text=True)
    for width, height in ((384, 192), (1080, 1920)):
        assert f"render?width={width}&amp;height={height}" in html
        assert f"{width}×{height}" in html
    assert "/edit" not in html  # a viewer gets no edit button


def test_unknown_slide_is_an_html_404(client, as_role):
    as_role("viewer")
    response = client.get("/slides/999")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


def test_status_filter(client, as_role, approved_slide):
    as_role("viewer")
    title = "Nghị quyết 49 vào cuộc sống"
    assert title in client.get("/slides?status=approved").get_data(as_text=True)
    assert title not in client.get("/slides?status=draft").get_data(as_text=True)


# --- playlists and schedules ------------------------------------------------------------------


def test_playlist_create_and_edit_keep_order_and_overrides(
    client, as_role, runtime, approved_slide
):
    as_role("editor")
    data = {
        "csrf_token": csrf_from(client, "/playlists/new"),
        "name": "Tuyên truyền NQ 49",
        "slide_id": [str(approved_slide), "", str(approved_slide)],
        "duration_s": ["", "", "20"],
    }
    response = client.post("/playlists/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        playlist = s.scalars(select(Playlist)).one()
        assert [(i.slide_id, i.duration_s) for i in playlist.items] == [
            (approved_slide, None),
            (approved_slide, 20),
        ]
        page = f"/playlists/{playlist.id}/edit"
    data = {
        "csrf_token": csrf_from(client, page),
        "name": "Tuyên truyền NQ 49 (sửa)",
        "slide_id": [str(approved_slide)],
        "duration_s": ["7"],
    }
    assert client.post(page, data=data).status_code == 302
    with runtime.db.sessions() as s:
        playlist = s.scalars(select(Playlist)).one()
        assert playlist.name.endswith("(sửa)")
        assert [(i.slide_id, i.duration_s) for i in playlist.items] == [(approved_slide, 7)]


def test_playlist_errors_name_the_row(client, as_role, runtime, approved_slide):
    as_role("editor")
    data = {
        "csrf_token": csrf_from(client, "/playlists/new"),
        "name": "Sai",
        "slide_id": [str(approved_slide), str(approved_slide)],
        "duration_s": ["", "0"],
    }
    response = client.post("/playlists/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dòng 2" in html and "phải nằm trong khoảng từ 1 đến 3600" in html
    with runtime.db.sessions() as s:
        assert s.scalars(select(Playlist)).first() is None
    empty = post_form(client, "/playlists/new", name="Rỗng")
    assert empty.status_code == 422 and "phải có ít nhất một trang chiếu" in empty.get_data(
        as_text=True
    )


@pytest.fixture
def playlist_id(runtime, approved_slide) -> int:
    with runtime.db.transaction() as s:
        data = {"name": "NQ 49", "items": [{"slide_id": approved_slide}]}
        return programming.create_playlist(s, data, None).id


def test_schedule_create_converts_hanoi_time_and_delete(
    client, as_role, runtime, playlist_id, board_and_group
):
    board_id, group_id = board_and_group
    as_role("editor")
    data = {
        "csrf_token": csrf_from(client, "/schedules/new"),
        "playlist_id": str(playlist_id),
        "boards": [str(board_id)],
        "groups": [str(group_id)],
        "starts_at": "2026-12-01T07:30",
        "ends_at": "2026-12-31T22:00",
        "days": ["1", "3", "5"],
        "time_from": "07:00",
        "time_to": "11:30",
        "priority": "20",
        "kind": "emergency",
    }
    response = client.post("/schedules/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        schedule = s.scalars(select(Schedule)).one()
        assert schedule.starts_at == datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
        assert schedule.days == "1,3,5" and schedule.kind == "emergency"
        assert schedule.priority == 20
        assert {(t.board_id, t.group_id) for t in schedule.targets} == {
            (board_id, None),
            (None, group_id),
        }
        schedule_id = schedule.id
    listing = client.get("/schedules").get_data(as_text=True)
    assert "Khẩn cấp" in listing and "01/12/2026 07:30" in listing and "07:00–11:30" in listing
    response = post_form(client, "/schedules", f"/schedules/{schedule_id}/delete")
    assert response.status_code == 302
    with runtime.db.sessions() as s:
        assert s.scalars(select(Schedule)).first() is None


def test_schedule_without_targets_is_a_422(client, as_role, runtime, playlist_id):
    as_role("editor")
    response = post_form(
        client, "/schedules/new", playlist_id=str(playlist_id), starts_at="2026-12-01T07:30"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "phải chọn ít nhất một màn hình hoặc một nhóm" in html
    with runtime.db.sessions() as s:
        assert s.scalars(select(Schedule)).first() is None


def test_viewer_cannot_delete_a_schedule(client, as_role, runtime, playlist_id, board_and_group):
    with runtime.db.transaction() as s:
        data = {
            "playlist_id": playlist_id,
            "targets": {"boards": [board_and_group[0]]},
            "starts_at": "2026-01-01T00:00:00+07:00",
        }
        schedule_id = programming.create_schedule(s, data, None).id
    as_role("viewer")
    html = client.get("/schedules").get_data(as_text=True)
    assert f"/schedules/{schedule_id}/delete" not in html
    response = post_form(client, "/schedules", f"/schedules/{schedule_id}/delete")
    assert response.status_code == 403


# --- boards, groups, pairing ---------------------------------------------------------------


def test_group_create_with_parent_and_duplicate_name(client, as_role, runtime, board_and_group):
    _, group_id = board_and_group
    as_role("admin")
    response = post_form(client, "/groups", name="Thành phố Lạng Sơn", parent_id=str(group_id))
    assert response.status_code == 302
    with runtime.db.sessions() as s:
        child = s.scalars(select(Group).where(Group.name == "Thành phố Lạng Sơn")).one()
        assert child.parent_id == group_id
    again = post_form(client, "/groups", name="Thành phố Lạng Sơn")
    assert again.status_code == 422
    assert "Đã có nhóm tên Thành phố Lạng Sơn" in again.get_data(as_text=True)


def test_editor_cannot_create_group(client, as_role):
    as_role("editor")
    html = client.get("/groups").get_data(as_text=True)
    assert 'action="/groups"' not in html
    assert post_form(client, "/groups", name="X").status_code == 403


def test_board_list_shows_health_in_hanoi_time(client, as_role, runtime, board_and_group):
    board_id, _ = board_and_group
    with runtime.db.transaction() as s:
        board = s.get(Board, board_id)
        board_health.record_heartbeat(
            s,
            board,
            {"player_version": "1.2.3", "current": None, "screen": {"width": 384, "height": 192}},
        )
        board.last_seen_at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    as_role("viewer")
    html = client.get("/boards").get_data(as_text=True)
    assert "Cửa khẩu Hữu Nghị" in html and "384×192" in html and "LED ngoài trời" in html
    assert "02/03/2026 08:00" in html and "Mất kết nối" in html and "1.2.3" in html


def test_rotate_token_shows_a_new_url_once(client, as_role, runtime, board_and_group):
    board_id, _ = board_and_group
    with runtime.db.sessions() as s:
        old_hash = s.get(Board, board_id).token_hash
    as_role("admin")
    response = post_form(client, f"/boards/{board_id}", f"/boards/{board_id}/rotate-token")
    assert response.status_code == 200
    assert "/player/#token=sgb_" in response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        assert s.get(Board, board_id).token_hash != old_hash


def test_pairing_by_code(client, as_role, runtime, board_and_group):
    board_id, _ = board_and_group
    with runtime.db.transaction() as s:
        code = pairing.start(s).code
    as_role("admin")
    wrong = post_form(client, f"/boards/{board_id}", f"/boards/{board_id}/pair", code="ZZZZZZ")
    assert wrong.status_code == 422
    assert "không có màn hình nào đang chờ" in wrong.get_data(as_text=True)
    typed = f"{code[:3].lower()}-{code[3:].lower()}"
    response = post_form(client, f"/boards/{board_id}", f"/boards/{board_id}/pair", code=typed)
    assert response.status_code == 302
    with runtime.db.sessions() as s:
        from signage.models import Pairing

        assert s.scalars(select(Pairing)).one().board_id == board_id


def test_designer_sees_no_board_controls(client, as_role, board_and_group):
    board_id, _ = board_and_group
    as_role("designer")
    html = client.get(f"/boards/{board_id}").get_data(as_text=True)
    assert "rotate-token" not in html and "/pair" not in html
    response = post_form(client, f"/boards/{board_id}", f"/boards/{board_id}/rotate-token")
    assert response.status_code == 403


# --- layouts, audit, dashboard ------------------------------------------------------------------


def layout_document(**changes) -> str:
    spec = {
        "key": "thu-nghiem",
        "name": {"vi": "Bố cục thử nghiệm", "en": "Test layout"},
        "background": "#b71c1c",
        "fields": [{"name": "title", "kind": "text", "required": True, "max_length": 80}],
        "regions": [{"kind": "text", "field": "title", "box": [0.05, 0.1, 0.95, 0.9]}],
    }
    spec.update(changes)
    return json.dumps(spec, ensure_ascii=False)


def test_designer_uploads_a_layout(client, as_role, runtime):
    as_role("designer")
    data = {
        "csrf_token": csrf_from(client, "/layouts"),
        "file": (io.BytesIO(layout_document().encode()), "layout.json"),
    }
    response = client.post("/layouts", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Bố cục thử nghiệm" in client.get("/layouts").get_data(as_text=True)


def test_layout_errors_show_the_json_path(client, as_role, runtime):
    as_role("designer")
    bad = layout_document(regions=[{"kind": "text", "field": "title", "box": [0.9, 0, 0.1, 1]}])
    response = post_form(client, "/layouts", document=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "$.regions[0].box" in html
    with runtime.db.sessions() as s:
        assert s.scalars(select(Layout).where(Layout.key == "thu-nghiem")).first() is None


def test_editor_cannot_upload_a_layout(client, as_role):
    as_role("editor")
    assert "Tải lên bố cục" not in client.get("/layouts").get_data(as_text=True)
    assert post_form(client, "/layouts", document=layout_document()).status_code == 403


def test_audit_log_lists_who_did_what(client, as_role, runtime, approved_slide):
    as_role("viewer")
    html = client.get("/audit").get_data(as_text=True)
    # Each line is worded in the reader's language, with who did it and to what.
    assert f"approver phê duyệt trang chiếu #{approved_slide}, phiên bản 1" in html
    with runtime.db.sessions() as s:
        assert s.scalars(select(AuditEntry)).first() is not None


def test_dashboard_lists_pending_slides_and_boards(client, as_role, runtime, board_and_group):
    with runtime.db.transaction() as s:
        data = {"layout_id": layout_id(s, "announcement"), "fields": {"title": "Chờ duyệt đây"}}
        slide = slides.create_slide(s, data, actor(s, "editor"))
        slides.submit(s, slide, actor(s, "editor"))
    as_role("approver")
    html = client.get("/").get_data(as_text=True)
    assert "Chờ duyệt đây" in html and "Cửa khẩu Hữu Nghị" in html
    assert "Chưa từng kết nối" in html


def test_board_detail_lists_schedules_that_reach_it_through_groups(
    client, as_role, runtime, playlist_id, board_and_group
):
    board_id, group_id = board_and_group
    with runtime.db.transaction() as s:
        child = boards.create_group(s, "Huyện Cao Lộc", group_id)
        other, _ = boards.create_board(s, "Chợ Cao Lộc", 640, 320, None, [child.id])
        data = {
            "playlist_id": playlist_id,
            "targets": {"groups": [group_id]},
            "starts_at": "2026-01-01T00:00:00+07:00",
        }
        programming.create_schedule(s, data, None)
        other_id = other.id
    as_role("viewer")
    assert "NQ 49" in client.get(f"/boards/{other_id}").get_data(as_text=True)
    assert "NQ 49" in client.get(f"/boards/{board_id}").get_data(as_text=True)


def _office_hours_id(runtime) -> int:
    with runtime.db.sessions() as s:
        return next(d.id for d in dayparts.list_dayparts(s) if d.name == "Giờ hành chính")


def _office_hours_schedule(client, runtime, playlist_id: int, board_id: int, **extra):
    """Post the schedule form for a board in office hours (the "Giờ hành chính" daypart)."""
    return post_form(
        client,
        "/schedules/new",
        playlist_id=str(playlist_id),
        boards=[str(board_id)],
        starts_at="2026-12-01T00:00",
        daypart_id=str(_office_hours_id(runtime)),
        **extra,
    )


def test_a_schedule_on_a_daypart_with_skipped_dates_is_saved_from_the_form(
    client, as_role, runtime, playlist_id, board_and_group
):
    board_id, _ = board_and_group
    as_role("editor")
    form = client.get("/schedules/new").get_data(as_text=True)
    assert "Giờ hành chính" in form and 'name="exdates"' in form
    response = _office_hours_schedule(
        client, runtime, playlist_id, board_id, exdates="2026-12-31\n2027-01-01"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with runtime.db.sessions() as s:
        schedule = s.scalars(select(Schedule)).one()
        assert schedule.daypart.name == "Giờ hành chính"
        assert schedule.exdates == ["2026-12-31", "2027-01-01"]


@pytest.mark.parametrize(
    "extra, field_message",
    [
        ({"exdates": "2026-12-31\n31/12/2026"}, "31/12/2026"),
        ({"days": ["6"]}, "hãy chọn một khung giờ hoặc tự nhập thứ và giờ"),
    ],
)
def test_bad_daypart_or_skipped_dates_are_named_and_nothing_is_saved(
    client, as_role, runtime, playlist_id, board_and_group, extra, field_message
):
    board_id, _ = board_and_group
    as_role("editor")
    response = _office_hours_schedule(client, runtime, playlist_id, board_id, **extra)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_message in html
    with runtime.db.sessions() as s:
        assert s.scalars(select(Schedule)).first() is None
