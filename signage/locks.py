"""Database-wide locks between processes: PostgreSQL advisory locks, or on SQLite, which lives
on one host, `flock` on a file beside the database. Both go away when their process dies."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine


def lock_key(schema: str, name: str) -> int:
    """A signed 64-bit advisory lock key; deployments in different schemas do not collide."""
    digest = hashlib.sha256(f"signage:{name}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def schema_key(connection: Connection, name: str) -> int:
    return lock_key(connection.scalar(text("SELECT current_schema()")), name)


def lock_file(engine: Engine, name: str) -> Path:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        raise RuntimeError(f"no lock file for a {engine.dialect.name} database at {database!r}")
    return Path(database).with_suffix(f".{name}-lock")


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[None]:
    """Wait for, then hold, the lock ``name`` for the whole deployment."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            key = schema_key(connection, name)
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            connection.commit()
            try:
                yield
            finally:
                _unlock(connection, key)
        return
    fd = os.open(lock_file(engine, name), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _unlock(connection: Connection, key: int) -> None:
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.commit()
    except Exception:
        # Never hand a connection that may still hold the lock back to the pool: closing the
        # session is what surely lets it go.
        connection.invalidate()
        raise
