"""A lease in the database elects the one active worker; standbys take over when it lapses."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, text, update
from sqlalchemy.exc import IntegrityError

from signage.db import Database
from signage.models import WorkerLease, utcnow

LEASE_NAME = "jobs"


def try_acquire(db: Database, holder: str, ttl_s: float) -> bool:
    """Take or renew the lease; True while this holder is the active worker."""
    now = utcnow()
    expires = now + timedelta(seconds=ttl_s)
    with db.transaction() as session:
        if session.bind.dialect.name == "postgresql":
            # Never wait long behind a lock: a tick that hangs would stall this worker for good.
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
        result = session.execute(
            update(WorkerLease)
            .where(
                WorkerLease.name == LEASE_NAME,
                or_(WorkerLease.holder == holder, WorkerLease.expires_at < now),
            )
            .values(holder=holder, expires_at=expires)
        )
        if result.rowcount == 1:
            return True
        if session.get(WorkerLease, LEASE_NAME) is not None:
            return False
    try:
        with db.transaction() as session:
            session.add(WorkerLease(name=LEASE_NAME, holder=holder, expires_at=expires))
    except IntegrityError:
        return False  # another worker created it first
    return True


def release(db: Database, holder: str) -> None:
    with db.transaction() as session:
        session.execute(
            update(WorkerLease)
            .where(WorkerLease.name == LEASE_NAME, WorkerLease.holder == holder)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )


def current_holder(db: Database) -> str | None:
    with db.sessions() as session:
        lease = session.get(WorkerLease, LEASE_NAME)
        return lease.holder if lease and lease.expires_at > utcnow() else None
