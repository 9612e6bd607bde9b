"""Electing the one active job runner with a lock that dies with its holder.

On PostgreSQL the active worker holds a session-level advisory lock on a connection kept for the
purpose; on SQLite, which lives on one host, it holds an exclusive lock on a file beside the
database. Either way the lock goes away the moment the holder's process dies (its connection or
file descriptor closes), so a standby takes over at its next tick, with no lease to run out.
A holder cut off from PostgreSQL by the network notices at its next tick and stands by; the
server drops the lost session after the TCP keepalive settings below (about 25 s).
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from signage.locks import lock_file, schema_key

log = logging.getLogger("signage.worker")

LOCK_NAME = "jobs"
KEEPALIVES = {"tcp_keepalives_idle": 10, "tcp_keepalives_interval": 5, "tcp_keepalives_count": 3}


class Election(Protocol):
    def hold(self) -> bool:
        """Take the lock, or check it is still held; True while this process is the runner."""

    def release(self) -> None: ...


def election_for(engine: Engine) -> Election:
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    try:
        return FileLock(lock_file(engine, "worker"))
    except RuntimeError:
        raise RuntimeError(
            f"no job runner election for the {engine.dialect.name} database"
        ) from None


class AdvisoryLock:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None

    def hold(self) -> bool:
        if self.connection is not None:
            return self._still_connected()
        connection = self.engine.connect()
        try:
            got = self._try_lock(connection)
        except Exception:
            connection.invalidate()
            connection.close()
            raise
        if got:
            self.connection = connection
        else:
            connection.close()
        return got

    def _try_lock(self, connection: Connection) -> bool:
        for name, value in KEEPALIVES.items():
            connection.execute(text(f"SET {name} = {int(value)}"))
        key = schema_key(connection, LOCK_NAME)
        got = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        # The lock belongs to the session, not the transaction: end the transaction so the
        # connection does not sit "idle in transaction" for as long as the worker lives.
        connection.commit()
        return bool(got)

    def _still_connected(self) -> bool:
        try:
            self.connection.execute(text("SELECT 1"))
            self.connection.commit()
            return True
        except Exception:
            # The session, and with it the lock, is gone or in doubt: stand by.
            log.exception("lost the connection that holds the job runner lock")
            self.connection.invalidate()
            self.connection.close()
            self.connection = None
            return False

    def release(self) -> None:
        if self.connection is not None:
            # Disconnect rather than return it to the pool, where the session and its lock
            # would live on.
            self.connection.invalidate()
            self.connection.close()
            self.connection = None


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def hold(self) -> bool:
        if self.fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the lock
            self.fd = None
