"""Run the declared jobs on an APScheduler clock, only while this process holds the runner lock.

Each run is claimed (``last_run_at``) before it starts and marked finished after, so a restart
never repeats a finished run, and a run cut short by the death of its worker is run again by the
next active worker rather than lost. The lock makes that reading safe: only one worker runs jobs,
so an unfinished run that the active worker finds is not in progress anywhere.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.exc import SQLAlchemyError

from signage.models import JobState, utcnow
from signage.runtime import Runtime

from . import lease
from .election import Election, election_for
from .registry import JOBS, Job

log = logging.getLogger("signage.worker")

# How many times in a row a run cut short is run again before it waits for its next turn.
MAX_INTERRUPTED_RUNS = 2


class Worker:
    def __init__(
        self, runtime: Runtime, jobs: tuple[Job, ...] = JOBS, tick_s: float = 5, lease_s: float = 20
    ) -> None:
        self.runtime = runtime
        self.jobs = jobs
        self.tick_s = tick_s
        self.lease_s = lease_s
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.election: Election = election_for(runtime.db.engine)
        self.active = False

    def tick(self) -> None:
        """Take or keep the runner lock, then run whatever is due if this worker holds it."""
        was_active = self.active
        try:
            self.active = self.election.hold()
            if self.active:
                lease.announce(self.runtime.db, self.holder, self.lease_s)
        except (SQLAlchemyError, OSError):
            # Unsure whether the lock is still ours: stand by rather than risk two runners.
            log.exception("%s: could not take or keep the runner lock", self.holder)
            self.active = False
        if self.active != was_active:
            log.warning("%s: %s", self.holder, "active" if self.active else "standby")
        if self.active:
            for job in self.jobs:
                self._run_if_due(job)

    def _run_if_due(self, job: Job) -> None:
        if not self._claim(job):
            return
        try:
            summary = job.run(self.runtime)
            error = None
        except Exception as exc:  # one failing job must not stop the others
            log.exception("job %s failed", job.name)
            summary, error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        with self.runtime.db.transaction() as session:
            state = session.get(JobState, job.name)
            state.finished_at = utcnow()
            state.last_error = error
            state.interrupted_runs = 0
        log.warning("job %s: %s", job.name, summary)

    def _claim(self, job: Job) -> bool:
        """Mark a due or interrupted run as started; False when nothing is to run."""
        now = utcnow()
        with self.runtime.db.transaction() as session:
            state = session.get(JobState, job.name) or JobState(name=job.name, interrupted_runs=0)
            if _interrupted(state):
                if not _retry_interrupted(state, job):
                    return False
            elif not _due(state, job, now):
                return False
            state.last_run_at = now
            session.add(state)
        return True

    def run_forever(self) -> None:
        scheduler = BlockingScheduler(timezone="UTC")
        scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.tick_s,
            next_run_time=utcnow(),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            id="tick",
        )
        log.warning("%s: standby, waiting for the runner lock", self.holder)
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if scheduler.running:
                # A job in progress finishes before the lock is let go: a standby taking over
                # now would find its run unfinished and start it a second time.
                scheduler.shutdown(wait=True)
            if self.active:
                lease.release(self.runtime.db, self.holder)
            self.election.release()


def _interrupted(state: JobState) -> bool:
    started, finished = state.last_run_at, state.finished_at
    return started is not None and (finished is None or finished < started)


def _due(state: JobState, job: Job, now) -> bool:
    if state.last_run_at is None:
        return True
    return now - state.last_run_at >= timedelta(seconds=job.every_s)


def _retry_interrupted(state: JobState, job: Job) -> bool:
    """True to run a cut-short run again. A job that keeps killing its worker (a crash in a
    library, memory running out) is given up after a few tries, until it is next due, so it
    cannot keep every worker crashing and the other jobs from running."""
    state.interrupted_runs = (state.interrupted_runs or 0) + 1
    started = state.last_run_at.isoformat()
    if state.interrupted_runs > MAX_INTERRUPTED_RUNS:
        log.error(
            "job %s: cut short %d times in a row; waiting until it is next due",
            job.name,
            state.interrupted_runs,
        )
        state.finished_at = state.last_run_at
        state.last_error = f"cut short {state.interrupted_runs} times in a row"
        state.interrupted_runs = 0
        return False
    log.warning("job %s: its run of %s was cut short; running it again", job.name, started)
    return True
