"""`signage quickstart`: one command from nothing to a running demo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click
from sqlalchemy import select

from signage import demo
from signage.bootstrap import open_runtime
from signage.jobs import tasks
from signage.models import Board, User
from signage.runtime import Runtime
from signage.services import accounts
from signage.services.secrets import new_password


def _ensure_admin(runtime: Runtime) -> str | None:
    """Create the admin account on first run; returns its password, which is never stored."""
    with runtime.db.transaction() as session:
        if session.scalar(select(User).where(User.username == "admin")):
            return None
        password = new_password()
        accounts.create_user(session, "admin", "admin", password)
        return password


def _seed(runtime: Runtime) -> list[tuple[Board, str]]:
    with runtime.db.transaction() as session:
        if not demo.is_empty(session):
            return []
        return demo.seed(session, runtime.store)


def _announce(base: str, password: str | None, seeded, runtime: Runtime) -> None:
    click.echo(f"\nSignage is running. Admin: {base}/  (user: admin)")
    if password:
        click.echo(f"Admin password (shown once, write it down): {password}")
    if seeded:
        click.echo("Demo boards (player URLs; each token is shown once):")
        for board, token in seeded:
            click.echo(f"  {board.name} {board.width}x{board.height}: {base}/player/#token={token}")
        return
    with runtime.db.sessions() as session:
        names = [f"{b.name} {b.width}x{b.height}" for b in session.scalars(select(Board))]
    click.echo("Boards: " + "; ".join(names))
    click.echo(
        "Board tokens were shown when each board was created. To connect a screen, open "
        f"{base}/player/ on it and enter its code on the board's page in the admin."
    )


def _serve(host: str, port: int, data_dir: str) -> int:
    from signage.cli import gunicorn_command

    env = {**os.environ, "SIGNAGE_DATA_DIR": os.path.abspath(data_dir)}
    children = [
        subprocess.Popen(gunicorn_command(host, port, 2), env=env),
        subprocess.Popen([sys.executable, "-m", "signage.cli", "worker"], env=env),
    ]

    def stop(*_args) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    return max(child.wait() or 0 for child in children)


def run(host: str, port: int, data_dir: str) -> None:
    click.echo(f"Data dir: {os.path.abspath(data_dir)}")
    runtime = open_runtime(data_dir)
    password = _ensure_admin(runtime)
    seeded = _seed(runtime)
    click.echo("Rendering: " + tasks.render_due(runtime) + "; " + tasks.refresh_manifests(runtime))
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    _announce(f"http://{shown_host}:{port}", password, seeded, runtime)
    runtime.db.dispose()
    sys.exit(_serve(host, port, data_dir))
