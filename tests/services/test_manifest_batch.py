"""One path builds and stores manifests: a poll that finds none cached rebuilds its board as a
batch of one, the worker rebuilds every board that is due in one batch."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from signage.models import Manifest
from signage.scheduling import batch as scheduling_batch
from signage.services import boards, manifest_batch, manifests, programming, slides
from signage.services.layouts import current_layouts

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # Thursday 15:00 in Hà Nội, 09:00 in Berlin


def approved(session, title: str):
    layout = next(x.id for x in current_layouts(session) if x.key == "announcement")
    slide = slides.create_slide(session, {"layout_id": layout, "fields": {"title": title}}, None)
    slides.submit(session, slide, None)
    slides.approve(session, slide, None)
    return slide


def playlist(session, slide) -> object:
    body = {"name": slide.latest.title, "items": [{"slide_id": slide.id}]}
    return programming.create_playlist(session, body, None)


def schedule(session, played, targets, **when):
    data = {
        "playlist_id": played.id,
        "targets": targets,
        "starts_at": "2026-11-01T00:00:00+07:00",
        **when,
    }
    return programming.create_schedule(session, data, None)


@pytest.fixture
def province(session):
    """Office hours on the province, evenings on one district, an emergency on one board, and a
    board outside every group that falls back to the evening playlist."""
    top = boards.create_group(session, "Toàn tỉnh")
    district = boards.create_group(session, "Cao Lộc", top.id)
    made = {
        "province": boards.create_board(session, "Một", 384, 192, None, [top.id])[0],
        "district": boards.create_board(session, "Hai", 384, 192, None, [district.id])[0],
        "twin": boards.create_board(session, "Ba", 384, 192, None, [district.id])[0],
        "urgent": boards.create_board(session, "Bốn", 384, 192, None, [district.id])[0],
        "berlin": boards.create_board(session, "Berlin", 384, 192, "Europe/Berlin", [district.id])[
            0
        ],
        "alone": boards.create_board(session, "Lẻ", 1920, 1080)[0],
    }
    slides_ = {name: approved(session, name) for name in ("Sáng", "Chiều", "Khẩn")}
    office, evening, urgent = (playlist(session, s) for s in slides_.values())
    schedule(
        session,
        office,
        {"groups": [top.id]},
        days=[1, 2, 3, 4, 5],
        time_from="07:30",
        time_to="17:00",
        priority=20,
    )
    schedule(session, evening, {"groups": [district.id]}, time_from="17:00", time_to="07:30")
    emergency = schedule(
        session,
        urgent,
        {"boards": [made["urgent"].id]},
        kind="emergency",
        ends_at="2026-11-27T12:00:00+07:00",
    )
    made["alone"].fallback_playlist_id = evening.id
    session.flush()
    return {"boards": made, "slides": {k: s.id for k, s in slides_.items()}, "emergency": emergency}


def _playing(body: dict, at: datetime) -> tuple[str, list[int]]:
    for segment in body["segments"]:
        start = datetime.fromisoformat(segment["start"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(segment["end"].replace("Z", "+00:00"))
        if start <= at < end:
            return segment["kind"], [item["slide_id"] for item in segment["items"]]
    raise AssertionError(f"no segment covers {at}")


def _stored(session) -> dict[int, Manifest]:
    return {m.board_id: m for m in session.scalars(select(Manifest))}


def test_the_batch_gives_each_board_what_its_schedules_say(session, runtime, province):
    made, slide = province["boards"], province["slides"]
    assert manifests.refresh_due(session, runtime.store, 48, 30, now=NOW) == len(made)
    stored = _stored(session)
    at = {b: stored[made[b].id].body for b in made}
    # 15:00 in Hà Nội: office hours everywhere in the province, nested groups included.
    for name in ("province", "district", "twin"):
        assert _playing(at[name], NOW) == ("normal", [slide["Sáng"]])
    assert _playing(at["urgent"], NOW) == ("emergency", [slide["Khẩn"]])
    # 18:00 in Hà Nội: the district's evening; the province board has nothing, so its fallback.
    evening = NOW + timedelta(hours=3)
    assert _playing(at["district"], evening) == ("normal", [slide["Chiều"]])
    assert _playing(at["province"], evening)[0] == "fallback"
    # Meanwhile it is 12:00 in Berlin: office hours there, by the board's own clock.
    assert _playing(at["berlin"], evening) == ("normal", [slide["Sáng"]])
    assert _playing(at["berlin"], evening + timedelta(hours=6)) == ("normal", [slide["Chiều"]])
    # The board outside every group falls back to its own playlist, at its own size.
    assert _playing(at["alone"], NOW) == ("fallback", [slide["Chiều"]])
    assert {i["width"] for s in at["alone"]["segments"] for i in s["items"]} == {1920}
    assert at["twin"]["segments"] == at["district"]["segments"]
    assert stored[made["twin"].id].version != stored[made["district"].id].version  # names differ
    assert manifests.refresh_due(session, runtime.store, 48, 30, now=NOW) == 0


def test_boards_with_equal_inputs_share_one_timeline(session, runtime, province, monkeypatch):
    computed = []
    real = scheduling_batch.timeline

    def counting(rules, tz, fallback, start, end):
        computed.append((tuple(r.id for r in rules), tz))
        return real(rules, tz, fallback, start, end)

    monkeypatch.setattr(scheduling_batch, "timeline", counting)
    manifests.refresh_due(session, runtime.store, 48, 30, now=NOW)
    # Six boards, five distinct inputs: the two plain district boards share theirs.
    assert len(computed) == len(set(computed)) == 5


def test_a_poll_rebuilds_its_board_as_a_batch_of_one(session, runtime, province, monkeypatch):
    board = province["boards"]["urgent"]
    batches = []
    real = manifest_batch.build_rows

    def recording(session_, store, boards_, *args):
        batches.append([b.id for b in boards_])
        return real(session_, store, boards_, *args)

    monkeypatch.setattr(manifest_batch, "build_rows", recording)
    served = manifests.current(session, runtime.store, board, 48, 30)
    assert batches == [[board.id]] and served.board_id == board.id
    assert manifests.current(session, runtime.store, board, 48, 30) is served  # cached: no build
    assert batches == [[board.id]]
    manifests.refresh_due(session, runtime.store, 48, 30)
    assert sorted(batches[1]) == sorted(
        b.id for b in province["boards"].values() if b.id != board.id
    )


def test_one_board_and_the_whole_batch_store_the_same_manifest(session, runtime, province):
    board = province["boards"]["berlin"]
    alone = manifests.build(session, runtime.store, board, NOW, 48, 30)
    version, body = alone.version, alone.body
    manifests.invalidate(session)
    manifests.refresh_due(session, runtime.store, 48, 30, now=NOW)
    assert alone.version == version and alone.body == body  # the same row, rewritten alike
    # Later, nothing changed: the version and the segments stay; only the horizon moves.
    later = manifests.build(session, runtime.store, board, NOW + timedelta(hours=5), 48, 30)
    assert (later.version, later.body["segments"]) == (version, body["segments"])
    assert later.valid_until == NOW + timedelta(hours=53)


def test_a_rebuild_is_seen_by_manifests_the_session_already_holds(session, runtime, province):
    board = province["boards"]["province"]
    held = manifests.build(session, runtime.store, board, NOW, 48, 30)
    manifest_batch.rebuild(session, runtime.store, [board], NOW + timedelta(hours=1), 48, 30)
    assert held.generated_at == NOW + timedelta(hours=1)
    assert manifest_batch.rebuild(session, runtime.store, [], NOW, 48, 30) == 0


def test_an_emergency_ends_where_its_schedule_ends(session, runtime, province):
    board = province["boards"]["urgent"]
    body = manifests.build(session, runtime.store, board, NOW, 48, 30).body
    ends = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội
    emergency = [s for s in body["segments"] if s["kind"] == "emergency"]
    assert [s["schedule_ids"] for s in emergency] == [[province["emergency"].id]]
    assert emergency[0]["end"] == manifests.iso(ends)
    assert _playing(body, ends) == ("normal", [province["slides"]["Sáng"]])


def test_the_version_is_the_hash_of_the_settings_and_segments_alone():
    """Boards that share segments pass their canonical text, computed once: the version must be
    the very hash of the whole, so no ETag changes because of how it was computed."""
    board = {"id": 7, "name": "UBND phường Chi Lăng", "width": 1920, "height": 1080}
    segments = [{"start": "2026-11-26T08:00:00Z", "items": [{"slide_id": 12, "duration_s": 15}]}]
    whole = {"board": board, "segments": segments, "poll_seconds": 30}
    text = json.dumps(whole, sort_keys=True, separators=(",", ":"))
    expected = hashlib.sha256(text.encode()).hexdigest()[:32]
    assert manifest_batch.version_of(board, segments, 30) == expected
    shared = manifest_batch.canonical(segments)
    assert manifest_batch.version_of(board, segments, 30, shared) == expected
    assert manifest_batch.version_of(board, segments, 15, shared) != expected
