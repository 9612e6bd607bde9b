"""Which schedules reach which boards (groups nest, at any depth), asked by every path the same
way; and a change rebuilds the manifests of the boards it reaches, leaving the others alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from signage.models import Manifest
from signage.services import (
    boards,
    calendar,
    impact,
    manifests,
    programming,
    reach,
    slides,
    timelines,
)
from signage.services.layouts import current_layouts

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


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
    assert reach.boards_in_groups(session, [district.id]) == {b["huyen"], b["thitran"]}
    assert reach.boards_in_groups(session, [top.id]) == {b["tinh"], b["huyen"], b["thitran"]}
    assert reach.boards_in_groups(session, [other.id]) == {b["khac"]}


def _on_top_group(session, province) -> tuple[int, int]:
    """A schedule on the province group, playing its own slide: (schedule id, slide id)."""
    top = province["groups"][0]
    slide = approved_slide(session, "Toàn tỉnh")
    playlist = programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": slide.id}]}, None
    )
    body = {
        "playlist_id": playlist.id,
        "targets": {"groups": [top.id]},
        "starts_at": "2026-01-01T00:00:00+07:00",
        "name": "Cả tỉnh",
    }
    return programming.create_schedule(session, body, None).id, slide.id


def _every_answer(session, runtime, board) -> dict[str, set[int]]:
    """The schedules reaching ``board``, as each path that asks sees them."""
    answer = timelines.explain_board(session, board, NOW).answer
    week = calendar.week(session, board, date(2026, 11, 23))
    manifests.refresh_due(session, runtime.store, 48, 30, now=NOW)
    body = session.get(Manifest, board.id).body
    return {
        "reach": {s.id for s in reach.schedules_reaching(session, board)},
        "timeline": {
            i for s in timelines.board_segments(session, board, NOW, LATER) for i in s.schedule_ids
        },
        "explain": {r.rule_id for r in answer.rules},
        "calendar": {i for d in week.days for b in d.blocks for i in b.schedule_ids},
        "manifest": {i for s in body["segments"] for i in s["schedule_ids"]},
    }


def test_every_path_sees_the_same_reach(session, runtime, province):
    schedule_id, slide_id = _on_top_group(session, province)
    b = province["boards"]
    # A board three levels down sees the province's schedule, whoever asks.
    deep = _every_answer(session, runtime, b["thitran"])
    assert deep == dict.fromkeys(deep, {schedule_id})
    assert timelines.explain_board(session, b["thitran"], NOW).answer.item.key[0] == slide_id
    assert impact.boards_for_schedules(session, [schedule_id]) == {
        b["tinh"].id,
        b["huyen"].id,
        b["thitran"].id,
    }
    # A board outside the province sees it nowhere.
    outside = _every_answer(session, runtime, b["khac"])
    assert outside == dict.fromkeys(outside, set())
    # The calendar of the innermost group shows it too.
    town = province["groups"][2]
    stand_in = calendar.group_board(session, town.id)
    week = calendar.week(session, stand_in, date(2026, 11, 23))
    assert {i for d in week.days for blk in d.blocks for i in blk.schedule_ids} == {schedule_id}
    assert [m.id for m in stand_in.members] == [b["thitran"].id]


def test_the_reach_of_many_boards_is_read_at_once(session, province):
    schedule_id, _ = _on_top_group(session, province)
    b = province["boards"]
    found = reach.reach(session, list(b.values()))
    assert {name: found.schedule_ids(board.id) for name, board in b.items()} == {
        "tinh": (schedule_id,),
        "huyen": (schedule_id,),
        "thitran": (schedule_id,),
        "khac": (),
    }


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
