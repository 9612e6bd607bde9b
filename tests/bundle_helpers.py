"""Builders shared by the bundle tests: a board with approved slides in rotation."""

from __future__ import annotations

import io
import json
import zipfile

from signage.models import Board, Slide
from signage.services import boards, bundles, programming, slides
from signage.services.layouts import current_layouts

BOARD_NAME = "Bảng LED Chi Lăng"
SCRIPT_PREFIX = "window.SIGNAGE_BUNDLE = "


def approved_slide(session, title: str, duration_s: int) -> Slide:
    layout = next(x.id for x in current_layouts(session) if x.key == "announcement")
    data = {"layout_id": layout, "fields": {"title": title}, "duration_s": duration_s}
    slide = slides.create_slide(session, data, None)
    slides.submit(session, slide, None)
    slides.approve(session, slide, None)
    return slide


def board_with_rotation(
    session, rotation: list[tuple[str, int]], size=(384, 192), **when
) -> tuple[Board, list[Slide]]:
    """A board whose one schedule rotates these (title, seconds) slides; ``when`` adds a window."""
    board, _ = boards.create_board(session, BOARD_NAME, *size)
    made = [approved_slide(session, title, seconds) for title, seconds in rotation]
    items = [{"slide_id": s.id} for s in made]
    playlist = programming.create_playlist(session, {"name": "Xoay vòng", "items": items}, None)
    schedule = {
        "playlist_id": playlist.id,
        "targets": {"boards": [board.id]},
        "starts_at": "2020-01-01T00:00:00+07:00",
        **when,
    }
    programming.create_schedule(session, schedule, None)
    return board, made


def zipped(bundle: bundles.Bundle) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    bundles.write_zip(bundle, buffer)
    return zipfile.ZipFile(buffer)


def script_manifest(text: str) -> dict:
    """The manifest that manifest.js sets as a global."""
    assert text.startswith(SCRIPT_PREFIX) and text.rstrip().endswith(";"), text[:80]
    return json.loads(text[len(SCRIPT_PREFIX) :].rstrip().rstrip(";"))
