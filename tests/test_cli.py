"""The `signage` console script, as an operator uses it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from signage import wording
from signage.cli import main
from signage.models import Board, User
from signage.services import accounts, boards
from signage.services.validation import MAX_PIXELS

LANGUAGE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def cli(tmp_path, database, monkeypatch):
    """Run `signage ...` against this test's own database; returns (exit code, output)."""
    monkeypatch.setenv("SIGNAGE_DATABASE_URL", database.engine.url.render_as_string(False))
    for name in LANGUAGE_VARIABLES:  # the operator's own shell must not change what is asserted
        monkeypatch.delenv(name, raising=False)
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


def error_line(*problems: tuple[str, str, dict], locale: str = "en") -> str:
    """The line the operator reads for a refused command: each field with its worded problem."""
    worded = "; ".join(f"{f}: {wording.describe(c, p, locale)}" for f, c, p in problems)
    return f"Error: {worded}\n"


@pytest.mark.parametrize(
    ("size", "problem"),
    [
        ("1920", ("size", "not_a_size", {})),
        ("10x10", ("width", "out_of_range", {"low": 16, "high": MAX_PIXELS})),
    ],
)
def test_board_add_rejects_a_bad_size_and_saves_nothing(cli, database, size, problem):
    code, out = cli("board", "add", "Bảng lỗi", "--size", size)
    assert code == 1
    assert out == error_line(problem)
    with database.sessions() as session:
        assert session.query(Board).count() == 0
        assert session.query(User).count() == 0


def test_errors_are_in_english_by_default(cli):
    code, out = cli("board", "add", "Bảng lỗi", "--size", "1920")
    assert (code, out) == (1, "Error: size: must look like 1920x1080\n")


def test_errors_are_in_vietnamese_when_the_environment_is(cli, monkeypatch):
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    code, out = cli("board", "add", "Bảng lỗi", "--size", "1920")
    assert (code, out) == (1, error_line(("size", "not_a_size", {}), locale="vi"))
    assert out != error_line(("size", "not_a_size", {}))


def test_lc_all_overrides_lang_as_everywhere(cli, monkeypatch):
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    code, out = cli("board", "add", "Bảng lỗi", "--size", "1920")
    assert (code, out) == (1, error_line(("size", "not_a_size", {})))


def test_a_taken_username_is_refused_in_words(cli):
    assert cli("user", "create", "lan", "--role", "editor")[0] == 0
    code, out = cli("user", "create", "lan", "--role", "viewer")
    assert code == 1
    assert out == f"Error: {wording.describe('username_taken', {'username': 'lan'}, 'en')}\n"


def test_a_token_for_an_unknown_user_is_refused_in_words(cli):
    code, out = cli("token", "create", "nobody")
    assert code == 1
    assert out == f"Error: {wording.describe('user_not_found', {'username': 'nobody'}, 'en')}\n"


WEAK_PASSWORDS = [
    ("ngan-qua", "password_too_short"),
    ("Nguyen.Hoa", "password_is_username"),
    ("matkhau123", "password_too_common"),
]


@pytest.mark.parametrize(("password", "reason"), WEAK_PASSWORDS)
def test_user_create_refuses_a_weak_password_in_words(cli, database, password, reason):
    code, out = cli(
        "user", "create", "nguyen.hoa", "--role", "editor", "--password-stdin", stdin=password
    )
    problem = {"reason_code": reason, "limit": accounts.MIN_PASSWORD}
    assert (code, out) == (1, error_line(("password", "weak_password", problem)))
    assert out.startswith("Error: password: is too weak: ")
    with database.sessions() as session:
        assert session.query(User).count() == 0


def test_a_weak_password_is_refused_in_vietnamese_when_the_environment_is(cli, monkeypatch):
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    code, out = cli(
        "user", "create", "hoa", "--role", "editor", "--password-stdin", stdin="matkhau123\n"
    )
    problem = {"reason_code": "password_too_common", "limit": accounts.MIN_PASSWORD}
    assert (code, out) == (1, error_line(("password", "weak_password", problem), locale="vi"))
    assert "mật khẩu phổ biến" in out
