"""Real `signage worker` processes: exactly one is active and says so in its record, a standby
takes over as soon as the active one dies, a clean stop forgets the record, and a restart neither
repeats a finished run nor loses an interrupted one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from polling import wait_until

from signage import migrate
from signage.jobs.registry import JOBS
from signage.models import JobState, utcnow
from signage.services import active_worker

TICK_S = 0.3
DECLARED = {job.name for job in JOBS}
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def start_worker(tmp_path: Path, url: str, name: str) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    env = {**os.environ, "SIGNAGE_DATA_DIR": str(tmp_path), "SIGNAGE_DATABASE_URL": url}
    command = [sys.executable, "-m", "signage.cli", "worker", "--tick", str(TICK_S)]
    with log.open("w") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return process, log


def stop(processes) -> None:
    for process in processes:
        process.kill()
        process.wait()


@pytest.fixture
def migrated(database):
    migrate.upgrade(database.engine)
    return database


def active_record(db) -> dict | None:
    with db.sessions() as session:
        return active_worker.describe(session)


def active_pid(db) -> int | None:
    record = active_record(db)
    return record["pid"] if record else None


def ticked_since(db, earlier: dict, ticks: int) -> dict | None:
    """The active worker's record once it has ticked ``ticks`` more times after ``earlier``."""
    record = active_record(db)
    if record is None:
        return None
    elapsed = instant(record["last_tick_at"]) - instant(earlier["last_tick_at"])
    return record if elapsed >= timedelta(seconds=ticks * TICK_S) else None


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_exactly_one_worker_is_active_and_a_standby_takes_over(tmp_path, migrated):
    url = migrated.engine.url.render_as_string(hide_password=False)
    workers = [start_worker(tmp_path, url, f"w{i}") for i in range(2)]
    try:
        first = wait_until(lambda: active_record(migrated))
        wait_until(lambda: _started_jobs(migrated) >= DECLARED)
        # Several ticks later the same worker is active, and has been since the same instant.
        later = wait_until(lambda: ticked_since(migrated, first, ticks=3))
        assert (later["pid"], later["since"]) == (first["pid"], first["since"])
        logs = {p.pid: log.read_text() for p, log in workers}
        assert sum(": active" in text for text in logs.values()) == 1
        assert ": active" in logs[first["pid"]]

        active = next(p for p, _ in workers if p.pid == first["pid"])
        standby, standby_log = next((p, log) for p, log in workers if p is not active)
        stop([active])
        killed_at = time.monotonic()
        # The lock dies with its holder: the standby needs only its next tick (and the
        # database noticing the closed connection), not a lease running out.
        wait_until(lambda: active_pid(migrated) == standby.pid, timeout=10)
        took = time.monotonic() - killed_at
        assert took <= 3.0, f"took {took:.1f} s:\n" + standby_log.read_text()[-3000:]
    finally:
        stop(p for p, _ in workers)


def test_the_active_worker_says_who_it_is_and_a_clean_stop_forgets_it(tmp_path, migrated):
    url = migrated.engine.url.render_as_string(hide_password=False)
    process, log = start_worker(tmp_path, url, "only")
    try:
        record = wait_until(lambda: active_record(migrated))
        assert (record["host"], record["pid"]) == (socket.gethostname(), process.pid)
        assert instant(record["since"]) <= instant(record["last_tick_at"]) <= utcnow()
        process.send_signal(signal.SIGTERM)  # how a service manager stops it
        assert process.wait(timeout=20) == 0, log.read_text()[-3000:]
        assert active_record(migrated) is None
    finally:
        stop([process])


def test_a_due_job_runs_once_across_restarts(tmp_path, migrated):
    """last_run_at is claimed before the job runs, so a restart does not repeat a run."""
    url = migrated.engine.url.render_as_string(hide_password=False)
    process, _ = start_worker(tmp_path, url, "first")
    try:
        # Killed once its run has finished: a run cut short is meant to run again.
        wait_until(lambda: _finished_after(migrated, "prune_pairings", EPOCH))
    finally:
        stop([process])
    first_run = _last_run(migrated, "prune_pairings")
    process, _ = start_worker(tmp_path, url, "second")
    try:
        wait_until(lambda: active_pid(migrated) == process.pid)
        _wait_for_a_full_pass(migrated)
        assert _last_run(migrated, "prune_pairings") == first_run  # hourly job: not due again
    finally:
        stop([process])


def test_a_run_cut_short_is_run_again_by_the_next_worker(tmp_path, migrated):
    """A worker that died mid-job left a started run without an end: it is not lost."""
    cut_short_at = utcnow() - timedelta(minutes=5)
    with migrated.transaction() as session:
        session.add(JobState(name="prune_pairings", last_run_at=cut_short_at, finished_at=None))
    url = migrated.engine.url.render_as_string(hide_password=False)
    process, log = start_worker(tmp_path, url, "next")
    try:
        wait_until(lambda: (_state(migrated, "prune_pairings") or (None, None))[1])
        started, finished = _state(migrated, "prune_pairings")
        assert started > cut_short_at and finished >= started  # hourly job, run again at once
        assert "was cut short" in log.read_text()
    finally:
        stop([process])


def _wait_for_a_full_pass(db) -> None:
    """Wait until the active worker has been through every declared job at least once more.
    render_due, the first job, is made due twice: its second run starts only after the pass
    that made its first run has ended."""
    for _ in range(2):
        made_due_at = _make_due(db, "render_due")
        wait_until(lambda since=made_due_at: _finished_after(db, "render_due", since))


def _make_due(db, name: str) -> datetime:
    an_hour_ago = utcnow() - timedelta(hours=1)
    with db.transaction() as session:
        session.merge(JobState(name=name, last_run_at=an_hour_ago, finished_at=an_hour_ago))
    return an_hour_ago


def _finished_after(db, name: str, moment: datetime) -> bool:
    """Whether the job's latest run started and finished after ``moment``."""
    started, finished = _state(db, name) or (None, None)
    return started is not None and finished is not None and finished >= started > moment


def _started_jobs(db) -> set[str]:
    with db.sessions() as session:
        return {s.name for s in session.query(JobState) if s.last_run_at}


def _state(db, name: str):
    with db.sessions() as session:
        state = session.get(JobState, name)
        return (state.last_run_at, state.finished_at) if state else None


def _last_run(db, name: str):
    with db.sessions() as session:
        state = session.get(JobState, name)
        return state.last_run_at if state else None
