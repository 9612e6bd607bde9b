"""`signage export bundle`: a board's next days as a zip for a USB stick, from the command line."""

from __future__ import annotations

import json
import zipfile

import pytest
from bundle_helpers import board_with_rotation
from click.testing import CliRunner

from signage.bootstrap import open_runtime
from signage.cli import main


@pytest.fixture
def setup(tmp_path, database, monkeypatch):
    monkeypatch.setenv("SIGNAGE_DATABASE_URL", database.engine.url.render_as_string(False))
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # messages in English, whatever the shell's
        monkeypatch.delenv(name, raising=False)
    runtime = open_runtime(tmp_path / "data")
    with runtime.db.transaction() as session:
        board, _ = board_with_rotation(session, [("Chuyển đổi số", 15), ("Dịch vụ công", 10)])
        board_id = board.id
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [*args, "--data-dir", str(tmp_path / "data")])

    return invoke, board_id


def test_export_bundle_reports_progress_and_prints_the_path(setup, tmp_path):
    invoke, board_id = setup
    out = tmp_path / "usb" / "bang-led.zip"
    out.parent.mkdir()
    result = invoke(
        "export", "bundle", "--board", str(board_id), "--days", "2", "--output", str(out)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)  # stdout is only the path, for scripts
    progress = result.stderr.splitlines()
    assert progress[0].startswith(f"board {board_id}: ")
    assert "schedule: 1 segment(s)" in progress
    # Two slides in rotation, rendered one by one, then written.
    assert [line for line in progress if line.startswith("renditions")] == [
        "renditions 1/2",
        "renditions 2/2",
    ]
    assert "media 2/2" in progress
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["board"]["id"] == board_id
        assert {"index.html", "playlist.smil", "manifest.js"} <= set(archive.namelist())


def test_export_bundle_names_the_file_after_the_board(setup, tmp_path, monkeypatch):
    invoke, board_id = setup
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "bundle", "--board", str(board_id))
    assert result.exit_code == 0, result.output
    written = [p.name for p in tmp_path.glob("board-*.zip")]
    assert len(written) == 1 and written[0].startswith(f"board-{board_id}-bang-led-chi-lang_")
    assert result.stdout.strip() == str(tmp_path / written[0])


def test_export_bundle_refuses_bad_input_and_writes_nothing(setup, tmp_path):
    invoke, board_id = setup
    out = tmp_path / "bundle.zip"
    result = invoke("export", "bundle", "--board", "9999", "--output", str(out))
    assert result.exit_code != 0 and "There is no board 9999" in result.output
    for days in ("0", "32", "many"):
        result = invoke("export", "bundle", "--board", str(board_id), "--days", days)
        assert result.exit_code != 0
        assert "days: must be a whole number of days from 1 to 31" in result.output
    nowhere = tmp_path / "x" / "y.zip"
    result = invoke("export", "bundle", "--board", str(board_id), "--output", str(nowhere))
    assert result.exit_code != 0
    assert (
        f"output: cannot write {nowhere}: its folder does not exist or is not a folder"
        in result.output
    )
    assert not list(tmp_path.glob("*.zip")) and not out.exists()
