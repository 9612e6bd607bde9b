"""Services behind the player protocol: manifests, pairing, plays and heartbeats."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from signage.models import Board, Heartbeat, Manifest, Pairing, Play, Slide, SlideRevision
from signage.services import boards, manifests, pairing, plays, programming, slides
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
    "change",
    [{"duration_s": float("nan")}, {"duration_s": True}, {"slide_id": 0}, {"sha256": "AB" * 32}],
)
def test_ingest_refuses_odd_values(session, board, change):
    with pytest.raises(ValidationFailed):
        plays.ingest(session, board, {"plays": [_play(**change)]})


def test_a_heartbeat_is_recorded_and_shown_on_the_board(session, board):
    boards.record_heartbeat(
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
        boards.record_heartbeat(session, board, {"screen": {"width": "wide"}})
    assert caught.value.details[0]["field"] == "screen.width"
    assert session.scalars(select(Heartbeat)).all() == [] and board.last_seen_at is None


def test_an_edit_of_an_approved_slide_keeps_the_playing_revision(session):
    slide = _approved(session, "Bản đầu")
    revision = slides.edit_slide(session, slide, {"fields": {"title": "Bản hai"}}, None)
    assert (revision.number, revision.status) == (2, "draft")
    assert slide.playable.number == 1 and slide.playable.fields["title"] == "Bản đầu"
    assert session.scalar(select(SlideRevision).where(SlideRevision.number == 1)).status == (
        "approved"
    )
