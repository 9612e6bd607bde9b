"""Servers and workers started together on a fresh database: one at a time migrates and adds the
built-in layouts, and every one of them starts."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import func, select

from signage.models import Layout
from signage.rendering import builtin_layouts

START = "from signage.bootstrap import open_runtime; open_runtime()"


def test_processes_starting_together_on_a_fresh_database_all_start(tmp_path, database):
    url = database.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "SIGNAGE_DATA_DIR": str(tmp_path), "SIGNAGE_DATABASE_URL": url}
    starting = [
        subprocess.Popen([sys.executable, "-c", START], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in starting]
    assert [p.returncode for p in starting] == [0] * 4, "\n".join(errors)
    with database.sessions() as session:
        layouts = session.scalar(select(func.count()).select_from(Layout))
    assert layouts == len(builtin_layouts())  # each added once
