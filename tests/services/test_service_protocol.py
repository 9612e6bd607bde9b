"""Services behind the player protocol: manifests, pairing, plays and heartbeats."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from signage.models import Board, Heartbeat, Manifest, Pairing, Play, Slide, SlideRevision
from signage.services import (
    board_health,
    boards,
    manifests,
    pairing,
    plays,
    programming,
    reports,
    slides,
)
from signage.services.errors import NotFound, ValidationFailed

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _layout_id(session) -> int:
    from signage.services.layouts import current_layouts

    return next(x.id for x in current_layouts(session) if x.key == "announcement")


def _approved(session, title: str) -> Slide:
    slide = slides.create_slide(
        session, {"layout_id": _layout_id(session), "fields": {"title": title}}, None
    )
    slides.submit(session, slide, None)
    slides.approve(session, slide, None)
    return slide


@pytest.fixture
def board(session) -> Board:
    made, _ = boards.create_board(session, "Bảng LED", 384, 192)
    session.commit()
    return made


def _schedule_always(session, board: Board, slide: Slide) -> None:
    playlist = programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": slide.id}]}, None
    )
    programming.create_schedule(
        session,
        {
            "playlist_id": playlist.id,
            "targets": {"boards": [board.id]},
            "starts_at": "2020-01-01T00:00:00Z",
        },
        None,
    )


def test_the_version_ignores_when_the_manifest_was_built(session, runtime, board):
    _schedule_always(session, board, _approved(session, "Luôn phát"))
    first = manifests.build(session, runtime.store, board, NOW, 48, 30)
    version, segments = first.version, first.body["segments"]
    later = manifests.build(session, runtime.store, board, NOW + timedelta(hours=5), 48, 30)
    assert later.version == version and later.body["segments"] == segments
    assert later.generated_at == NOW + timedelta(hours=5)
    assert manifests.build(session, runtime.store, board, NOW, 48, 15).version != version


def test_segments_cover_the_whole_horizon(session, runtime, board):
    manifest = manifests.build(session, runtime.store, board, NOW, 48, 30)
    body = manifests.response_body(manifest)
    assert manifest.valid_until - manifest.generated_at == timedelta(hours=48)
    first, last = body["segments"][0], body["segments"][-1]
    assert first["start"] <= manifests.iso(NOW) and last["end"] >= manifests.iso(
        NOW + timedelta(hours=48)
    )
    assert all(segment["items"] for segment in body["segments"])


def test_the_cache_is_rebuilt_when_its_horizon_runs_short(session, runtime, board):
    built_at = datetime.now(UTC) - timedelta(hours=20)
    stale = manifests.build(session, runtime.store, board, built_at, 48, 30)
    session.commit()
    assert stale.valid_until - datetime.now(UTC) < manifests.MIN_REMAINING
    fresh = manifests.current(session, runtime.store, board, 48, 30)
    assert fresh.generated_at > built_at + timedelta(hours=19)
    assert manifests.refresh_due(session, runtime.store, 48, 30) == 0
    manifests.invalidate(session, [board.id])
    assert manifests.refresh_due(session, runtime.store, 48, 30) == 1


def test_a_manifest_stored_meanwhile_by_another_process_is_updated(session, runtime, board):
    """Two builders may both find no cached row; the second one must not fail."""
    with runtime.db.transaction() as other:
        manifests.build(other, runtime.store, other.get(Board, board.id), NOW, 48, 30)
    real_get = session.get

    def blind_get(model, ident, **kwargs):
        if model is Manifest and not kwargs:
            return None  # as if the other process had not committed yet
        return real_get(model, ident, **kwargs)

    session.get = blind_get
    try:
        built = manifests.build(session, runtime.store, board, NOW + timedelta(hours=1), 48, 30)
    finally:
        del session.get
    session.commit()
    assert built.generated_at == NOW + timedelta(hours=1)
    rows = session.scalars(select(Manifest)).all()
    assert len(rows) == 1 and rows[0].generated_at == NOW + timedelta(hours=1)


def test_a_rule_that_no_longer_fits_the_board_is_skipped_not_fatal(session, runtime, board):
    slide = _approved(session, "Chỉ thứ ba")
    playlist = programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": slide.id}]}, None
    )
    programming.create_schedule(
        session,
        {
            "playlist_id": playlist.id,
            "targets": {"boards": [board.id]},
            "starts_at": "2030-01-01T00:00:00Z",
            "rrule": "FREQ=DAILY;BYDAY=TU;UNTIL=20300101T120000",
        },
        None,
    )
    board.timezone = "Pacific/Honolulu"  # moved after the schedule was checked
    session.flush()
    manifest = manifests.build(session, runtime.store, board, NOW, 48, 30)
    assert manifest.body["segments"] and all(s["items"] for s in manifest.body["segments"])


# Pairing -------------------------------------------------------------------------------------


def test_pairing_tokens_are_delivered_once(session, board):
    started = pairing.start(session)
    assert pairing.poll(session, started.id)["status"] == "pending"
    pairing.claim(session, started.code.lower(), board)
    delivered = pairing.poll(session, started.id)
    assert delivered["status"] == "claimed"
    assert boards.board_for_token(session, delivered["token"]).id == board.id
    assert session.get(Pairing, started.id).pending_token is None
    with pytest.raises(NotFound):
        pairing.poll(session, started.id)


def test_pairing_codes_expire(session, board):
    started = pairing.start(session)
    started.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with pytest.raises(ValidationFailed):
        pairing.claim(session, started.code, board)
    with pytest.raises(NotFound):
        pairing.poll(session, started.id)
    with pytest.raises(ValidationFailed):
        pairing.claim(session, 42, board)


# Plays and heartbeats ------------------------------------------------------------------------


def _play(**change) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "slide_id": 3,
        "sha256": "ab" * 32,
        "started_at": "2026-11-26T15:00:00+07:00",
        "duration_s": 12.5,
        **change,
    }


def test_ingest_counts_repeats_within_and_across_batches(session, board):
    one, two = _play(), _play()
    assert plays.ingest(session, board, {"plays": [one, two, one]}) == (2, 1)
    assert plays.ingest(session, board, {"plays": [two, _play()]}) == (1, 1)
    stored = session.get(Play, one["id"])
    assert stored.started_at == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert stored.duration_s == 12.5 and stored.board_id == board.id


def test_ingest_normalises_play_ids(session, board):
    play = _play()
    shouting = {**play, "id": play["id"].upper()}
    assert plays.ingest(session, board, {"plays": [play]}) == (1, 0)
    assert plays.ingest(session, board, {"plays": [shouting]}) == (0, 1)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"duration_s": float("nan")}, "plays[0].duration_s", "not_a_duration"),
        ({"duration_s": True}, "plays[0].duration_s", "not_a_duration"),
        ({"slide_id": 0}, "plays[0].slide_id", "out_of_range"),
        ({"sha256": "AB" * 32}, "plays[0].sha256", "not_a_sha256"),
        ({"id": "play-1"}, "plays[0].id", "not_a_uuid"),
    ],
)
def test_ingest_refuses_odd_values(session, board, change, field, code):
    with pytest.raises(ValidationFailed) as caught:
        plays.ingest(session, board, {"plays": [_play(**change)]})
    assert [(d["field"], d["code"]) for d in caught.value.details] == [(field, code)]


def test_a_batch_must_be_a_list_of_at_most_1000_plays(session, board):
    for payload, code in (({"plays": "many"}, "not_a_list"), ([], "not_a_list")):
        with pytest.raises(ValidationFailed) as caught:
            plays.ingest(session, board, payload)
        assert caught.value.details == [{"field": "plays", "code": code}]
    with pytest.raises(ValidationFailed) as caught:
        plays.ingest(session, board, {"plays": [_play() for _ in range(1001)]})
    assert caught.value.details == [
        {"field": "plays", "code": "too_many", "count": 1001, "limit": 1000}
    ]


def test_a_heartbeat_is_recorded_and_shown_on_the_board(session, board):
    board_health.record_heartbeat(
        session,
        board,
        {
            "player_version": " web-2 ",
            "current": {"slide_id": 4, "sha256": "cd" * 32},
            "screen": {"width": 384, "height": 192},
            "uptime_s": 60,
        },
    )
    session.flush()
    beat = session.scalars(select(Heartbeat)).one()
    assert (beat.player_version, beat.slide_id, beat.uptime_s) == ("web-2", 4, 60)
    assert (board.screen_width, board.screen_height, board.current_sha256) == (384, 192, "cd" * 32)
    assert board.last_seen_at is not None


def test_a_bad_heartbeat_records_nothing(session, board):
    with pytest.raises(ValidationFailed) as caught:
        board_health.record_heartbeat(session, board, {"screen": {"width": "wide"}})
    assert caught.value.details == [{"field": "screen.width", "code": "not_an_integer"}]
    assert session.scalars(select(Heartbeat)).all() == [] and board.last_seen_at is None


def test_an_edit_of_an_approved_slide_keeps_the_playing_revision(session):
    slide = _approved(session, "Bản đầu")
    revision = slides.edit_slide(session, slide, {"fields": {"title": "Bản hai"}}, None)
    assert (revision.number, revision.status) == (2, "draft")
    assert slide.playable.number == 1 and slide.playable.fields["title"] == "Bản đầu"
    assert session.scalar(select(SlideRevision).where(SlideRevision.number == 1)).status == (
        "approved"
    )


# Reports --------------------------------------------------------------------------------------

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_report_covers_whole_local_days(session):
    today = date(2026, 11, 26)
    assert reports.period(None, "", HANOI, today) == (date(2026, 11, 20), today)
    assert reports.period("2026-11-01", "2026-11-03", HANOI, today) == (
        date(2026, 11, 1),
        date(2026, 11, 3),
    )
    start, end = reports.day_window(today, today, HANOI)
    assert start == datetime(2026, 11, 25, 17, 0, tzinfo=UTC) and end - start == timedelta(days=1)


@pytest.mark.parametrize(
    ("first", "last", "field", "code"),
    [
        ("26/11/2026", None, "from", "not_a_date"),
        (None, "9999-12-31", "to", "date_out_of_range"),
        ("0001-01-01", None, "from", "date_out_of_range"),
        ("2026-11-20", "2026-11-10", "to", "before_first_day"),
    ],
)
def test_a_bad_report_day_is_named(first, last, field, code):
    with pytest.raises(ValidationFailed) as caught:
        reports.period(first, last, HANOI, date(2026, 11, 26))
    assert [(d["field"], d["code"]) for d in caught.value.details] == [(field, code)]


def test_the_summary_names_boards_and_slides_and_counts_each_play_once(session, board):
    slide = _approved(session, "Tiếp công dân")
    batch = [_play(slide_id=slide.id), _play(slide_id=slide.id), _play(slide_id=None)]
    plays.ingest(session, board, {"plays": batch + batch[:1]})
    rows = reports.summary(session, None, None)
    assert [(r.board_name, r.slide_title, r.plays) for r in rows] == [
        ("Bảng LED", "Tiếp công dân", 2),
        ("Bảng LED", "", 1),  # the standby slide, which has no title
    ]
    assert reports.totals(rows) == {"plays": 3, "seconds": 37.5}
