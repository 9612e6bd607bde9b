"""Real `signage worker` processes: exactly one is active, a standby takes over as soon as the
active one dies, and a restart neither repeats a finished run nor loses an interrupted one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from signage import migrate
from signage.jobs import lease
from signage.models import JobState, utcnow

LEASE_S = 4.0
TICK_S = 0.3


def start_worker(tmp_path: Path, url: str, name: str) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    env = {**os.environ, "SIGNAGE_DATA_DIR": str(tmp_path), "SIGNAGE_DATABASE_URL": url}
    command = [
        sys.executable,
        "-m",
        "signage.cli",
        "worker",
        "--tick",
        str(TICK_S),
        "--lease",
        str(LEASE_S),
    ]
    with log.open("w") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return process, log


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def wait_for_or_none(predicate, timeout: float):
    try:
        return wait_for(predicate, timeout)
    except AssertionError:
        return None


def workers_log(workers, process) -> str:
    return next(log for p, log in workers if p is process).read_text()[-3000:]


@pytest.fixture
def migrated(database):
    migrate.upgrade(database.engine)
    return database


def holder_pid(db) -> int | None:
    holder = lease.current_holder(db)
    return int(holder.split(":")[1]) if holder else None


def test_exactly_one_worker_is_active_and_a_standby_takes_over(tmp_path, migrated):
    url = migrated.engine.url.render_as_string(hide_password=False)
    workers = [start_worker(tmp_path, url, f"w{i}") for i in range(2)]
    try:
        active_pid = wait_for(lambda: holder_pid(migrated))
        time.sleep(LEASE_S * 1.5)  # several renewals: the lease must not flap between them
        assert holder_pid(migrated) == active_pid
        logs = {p.pid: log.read_text() for p, log in workers}
        assert sum(": active" in text for text in logs.values()) == 1
        assert ": active" in logs[active_pid]

        with migrated.sessions() as session:
            ran = {s.name for s in session.query(JobState) if s.last_run_at}
        assert {"render_due", "refresh_manifests", "prune_pairings"} <= ran

        active = next(p for p, _ in workers if p.pid == active_pid)
        active.kill()
        active.wait()
        standby = next(p for p, _ in workers if p.pid != active_pid)
        taken_at = time.monotonic()
        # The lock dies with its holder: the standby needs only its next tick (and the
        # database noticing the closed connection), not a lease running out.
        took_over = wait_for_or_none(lambda: holder_pid(migrated) == standby.pid, 10)
        assert took_over, "standby did not take over; its log:\n" + workers_log(workers, standby)
        assert time.monotonic() - taken_at <= 3.0
    finally:
        for process, _ in workers:
            process.kill()
            process.wait()


def test_a_due_job_runs_once_across_restarts(tmp_path, migrated):
    """last_run_at is claimed before the job runs, so a restart does not repeat a run."""
    url = migrated.engine.url.render_as_string(hide_password=False)
    process, _ = start_worker(tmp_path, url, "first")
    try:
        wait_for(lambda: _last_run(migrated, "prune_pairings"))
    finally:
        process.kill()
        process.wait()
    first_run = _last_run(migrated, "prune_pairings")
    process, _ = start_worker(tmp_path, url, "second")
    try:
        wait_for(lambda: holder_pid(migrated) == process.pid)
        time.sleep(1.0)
        assert _last_run(migrated, "prune_pairings") == first_run  # hourly job: not due again
        assert _last_run(migrated, "render_due") is not None
    finally:
        process.kill()
        process.wait()


def test_a_run_cut_short_is_run_again_by_the_next_worker(tmp_path, migrated):
    """A worker that died mid-job left a started run without an end: it is not lost."""
    cut_short_at = utcnow() - timedelta(minutes=5)
    with migrated.transaction() as session:
        session.add(JobState(name="prune_pairings", last_run_at=cut_short_at, finished_at=None))
    url = migrated.engine.url.render_as_string(hide_password=False)
    process, log = start_worker(tmp_path, url, "next")
    try:
        wait_for(lambda: (_state(migrated, "prune_pairings") or (None, None))[1])
        started, finished = _state(migrated, "prune_pairings")
        assert started > cut_short_at and finished >= started  # hourly job, run again at once
        assert "was cut short" in log.read_text()
    finally:
        process.kill()
        process.wait()


def _state(db, name: str):
    with db.sessions() as session:
        state = session.get(JobState, name)
        return (state.last_run_at, state.finished_at) if state else None


def _last_run(db, name: str):
    with db.sessions() as session:
        state = session.get(JobState, name)
        return state.last_run_at if state else None
