"""The in-memory snapshot behind fast manifest revalidation: what it vouches for, and how soon
it sees a change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from signage.db import Database
from signage.models.base import utcnow
from signage.services import boards, manifests, revalidation
from signage.services.revalidation import RevalidationSnapshot
from signage.services.secrets import token_digest


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def snapshot(runtime, clock) -> RevalidationSnapshot:
    return RevalidationSnapshot(runtime.db, max_age_s=1.0, clock=clock)


@pytest.fixture
def board_with_manifest(runtime):
    with runtime.db.transaction() as session:
        board, token = boards.create_board(session, "Bảng LED chợ Đông Kinh", 384, 192)
        built = manifests.current(session, runtime.store, board, 48, 30)
        return board.id, token, built.version


def _rebuild_with_new_version(runtime, board_id: int) -> str:
    with runtime.db.transaction() as session:
        board = boards.get_board(session, board_id)
        board.name = "Bảng LED chợ Kỳ Lừa"  # the name is in the manifest, so the version changes
        manifests.invalidate(session, [board_id])
        return manifests.current(session, runtime.store, board, 48, 30).version


def test_a_board_token_finds_its_current_manifest_version(snapshot, board_with_manifest):
    board_id, token, version = board_with_manifest
    known = snapshot.lookup(token_digest(token))
    assert (known.board_id, known.version) == (board_id, version)
    assert snapshot.lookup(token_digest("sgb_not-a-token")) is None


def test_a_new_version_is_seen_once_the_max_age_has_passed(
    runtime, snapshot, clock, board_with_manifest
):
    board_id, token, old = board_with_manifest
    snapshot.lookup(token_digest(token))
    new = _rebuild_with_new_version(runtime, board_id)
    assert new != old

    clock.now += 0.5
    assert snapshot.lookup(token_digest(token)).version == old
    clock.now += 0.6
    assert snapshot.lookup(token_digest(token)).version == new


def test_a_rotated_token_stops_being_vouched_for_within_the_max_age(
    runtime, snapshot, clock, board_with_manifest
):
    board_id, token, _ = board_with_manifest
    assert snapshot.lookup(token_digest(token)) is not None
    with runtime.db.transaction() as session:
        new_token = boards.rotate_token(session, boards.get_board(session, board_id))

    clock.now += 1.1
    assert snapshot.lookup(token_digest(token)) is None
    assert snapshot.lookup(token_digest(new_token)).board_id == board_id


def test_a_board_without_a_cached_manifest_is_left_to_the_full_path(runtime, snapshot):
    with runtime.db.transaction() as session:
        _, token = boards.create_board(session, "Bảng mới", 1920, 1080)
    assert snapshot.lookup(token_digest(token)) is None


def test_freshness_ends_when_the_manifest_needs_its_rebuild(snapshot, board_with_manifest):
    _, token, _ = board_with_manifest
    known = snapshot.lookup(token_digest(token))
    rebuild_due = utcnow() + timedelta(hours=48) - manifests.MIN_REMAINING
    assert abs(known.fresh_until - rebuild_due.timestamp()) < 60


def test_an_unreadable_database_vouches_for_nothing(tmp_path, clock):
    broken = Database(f"sqlite:///{tmp_path / 'missing-dir' / 'signage.db'}")
    snapshot = RevalidationSnapshot(broken, max_age_s=1.0, clock=clock)
    assert snapshot.lookup(token_digest("sgb_anything")) is None
    broken.dispose()


def _counting_reads(monkeypatch, clock, seconds_a_read: float = 0.0, fail: bool = False):
    """Replace the snapshot read: it takes ``seconds_a_read`` on the fake clock, or fails."""
    reads = []

    def read(_db):
        reads.append(clock.now)
        clock.now += seconds_a_read
        if fail:
            raise OSError("database unreachable")
        return {}

    monkeypatch.setattr(revalidation, "read_snapshot", read)
    return reads


def test_a_slow_read_stretches_the_interval_but_never_past_its_cap(monkeypatch, snapshot, clock):
    reads = _counting_reads(monkeypatch, clock, seconds_a_read=0.5)  # 20× would be 10 s
    snapshot.lookup("x")
    clock.now += revalidation.MAX_INTERVAL_S - 0.6
    snapshot.lookup("x")
    assert len(reads) == 1
    clock.now += 0.2
    snapshot.lookup("x")
    assert len(reads) == 2


def test_while_a_re_read_is_under_way_an_old_snapshot_stops_being_vouched_for(
    snapshot, clock, board_with_manifest
):
    _, token, version = board_with_manifest
    assert snapshot.lookup(token_digest(token)).version == version
    with snapshot._reloading:  # another thread is re-reading, slowly
        clock.now += 1.5
        assert snapshot.lookup(token_digest(token)).version == version
        clock.now += 0.6
        assert snapshot.lookup(token_digest(token)) is None


def test_a_failing_read_is_tried_once_an_interval_and_vouches_for_nothing(
    monkeypatch, snapshot, clock
):
    reads = _counting_reads(monkeypatch, clock, fail=True)
    for _ in range(5):
        assert snapshot.lookup("x") is None
    assert len(reads) == 1
    clock.now += 1.0
    assert snapshot.lookup("x") is None
    assert len(reads) == 2


def test_without_a_max_age_every_lookup_reads(monkeypatch, runtime, clock):
    reads = _counting_reads(monkeypatch, clock)
    snapshot = RevalidationSnapshot(runtime.db, max_age_s=0.0, clock=clock)
    for _ in range(3):
        snapshot.lookup("x")
    assert len(reads) == 3
