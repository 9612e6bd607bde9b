"""Run the declared jobs on an APScheduler clock, only while this process holds the runner lock.

Two clocks run side by side: the tick takes or checks the lock and writes the active worker's
record (services/active_worker.py), and the job clock runs whatever is due. A long job therefore
does not hold the record up, and the lock is checked while it runs. On SQLite, though, a job that
writes for a long time holds up every writer, the tick included: the record then goes stale and
the active worker can look gone until the job's transaction ends (docs/operations.md).

Each run is claimed (``last_run_at``) before it starts and marked finished after, in its record
(services/job_runs.py), so a restart never repeats a finished run, and a run cut short by the
death of its worker is run again by the next active worker rather than lost. The lock makes
that reading safe: only one worker runs jobs, so an unfinished run that the active worker finds
is not in progress anywhere.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import SQLAlchemyError

from signage.models import JobState, utcnow
from signage.runtime import Runtime
from signage.services import active_worker, job_runs
from signage.services.active_worker import Identity

from .election import Election, election_for
from .registry import JOBS, Job

log = logging.getLogger("signage.worker")

# How many times in a row a run cut short is run again before it waits for its next turn.
MAX_INTERRUPTED_RUNS = 2
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class Worker:
    def __init__(self, runtime: Runtime, jobs: tuple[Job, ...] = JOBS, tick_s: float = 5) -> None:
        self.runtime = runtime
        self.jobs = jobs
        self.tick_s = tick_s
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.name = f"{self.host}:{self.pid}"
        self.election: Election = election_for(runtime.db.engine)
        self.identity: Identity | None = None  # set while this process holds the runner lock

    @property
    def active(self) -> bool:
        return self.identity is not None

    def tick(self) -> None:
        """Take or keep the runner lock; while holding it, say so in the active worker's record."""
        was_active = self.active
        self._keep_lock()
        if self.active != was_active:
            log.warning("%s: %s", self.name, "active" if self.active else "standby")
        if self.active:
            self._record_tick()
        if self.active and not was_active:
            self._reconcile()

    def _keep_lock(self) -> None:
        try:
            holds = self.election.hold()
        except (SQLAlchemyError, OSError):
            # Unsure whether the lock is still ours: stand by rather than risk two runners.
            log.exception("%s: could not take or keep the runner lock", self.name)
            holds = False
        if not holds:
            self.identity = None
        elif self.identity is None:
            self.identity = Identity(self.host, self.pid, since=utcnow())

    def _record_tick(self) -> None:
        # The record only informs people: failing to write it changes nothing about who runs.
        try:
            with self.runtime.db.transaction() as session:
                active_worker.record_tick(session, self.identity, self.tick_s)
        except SQLAlchemyError:
            log.exception("%s: could not record its tick", self.name)

    def _reconcile(self) -> None:
        """Log the declared jobs and forget the runs of jobs no longer declared."""
        declared = [job.name for job in self.jobs]
        try:
            with self.runtime.db.transaction() as session:
                gone = job_runs.forget_undeclared(session, declared)
        except SQLAlchemyError:
            log.exception("%s: could not reconcile the job list", self.name)
            return
        listed = ", ".join(f"{job.name} every {job.every_s} s" for job in self.jobs)
        log.warning("%s: jobs: %s", self.name, listed)
        if gone:
            log.warning("%s: forgot the runs of jobs no longer declared: %s", self.name, gone)

    def run_due_jobs(self) -> None:
        for job in self.jobs:
            if not self.active:  # the lock was lost since the last job: leave the rest
                return
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
            job_runs.finished(session, job.name, error)
        log.warning("job %s: %s", job.name, summary)

    def _claim(self, job: Job) -> bool:
        """Mark a due or interrupted run as started; False when nothing is to run."""
        now = utcnow()
        with self.runtime.db.transaction() as session:
            state = job_runs.state_of(session, job.name)
            if _interrupted(state):
                if not _retry_interrupted(state, job):
                    return False
            elif not _due(state, job, now):
                return False
            state.last_run_at = now
        return True

    def run_forever(self) -> None:
        """Run until Ctrl-C or SIGTERM (how a service manager stops it)."""
        # The signals are blocked before any thread starts, so every thread inherits the mask,
        # and waited for below: raised as an exception wherever the process happened to be,
        # they could leave a scheduler lock held and the shutdown hanging.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        scheduler = BackgroundScheduler(timezone="UTC")
        for clock in (self.tick, self.run_due_jobs):
            scheduler.add_job(
                clock,
                "interval",
                seconds=self.tick_s,
                next_run_time=utcnow(),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
                id=clock.__name__,
            )
        log.warning("%s: standby, waiting for the runner lock", self.name)
        scheduler.start()
        try:
            signal.sigwait(STOP_SIGNALS)
        finally:
            # A job in progress finishes before the lock is let go: a standby taking over
            # now would find its run unfinished and start it a second time.
            scheduler.shutdown(wait=True)
            self._step_down()

    def _step_down(self) -> None:
        try:
            if self.active:
                with self.runtime.db.transaction() as session:
                    active_worker.forget(session, self.identity)
        except SQLAlchemyError:
            log.exception("%s: could not delete its record; it goes stale by itself", self.name)
        finally:
            self.identity = None
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
