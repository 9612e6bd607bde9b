"""The Resolution 49 demo: boards, groups, approved slides, playlists and schedules.

Facts come from letter 1008-CV/BTGTU (22/12/2021) of the Lạng Sơn Provincial Party Committee's
Propaganda Department about Resolution 49-NQ/TU (28/9/2021).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import Board, Layout
from signage.resources import resource_dir
from signage.services import assets, boards, programming, slides
from signage.storage import MediaStore

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OUTLINE = "http://tuyengiaolangson.vn"
RESOLUTION = "Chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng đến năm 2030"

GROUPS = [("Toàn tỉnh", None), ("Thành phố Lạng Sơn", "Toàn tỉnh"), ("LED ngoài trời", None)]
BOARDS = [
    ("UBND phường Chi Lăng", 1920, 1080, ["Thành phố Lạng Sơn"]),
    ("Trung tâm Phục vụ hành chính công tỉnh", 1080, 1920, ["Toàn tỉnh"]),
    ("LED ngã tư Chi Lăng", 384, 192, ["Thành phố Lạng Sơn", "LED ngoài trời"]),
]
SLIDES = [
    (
        "title-body-qr",
        {
            "title": RESOLUTION,
            "body": "Nghị quyết số 49-NQ/TU ngày 28/9/2021 của Ban Thường vụ Tỉnh ủy Lạng Sơn.",
            "link": OUTLINE,
        },
    ),
    (
        "announcement",
        {
            "caption": "Nghị quyết số 49-NQ/TU",
            "title": "Chuyển đổi số vì người dân",
            "body": "Tạo sự thống nhất cao trong toàn Đảng bộ và sự đồng thuận trong Nhân dân.",
        },
    ),
    (
        "title-body-qr",
        {
            "title": "Đề cương tuyên truyền Nghị quyết số 49-NQ/TU",
            "body": "Đăng tải trên Trang Thông tin điện tử của Ban Tuyên giáo Tỉnh ủy Lạng Sơn.",
            "link": OUTLINE,
        },
    ),
    (
        "announcement",
        {
            "caption": "Công văn số 1008-CV/BTGTU ngày 22/12/2021",
            "title": "Thông tin chính xác, đúng định hướng",
            "body": "Tuyên truyền trên băng-zôn, pa-nô, áp-phích, bảng điện tử.",
        },
    ),
    ("image-caption", {"caption": "Lạng Sơn chuyển đổi số đến năm 2025, định hướng 2030"}),
]


def _layout(session: Session, key: str) -> Layout:
    query = select(Layout).where(Layout.key == key).order_by(Layout.version.desc())
    return session.scalars(query).first()


def _slides(session: Session, store: MediaStore) -> list[int]:
    photo = (resource_dir("assets") / "demo-landscape.jpg").read_bytes()
    image = assets.upload_asset(session, store, photo, None)
    made = []
    for key, fields in SLIDES:
        if key == "image-caption":
            fields = {**fields, "image": str(image.id)}
        data = {"layout_id": _layout(session, key).id, "fields": fields, "duration_s": 12}
        slide = slides.create_slide(session, data, None)
        slides.submit(session, slide, None)
        slides.approve(session, slide, None)
        made.append(slide.id)
    return made


def _schedule(session, playlist_id, targets, **when) -> None:
    start = datetime(2026, 1, 1, tzinfo=TZ)
    data = {"playlist_id": playlist_id, "targets": targets, "starts_at": start, **when}
    programming.create_schedule(session, data, None)


def seed(session: Session, store: MediaStore) -> list[tuple[Board, str]]:
    """Create the demo; returns each board with its player token (shown once)."""
    groups = {}
    for name, parent in GROUPS:
        parent_id = groups[parent].id if parent else None
        groups[name] = boards.create_group(session, name, parent_id)
    made = []
    for name, width, height, group_names in BOARDS:
        ids = [groups[g].id for g in group_names]
        made.append(boards.create_board(session, name, width, height, None, ids))
    ids = _slides(session, store)
    campaign = programming.create_playlist(
        session,
        {"name": "Nghị quyết 49 — giờ hành chính", "items": [{"slide_id": i} for i in ids]},
        None,
    )
    evening = programming.create_playlist(
        session,
        {"name": "Nghị quyết 49 — buổi tối", "items": [{"slide_id": ids[1]}, {"slide_id": ids[3]}]},
        None,
    )
    province = {"groups": [groups["Toàn tỉnh"].id, groups["LED ngoài trời"].id]}
    _schedule(
        session,
        campaign.id,
        province,
        name="Giờ hành chính",
        days=[1, 2, 3, 4, 5],
        time_from="07:00",
        time_to="17:30",
        priority=20,
    )
    _schedule(session, evening.id, province, name="Buổi tối và cuối tuần", priority=10)
    for board, _ in made:
        board.fallback_playlist_id = evening.id
    return made


def is_empty(session: Session) -> bool:
    return session.scalar(select(Board.id).limit(1)) is None
