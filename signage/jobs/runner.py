"""Run the declared jobs on an APScheduler clock, only while this process holds the lease."""

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
        self.active = False

    def tick(self) -> None:
        """Renew or take the lease, then run whatever is due if this worker is the active one."""
        was_active = self.active
        try:
            self.active = lease.try_acquire(self.runtime.db, self.holder, self.lease_s)
        except SQLAlchemyError:
            # Unsure whether the lease is still ours: stand by rather than risk two runners.
            log.exception("%s: could not renew the lease", self.holder)
            self.active = False
        if self.active != was_active:
            log.warning("%s: %s", self.holder, "active" if self.active else "standby")
        if self.active:
            for job in self.jobs:
                self._run_if_due(job)

    def _run_if_due(self, job: Job) -> None:
        now = utcnow()
        with self.runtime.db.transaction() as session:
            state = session.get(JobState, job.name) or JobState(name=job.name)
            if state.last_run_at and now - state.last_run_at < timedelta(seconds=job.every_s):
                return
            state.last_run_at = now  # claimed before running: a crash mid-job is not repeated
            session.add(state)
        try:
            summary = job.run(self.runtime)
            error = None
        except Exception as exc:  # one failing job must not stop the others
            log.exception("job %s failed", job.name)
            summary, error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        with self.runtime.db.transaction() as session:
            session.get(JobState, job.name).last_error = error
        log.warning("job %s: %s", job.name, summary)

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
        log.warning("%s: standby, waiting for the lease", self.holder)
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if self.active:
                lease.release(self.runtime.db, self.holder)
