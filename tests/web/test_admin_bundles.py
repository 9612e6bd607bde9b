"""The admin's bundle download: a zip for a logged-in viewer, the login page for anyone else."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime, timedelta

import pytest
from bundle_helpers import board_with_rotation

BAD_DAYS_EN = "The bundle could not be made. Days: must be a whole number of days from 1 to 31"


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def board_id(runtime) -> int:
    with runtime.db.transaction() as session:
        board, _ = board_with_rotation(
            session, [("Chuyển đổi số", 15)], time_from="07:30", time_to="17:00"
        )
        return board.id


@pytest.fixture
def viewer(as_role):
    return as_role("viewer")


def test_a_viewer_downloads_the_bundle(viewer, board_id):
    response = viewer.get(f"/boards/{board_id}/bundle?days=2")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(
        rf"board-{board_id}-bang-led-chi-lang_\d{{4}}-\d\d-\d\d_\d{{4}}-\d\d-\d\d\.zip", disposition
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = json.loads(archive.read("manifest.json"))
    covered = parse(manifest["valid_until"]) - parse(manifest["generated_at"])
    assert covered == timedelta(days=2) and parse(manifest["segments"][-1]["end"]) >= parse(
        manifest["valid_until"]
    )
    media = {n for n in archive.namelist() if n.startswith("media/")}
    assert media == {i["url"] for s in manifest["segments"] for i in s["items"]}


def test_the_default_is_a_week(viewer, board_id):
    response = viewer.get(f"/boards/{board_id}/bundle")
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("manifest.json"))
    assert parse(manifest["valid_until"]) - parse(manifest["generated_at"]) == timedelta(days=7)


def test_anonymous_is_sent_to_the_login_page(client, board_id):
    response = client.get(f"/boards/{board_id}/bundle?days=2")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("days", ["0", "32", "mot-tuan"])
def test_bad_days_go_back_to_the_board_page_with_a_message(viewer, board_id, days):
    response = viewer.get(f"/boards/{board_id}/bundle?days={days}&lang=en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/boards/{board_id}")
    page = viewer.get(response.headers["Location"]).get_data(as_text=True)
    assert BAD_DAYS_EN in page


def test_an_unknown_board_is_not_found(viewer):
    assert viewer.get("/boards/9999/bundle").status_code == 404
