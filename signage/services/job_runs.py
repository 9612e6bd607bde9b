"""The recorded runs of the periodic jobs (table ``job_state``): when each last started and
finished, so a restarted worker neither repeats a finished run nor loses one cut short. The
worker (jobs/runner.py) decides what is due; this module only reads and writes the records."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from signage.models import JobState, utcnow


def state_of(session: Session, name: str) -> JobState:
    """The job's record, or a new one (added to the session) for a job that never ran."""
    state = session.get(JobState, name)
    if state is None:
        state = JobState(name=name, interrupted_runs=0)
        session.add(state)
    return state


def finished(session: Session, name: str, error: str | None) -> None:
    """Mark the job's current run finished, with the error that ended it, if any."""
    state = state_of(session, name)
    state.finished_at = utcnow()
    state.last_error = error
    state.interrupted_runs = 0


def forget_undeclared(session: Session, declared: Iterable[str]) -> list[str]:
    """Delete the records of jobs no longer declared; returns their names. An older release
    still running as the active worker may forget a newer job: that job then merely runs once at
    the next takeover, as if it had never run."""
    declared = list(declared)
    gone = list(session.scalars(select(JobState.name).where(JobState.name.not_in(declared))))
    if gone:
        session.execute(delete(JobState).where(JobState.name.in_(gone)))
    return gone
