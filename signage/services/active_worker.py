"""The active worker's record: which process runs the periodic jobs, since when, and when it last
ticked. The runner lock (jobs/election.py) decides who runs; its holder writes this row on every
tick so that people, and `/healthz`, can see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from signage.models import ActiveWorker, utcnow

from .manifests import iso

RUNNER = "jobs"  # the runner lock the record is about (election.LOCK_NAME)
# A worker counts as gone once it has missed this many ticks, as a board goes offline after
# three missed heartbeats...
MISSED_TICKS = 3
# ...but never sooner than this: the worker's clock and the reader's may be on different hosts,
# and a busy database can hold a tick up for a few seconds.
SHORTEST_SILENCE_S = 15.0


@dataclass(frozen=True)
class Identity:
    """One worker process, from the moment it took the runner lock."""

    host: str
    pid: int
    since: datetime


def record_tick(session: Session, worker: Identity, tick_s: float) -> None:
    row = session.get(ActiveWorker, RUNNER) or ActiveWorker(name=RUNNER)
    row.host, row.pid, row.since = worker.host, worker.pid, worker.since
    row.last_tick_at = utcnow()
    row.tick_s = tick_s
    session.add(row)


def forget(session: Session, worker: Identity) -> None:
    """Drop the record of a worker that stops, unless a successor has already replaced it."""
    session.execute(
        delete(ActiveWorker).where(
            ActiveWorker.name == RUNNER,
            ActiveWorker.host == worker.host,
            ActiveWorker.pid == worker.pid,
            ActiveWorker.since == worker.since,
        )
    )


def describe(session: Session) -> dict | None:
    """The active worker as JSON, or None when none has ticked recently."""
    row = session.get(ActiveWorker, RUNNER)
    if row is None or _silent(row):
        return None
    return {
        "active": True,
        "host": row.host,
        "pid": row.pid,
        "since": iso(row.since),
        "last_tick_at": iso(row.last_tick_at),
    }


def _silent(row: ActiveWorker) -> bool:
    allowed = max(MISSED_TICKS * row.tick_s, SHORTEST_SILENCE_S)
    return utcnow() - row.last_tick_at > timedelta(seconds=allowed)
