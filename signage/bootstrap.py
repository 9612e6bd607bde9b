"""Prepare a data dir: folders, migrations and the built-in layouts."""

from __future__ import annotations

from pathlib import Path

from signage import locks, migrate
from signage.config import Settings, load_settings
from signage.runtime import Runtime
from signage.services import dayparts, layouts


def open_runtime(data_dir: Path | str | None = None) -> Runtime:
    """The runtime for a data dir, migrated to the newest schema."""
    settings: Settings = load_settings(data_dir)
    runtime = Runtime.from_settings(settings)
    # Web servers and workers on several machines may start at once on a fresh database: one
    # at a time migrates and adds the built-in layouts and dayparts; the others find them done.
    with locks.exclusive(runtime.db.engine, "bootstrap"):
        migrate.upgrade(runtime.db.engine)
        with runtime.db.transaction() as session:
            layouts.sync_builtin(session)
            dayparts.ensure_standard_dayparts(session)
    return runtime
