"""`signage export print`: a print-ready file of a slide from the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from PIL import Image

from signage import wording
from signage.bootstrap import open_runtime
from signage.cli import main
from signage.models import Layout
from signage.services import slides


def worded(code: str, **params) -> str:
    return wording.describe(code, params, "en")


@pytest.fixture
def setup(tmp_path, database, monkeypatch):
    monkeypatch.setenv("SIGNAGE_DATABASE_URL", database.engine.url.render_as_string(False))
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # messages in English, whatever the shell's
        monkeypatch.delenv(name, raising=False)
    runtime = open_runtime(tmp_path)
    with runtime.db.transaction() as session:
        layout = session.query(Layout).filter_by(key="title-body-qr").first()
        draft = slides.create_slide(
            session, {"layout_id": layout.id, "fields": {"title": "Bản nháp"}}, None
        )
        approved = slides.create_slide(
            session, {"layout_id": layout.id, "fields": {"title": "Đã duyệt"}}, None
        )
        slides.submit(session, approved, None)
        slides.approve(session, approved, None)
        ids = {"draft": draft.id, "approved": approved.id}
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(main, [*args, "--data-dir", str(tmp_path)])
        return result.exit_code, result.output

    return invoke, ids


def test_export_print_writes_a_pdf_and_says_what_it_printed(setup, tmp_path):
    invoke, ids = setup
    out = tmp_path / "poster.pdf"
    code, output = invoke(
        "export", "print", str(ids["approved"]), "--size", "A4", "--dpi", "30",
        "--bleed", "3", "--format", "pdf", "--out", str(out),
    )  # fmt: skip
    assert code == 0, output
    assert out.read_bytes().startswith(b"%PDF")
    assert str(out) in output and "255x358 px" in output and "(approved)" in output


def test_export_print_png_of_a_draft_as_json(setup, tmp_path):
    invoke, ids = setup
    out = tmp_path / "banner.png"
    code, output = invoke(
        "export", "print", str(ids["draft"]), "--size", "500x80cm", "--dpi", "10",
        "--format", "png", "--out", str(out), "--json",
    )  # fmt: skip
    assert code == 0, output
    payload = json.loads(output)
    assert payload["which"] == "latest" and payload["path"] == str(out)
    assert Image.open(out).size == (payload["width_px"], payload["height_px"]) == (1969, 315)


def test_export_print_refuses_bad_input(setup, tmp_path):
    invoke, ids = setup
    code, output = invoke("export", "print", str(ids["draft"]), "--size", "huge")
    assert code == 1 and output.startswith("Error: size: ")
    code, output = invoke("export", "print", str(ids["draft"]), "--size", "A4", "--dpi", "0")
    assert code == 1 and output.startswith("Error: dpi: ")
    code, output = invoke("export", "print", "9999", "--size", "A4")
    assert (code, output) == (1, f"Error: {worded('slide_not_found', id=9999)}\n")
    assert not list(tmp_path.glob("slide-*"))
