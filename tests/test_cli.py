"""The `signage` console script, as an operator uses it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from signage.cli import main
from signage.models import Board, User
from signage.services import accounts, boards


@pytest.fixture
def cli(tmp_path, database, monkeypatch):
    """Run `signage ...` against this test's own database; returns (exit code, output)."""
    monkeypatch.setenv("SIGNAGE_DATABASE_URL", database.engine.url.render_as_string(False))
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        result = runner.invoke(main, [*args, "--data-dir", str(tmp_path)], input=stdin)
        return result.exit_code, result.output

    return invoke


def test_user_create_prints_a_password_that_logs_in(cli, database):
    code, out = cli("user", "create", "lan", "--role", "editor", "--json")
    assert code == 0, out
    created = json.loads(out)
    with database.sessions() as session:
        assert accounts.authenticate(session, "lan", created["password"]).role == "editor"


def test_user_create_reads_the_password_from_stdin(cli, database):
    code, out = cli(
        "user",
        "create",
        "hoa",
        "--role",
        "approver",
        "--password-stdin",
        stdin="mat-khau-rat-dai\n",
    )
    assert code == 0, out
    assert "mat-khau" not in out
    with database.sessions() as session:
        assert accounts.authenticate(session, "hoa", "mat-khau-rat-dai") is not None


def test_unknown_role_is_refused(cli):
    code, out = cli("user", "create", "x", "--role", "boss")
    assert code != 0
    assert "boss" in out


def test_token_create_gives_a_working_token(cli, database):
    cli("user", "create", "minh", "--role", "viewer")
    code, out = cli("token", "create", "minh", "--json")
    assert code == 0, out
    token = json.loads(out)["token"]
    with database.sessions() as session:
        assert accounts.user_for_token(session, token).username == "minh"


def test_board_add_prints_id_token_and_player_url(cli, database):
    code, out = cli(
        "board",
        "add",
        "UBND xã Hữu Lũng",
        "--size",
        "384x192",
        "--group",
        "LED ngoài trời",
        "--group",
        "Huyện Hữu Lũng",
        "--json",
    )
    assert code == 0, out
    created = json.loads(out)
    assert created["player_url"].endswith(f"/player/#token={created['token']}")
    with database.sessions() as session:
        board = session.get(Board, created["id"])
        assert (board.width, board.height) == (384, 192)
        assert sorted(g.name for g in board.groups) == ["Huyện Hữu Lũng", "LED ngoài trời"]
        assert boards.board_for_token(session, created["token"]).id == board.id
        assert board.token_hash != created["token"]  # only the digest is stored


@pytest.mark.parametrize(("size", "problem"), [("1920", "1920x1080"), ("10x10", "width")])
def test_board_add_rejects_a_bad_size_and_saves_nothing(cli, database, size, problem):
    code, out = cli("board", "add", "Bảng lỗi", "--size", size)
    assert code != 0
    assert problem in out
    with database.sessions() as session:
        assert session.query(Board).count() == 0
        assert session.query(User).count() == 0
