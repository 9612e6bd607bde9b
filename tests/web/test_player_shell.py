"""The player's own files have one list, index.html: the service worker stores exactly what the
page loads, under a cache name that follows their bytes, so a release reaches boards whole."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from signage.resources import resource_dir
from signage.web.player import static

PREFIX = "self.SIGNAGE_SHELL = "


def served_shell(client) -> dict:
    """The list and cache name that /player/sw.js carries."""
    response = client.get("/player/sw.js")
    assert response.status_code == 200
    first_line = response.get_data(as_text=True).splitlines()[0]
    assert first_line.startswith(PREFIX) and first_line.endswith(";"), first_line
    return json.loads(first_line.removeprefix(PREFIX).removesuffix(";"))


def page_loads(client) -> list[str]:
    """Scripts and style sheets of the player page, read without the server's own parser."""
    page = client.get("/player/").get_data(as_text=True)
    return re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page)


@pytest.fixture
def player_copy(tmp_path, monkeypatch):
    """The server serves a copy of player/ that a test may edit, as a new release would."""
    copy = tmp_path / "player"
    shutil.copytree(resource_dir("player"), copy)
    monkeypatch.setattr(static, "resource_dir", lambda name: tmp_path / name)
    return copy


def test_the_worker_stores_exactly_what_the_page_loads(client):
    shell = served_shell(client)
    loaded = page_loads(client)
    assert "stage.js" in loaded and "player.css" in loaded
    assert shell["files"] == ["./", "index.html", *loaded]
    for name in shell["files"]:
        assert client.get(f"/player/{name.removeprefix('./')}").status_code == 200, name
    assert re.fullmatch(r"signage-shell-[0-9a-f]{12}", shell["cache"])
    assert shell["prefix"] == "signage-shell-"  # how the worker finds the old releases' caches


def test_a_changed_byte_in_a_shell_file_renames_the_cache(client, player_copy):
    before = served_shell(client)["cache"]
    assert served_shell(client)["cache"] == before  # stable while nothing changes

    stage = player_copy / "stage.js"
    original = stage.read_bytes()
    stage.write_bytes(original.replace(b"FADE_MS = 600", b"FADE_MS = 601"))
    changed = served_shell(client)["cache"]
    assert changed != before

    stage.write_bytes(original)
    assert served_shell(client)["cache"] == before  # the name follows the content, not a count


def test_a_file_added_to_the_page_is_stored_too(client, player_copy):
    before = served_shell(client)
    (player_copy / "weather.js").write_text("'use strict';\n", "utf-8")
    page = player_copy / "index.html"
    html = page.read_text("utf-8")
    page.write_text(html.replace("</body>", '  <script src="weather.js"></script>\n</body>'))

    after = served_shell(client)
    assert after["files"] == [*before["files"], "weather.js"]
    assert after["cache"] != before["cache"]


def test_files_the_page_does_not_load_leave_the_cache_alone(client, player_copy):
    before = served_shell(client)
    bundle_page = player_copy / "bundle" / "bundle.js"  # the USB bundle's, not the player's
    bundle_page.write_text(bundle_page.read_text("utf-8") + "\n// changed\n", "utf-8")
    assert served_shell(client) == before


def test_a_new_release_changes_the_worker_script_boards_check(client, player_copy):
    """Browsers re-install a worker whose script changed: its ETag must follow the shell too."""
    first = client.get("/player/sw.js")
    assert (
        client.get("/player/sw.js", headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 304
    )
    css = player_copy / "player.css"
    css.write_text(css.read_text("utf-8") + "\n/* release 2 */\n", "utf-8")
    again = client.get("/player/sw.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "no-cache" in again.headers["Cache-Control"]
