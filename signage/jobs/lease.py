"""Who the active worker is, for people and tests to see. The lock in `election.py` decides
who runs; this row only announces it, renewed on every tick while the holder is alive."""

from __future__ import annotations

from datetime import timedelta

from signage.db import Database
from signage.models import WorkerLease, utcnow

LEASE_NAME = "jobs"


def announce(db: Database, holder: str, ttl_s: float) -> None:
    with db.transaction() as session:
        row = session.get(WorkerLease, LEASE_NAME) or WorkerLease(name=LEASE_NAME)
        row.holder = holder
        row.expires_at = utcnow() + timedelta(seconds=ttl_s)
        session.add(row)


def release(db: Database, holder: str) -> None:
    with db.transaction() as session:
        row = session.get(WorkerLease, LEASE_NAME)
        if row is not None and row.holder == holder:
            row.expires_at = utcnow() - timedelta(seconds=1)


def current_holder(db: Database) -> str | None:
    with db.sessions() as session:
        row = session.get(WorkerLease, LEASE_NAME)
        return row.holder if row and row.expires_at > utcnow() else None
