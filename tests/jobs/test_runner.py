"""The runner's bookkeeping of runs, in-process: a finished run is never repeated, a run cut short
is run again, and a run that keeps being cut short is given up until it is next due."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from signage.jobs.registry import Job
from signage.jobs.runner import MAX_INTERRUPTED_RUNS, Worker
from signage.models import JobState, utcnow
from signage.services import active_worker
from signage.services.manifests import iso


@pytest.fixture
def ran() -> list:
    return []


@pytest.fixture
def worker(runtime, ran) -> Worker:
    job = Job("hourly", 3600, lambda _runtime: ran.append(1) or "done", "a test job")
    return Worker(runtime, jobs=(job,))


def _set_state(runtime, **values) -> None:
    with runtime.db.transaction() as session:
        session.merge(JobState(name="hourly", **values))


def _state(runtime) -> JobState:
    with runtime.db.sessions() as session:
        return session.get(JobState, "hourly")


def test_a_finished_run_is_not_repeated_before_it_is_due(runtime, worker, ran):
    now = utcnow()
    _set_state(runtime, last_run_at=now - timedelta(minutes=5), finished_at=now)
    worker._run_if_due(worker.jobs[0])
    assert ran == []


def test_a_run_cut_short_is_run_again_at_once(runtime, worker, ran):
    started = utcnow() - timedelta(minutes=5)
    _set_state(runtime, last_run_at=started, finished_at=None, interrupted_runs=0)
    worker._run_if_due(worker.jobs[0])
    assert ran == [1]
    state = _state(runtime)
    assert state.last_run_at > started and state.finished_at >= state.last_run_at
    assert state.interrupted_runs == 0 and state.last_error is None


def test_a_run_cut_short_again_and_again_waits_for_its_next_turn(runtime, worker, ran):
    started = utcnow() - timedelta(minutes=5)
    _set_state(
        runtime, last_run_at=started, finished_at=None, interrupted_runs=MAX_INTERRUPTED_RUNS
    )
    worker._run_if_due(worker.jobs[0])
    assert ran == []
    state = _state(runtime)
    assert state.finished_at == state.last_run_at == started
    assert state.last_error == f"cut short {MAX_INTERRUPTED_RUNS + 1} times in a row"
    worker._run_if_due(worker.jobs[0])
    assert ran == []  # not due until an hour after it started


def test_becoming_active_forgets_the_runs_of_jobs_no_longer_declared(runtime, worker, caplog):
    _set_state(runtime, last_run_at=utcnow(), finished_at=utcnow())
    with runtime.db.transaction() as session:
        session.add(JobState(name="retired_job", last_run_at=utcnow(), finished_at=utcnow()))
    try:
        worker.tick()
    finally:
        worker.election.release()
    with runtime.db.sessions() as session:
        assert [s.name for s in session.query(JobState)] == ["hourly"]
    assert "jobs: hourly every 3600 s" in caplog.text
    assert "forgot the runs of jobs no longer declared: ['retired_job']" in caplog.text


def test_a_standby_leaves_the_record_and_the_job_list_alone(runtime, worker):
    holder = Worker(runtime, jobs=worker.jobs)
    try:
        holder.tick()
        with runtime.db.transaction() as session:
            session.add(JobState(name="retired_job", last_run_at=utcnow(), finished_at=utcnow()))
        worker.tick()
        assert holder.active and not worker.active
    finally:
        holder.election.release()
    with runtime.db.sessions() as session:
        assert session.get(JobState, "retired_job") is not None
        record = active_worker.describe(session)
    assert (record["pid"], record["since"]) == (os.getpid(), iso(holder.identity.since))
