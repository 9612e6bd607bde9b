"""The in-memory snapshot behind fast manifest revalidation: what it vouches for, and how soon
it sees a change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from signage.db import Database
from signage.models.base import utcnow
from signage.services import boards, manifests
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
