"""The `signage` console script."""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import NoReturn

import click

from signage import wording
from signage.bootstrap import open_runtime
from signage.services import accounts, boards
from signage.services.errors import ServiceError
from signage.services.secrets import new_password

data_dir_option = click.option(
    "--data-dir",
    envvar="SIGNAGE_DATA_DIR",
    default="signage-data",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the SQLite database, media and secret key.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


def cli_locale() -> str:
    """The language of the messages: Vietnamese when the environment asks for it, else English.
    The first of these that is set decides, as for every POSIX program."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def _fail(exc: ServiceError) -> NoReturn:
    raise click.ClickException(wording.describe_error(exc, cli_locale()))


def _emit(as_json: bool, payload: dict, lines: list[str]) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False) if as_json else "\n".join(lines))


@click.group()
def main() -> None:
    """Digital-signage scheduler for the Resolution 49 campaign."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")


def gunicorn_command(host: str, port: int, workers: int | None) -> list[str]:
    from signage import gunicorn_conf

    command = [sys.executable, "-m", "gunicorn", "-c", gunicorn_conf.__file__]
    command += ["--bind", f"{host}:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    return [*command, "signage.wsgi:app"]


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="Web worker processes.")
@data_dir_option
def serve(host: str, port: int, workers: int | None, data_dir: str) -> None:
    """Run the production web server (gunicorn)."""
    open_runtime(data_dir)
    env = {**os.environ, "SIGNAGE_DATA_DIR": os.path.abspath(data_dir)}
    os.execve(sys.executable, gunicorn_command(host, port, workers), env)


@main.command()
@click.option(
    "--tick",
    type=float,
    default=5.0,
    show_default=True,
    help="Seconds between checks of the runner lock, and between passes over the due jobs.",
)
@data_dir_option
def worker(tick: float, data_dir: str) -> None:
    """Run the job runner; only one worker per deployment is active at a time."""
    from signage.jobs.runner import Worker

    Worker(open_runtime(data_dir), tick_s=tick).run_forever()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@data_dir_option
def quickstart(host: str, port: int, data_dir: str) -> None:
    """Create or reuse DIR, seed the demo on first run, then serve until Ctrl-C."""
    from signage.quickstart import run

    run(host, port, data_dir)


@main.group()
def user() -> None:
    """Manage staff accounts."""


@user.command("create")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "approver", "editor", "designer", "viewer"]),
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@json_option
@data_dir_option
def user_create(username, role, password_stdin, as_json, data_dir) -> None:
    password = sys.stdin.readline().rstrip("\n") if password_stdin else new_password()
    runtime = open_runtime(data_dir)
    try:
        with runtime.db.transaction() as session:
            created = accounts.create_user(session, username, role, password)
    except ServiceError as exc:
        _fail(exc)
    payload = {"id": created.id, "username": username, "role": role}
    lines = [f"user {username} ({role}) created, id {created.id}"]
    if not password_stdin:
        payload["password"] = password
        lines.append(f"password (shown once): {password}")
    _emit(as_json, payload, lines)


@main.group()
def token() -> None:
    """Personal API tokens."""


@token.command("create")
@click.argument("username")
@json_option
@data_dir_option
def token_create(username, as_json, data_dir) -> None:
    runtime = open_runtime(data_dir)
    try:
        with runtime.db.transaction() as session:
            row, secret = accounts.create_api_token(session, username)
    except ServiceError as exc:
        _fail(exc)
    _emit(as_json, {"id": row.id, "token": secret}, [secret])


@main.group()
def board() -> None:
    """Boards (screens)."""


@board.command("add")
@click.argument("name")
@click.option("--size", required=True, help="Pixels, e.g. 1920x1080.")
@click.option("--group", "group_names", multiple=True, help="Group name; created if new.")
@click.option("--timezone", default="Asia/Ho_Chi_Minh", show_default=True)
@click.option(
    "--base-url",
    default="http://127.0.0.1:8000",
    show_default=True,
    envvar="SIGNAGE_PUBLIC_URL",
    help="Where players reach this server.",
)
@json_option
@data_dir_option
def board_add(name, size, group_names, timezone, base_url, as_json, data_dir) -> None:
    runtime = open_runtime(data_dir)
    try:
        width, height = boards.validation.size(size)
        with runtime.db.transaction() as session:
            groups = [
                boards.group_by_name(session, g) or boards.create_group(session, g)
                for g in group_names
            ]
            created, secret = boards.create_board(
                session, name, width, height, timezone, [g.id for g in groups]
            )
    except ServiceError as exc:
        _fail(exc)
    url = f"{base_url.rstrip('/')}/player/#token={secret}"
    payload = {"id": created.id, "token": secret, "player_url": url}
    _emit(
        as_json,
        payload,
        [
            f"board {created.id}: {name} {width}x{height}",
            f"token (shown once): {secret}",
            f"player URL: {url}",
        ],
    )


@main.group()
def export() -> None:
    """Export slides and boards' content as files."""


@export.command("print")
@click.argument("slide_id", type=int)
@click.option("--size", required=True, help="A4…A0, or width x height, e.g. 594x841mm, 500x80cm.")
@click.option("--dpi", default="150", show_default=True, help="Dots per inch.")
@click.option("--bleed", default="0", show_default=True, help="Bleed per side, in mm.")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "png"]), default="pdf", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False), help="Output file (default: slide-ID.EXT).")
@json_option
@data_dir_option
def export_print(slide_id, size, dpi, bleed, fmt, out, as_json, data_dir) -> None:
    """Write a print-ready PDF or PNG of a slide: its approved revision, else its latest."""
    from signage.services import printing, slides

    runtime = open_runtime(data_dir)
    params = {"size": size, "dpi": dpi, "bleed_mm": bleed, "format": fmt}
    try:
        with runtime.db.sessions() as session:
            settings = printing.read_request(params)
            slide = slides.get_slide(session, slide_id)
            file = printing.export_slide(session, runtime.store, slide, settings)
            number, which = file.revision.number, file.which
    except ServiceError as exc:
        _fail(exc)
    path = os.path.abspath(out or f"slide-{slide_id}.{file.ext}")
    with open(path, "wb") as handle:
        handle.write(file.data)
    payload = {
        "path": path,
        "width_px": file.width_px,
        "height_px": file.height_px,
        "revision": number,
        "which": which,
        "warnings": list(file.warnings),
    }
    lines = [
        path,
        f"{file.width_px}x{file.height_px} px, revision {number} ({which})",
        *(f"warning: {wording.located(w, cli_locale())}" for w in file.warnings),
    ]
    _emit(as_json, payload, lines)


def _bundle_progress(step: str, done: int, total: int) -> None:
    """One line per step on stderr, so stdout carries only the path (for scripts)."""
    if step == "schedule":
        click.echo(f"schedule: {total} segment(s)", err=True)
    else:
        click.echo(f"{step} {done}/{total}", err=True)


@export.command("bundle")
@click.option("--board", "board_id", required=True, type=int, help="The board's id.")
@click.option("--days", default="7", show_default=True, help="Days to cover, 1 to 31.")
@click.option(
    "--output",
    type=click.Path(),
    help="Output zip, or a folder for it (default: here); the file is named after the board.",
)
@data_dir_option
def export_bundle(board_id, days, output, data_dir) -> None:
    """Write a zip that plays a board's next DAYS days without a network (USB stick)."""
    from signage.services import bundles

    runtime = open_runtime(data_dir)
    try:
        days = bundles.parse_days(days)
        if output:
            bundles.check_output(output)  # before rendering: fail fast on a bad path
        with runtime.db.transaction() as session:
            board = boards.get_board(session, board_id)
            click.echo(f"board {board.id}: {board.name} {board.width}x{board.height}", err=True)
            bundle = bundles.build(
                session,
                runtime.store,
                board,
                days,
                poll_seconds=runtime.settings.poll_seconds,
                progress=_bundle_progress,
            )
        click.echo(f"writing {len(bundle.media)} media file(s)", err=True)
        path = bundles.save(bundle, output or bundle.filename, _bundle_progress)
    except ServiceError as exc:
        _fail(exc)
    click.echo(str(path))


if __name__ == "__main__":
    main()
