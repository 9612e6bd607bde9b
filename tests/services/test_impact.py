"""A change rebuilds the manifests of the boards it reaches, and leaves the others alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from signage.models import Manifest
from signage.services import boards, impact, manifests, programming, slides
from signage.services.layouts import current_layouts

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def province(session):
    """Toàn tỉnh > Cao Lộc > Đồng Đăng; one board at each level, plus one outside."""
    top = boards.create_group(session, "Toàn tỉnh")
    district = boards.create_group(session, "Cao Lộc", top.id)
    town = boards.create_group(session, "Đồng Đăng", district.id)
    other = boards.create_group(session, "Hữu Lũng")
    made = {}
    for name, group in (("tinh", top), ("huyen", district), ("thitran", town), ("khac", other)):
        made[name], _ = boards.create_board(session, name, 384, 192, None, [group.id])
    session.commit()
    return {"groups": (top, district, town, other), "boards": made}


def approved_slide(session, title: str):
    layout = next(x.id for x in current_layouts(session) if x.key == "announcement")
    slide = slides.create_slide(session, {"layout_id": layout, "fields": {"title": title}}, None)
    slides.submit(session, slide, None)
    slides.approve(session, slide, None)
    return slide


def cached_boards(session) -> set[int]:
    return set(session.scalars(select(Manifest.board_id)))


def build_all(session, runtime) -> None:
    manifests.refresh_due(session, runtime.store, 48, 30, now=NOW)


def test_nested_groups_reach_every_board_below(session, province):
    top, district, town, other = province["groups"]
    b = {k: v.id for k, v in province["boards"].items()}
    assert impact.boards_in_groups(session, [district.id]) == {b["huyen"], b["thitran"]}
    assert impact.boards_in_groups(session, [top.id]) == {b["tinh"], b["huyen"], b["thitran"]}
    assert impact.boards_in_groups(session, [other.id]) == {b["khac"]}


def test_a_schedule_on_a_district_rebuilds_only_that_district(session, runtime, province):
    top, district, town, other = province["groups"]
    b = {k: v.id for k, v in province["boards"].items()}
    playlist = programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": approved_slide(session, "Một").id}]}, None
    )
    build_all(session, runtime)
    assert cached_boards(session) == set(b.values())

    programming.create_schedule(
        session,
        {
            "playlist_id": playlist.id,
            "targets": {"groups": [district.id]},
            "starts_at": "2026-01-01T00:00:00+07:00",
        },
        None,
    )
    assert cached_boards(session) == {b["tinh"], b["khac"]}


def test_editing_a_playlist_rebuilds_boards_that_play_it_or_fall_back_to_it(
    session, runtime, province
):
    b = province["boards"]
    slide = approved_slide(session, "Hai")
    playlist = programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": slide.id}]}, None
    )
    programming.create_schedule(
        session,
        {
            "playlist_id": playlist.id,
            "targets": {"boards": [b["tinh"].id]},
            "starts_at": "2026-01-01T00:00:00+07:00",
        },
        None,
    )
    b["khac"].fallback_playlist_id = playlist.id
    build_all(session, runtime)

    programming.update_playlist(
        session, playlist, {"name": "P2", "items": [{"slide_id": slide.id, "duration_s": 20}]}, None
    )
    assert cached_boards(session) == {b["huyen"].id, b["thitran"].id}


def test_approving_a_slide_rebuilds_only_boards_that_play_it(session, runtime, province):
    b = province["boards"]
    shown = approved_slide(session, "Ba")
    playlist = programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": shown.id}]}, None
    )
    programming.create_schedule(
        session,
        {
            "playlist_id": playlist.id,
            "targets": {"boards": [b["khac"].id]},
            "starts_at": "2026-01-01T00:00:00+07:00",
        },
        None,
    )
    build_all(session, runtime)

    slides.edit_slide(session, shown, {"fields": {"title": "Ba, sửa lại"}}, None)
    slides.submit(session, shown, None)
    slides.approve(session, shown, None)
    assert cached_boards(session) == {b["tinh"].id, b["huyen"].id, b["thitran"].id}
