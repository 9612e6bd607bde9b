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
        log.warning("job %s: %s", job.name, summary)

    def _claim(self, job: Job) -> bool:
        """Mark a due or interrupted run as started; False when nothing is due."""
        now = utcnow()
        with self.runtime.db.transaction() as session:
            state = session.get(JobState, job.name) or JobState(name=job.name)
            if not _due(state, job, now):
                return False
            if _interrupted(state):
                log.warning(
                    "job %s: its run of %s was cut short; running it again",
                    job.name,
                    state.last_run_at.isoformat(),
                )
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
            if self.active:
                lease.release(self.runtime.db, self.holder)
            self.election.release()


def _interrupted(state: JobState) -> bool:
    started, finished = state.last_run_at, state.finished_at
    return started is not None and (finished is None or finished < started)


def _due(state: JobState, job: Job, now) -> bool:
    if state.last_run_at is None or _interrupted(state):
        return True
    return now - state.last_run_at >= timedelta(seconds=job.every_s)
