"""The whole pairing flow in Chromium: a screen with no token shows a code, staff type it into
the admin in another window, and the screen starts playing with nothing typed on it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from waiting import wait_for

from signage.models import Board, Pairing

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem"  # the users fixture's password (tests/conftest.py)
CODE = re.compile(r"^[A-Z0-9]{6}$")


def test_a_screen_is_paired_from_the_admin_and_starts_playing(
    live_server, page, chromium, users, runtime
):
    page.goto(f"{live_server}/player/")
    shown = page.locator("#pairing-code")
    shown.wait_for(state="visible", timeout=15_000)
    code = shown.inner_text().strip()
    assert CODE.match(code), code

    staff = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        staff.goto(f"{live_server}/login")
        staff.fill("#username", "admin")
        staff.fill("#password", PASSWORD)
        staff.click("form button[type=submit]")
        staff.wait_for_url(re.compile(r"/$|/dashboard"))

        staff.goto(f"{live_server}/boards/pair")
        staff.fill("#code", code.lower())  # typed loosely, as staff do
        staff.fill("#name", "Màn hình sảnh tiếp dân")
        staff.fill("#width", "960")
        staff.fill("#height", "540")
        staff.select_option("#transition", "crossfade")
        staff.click("form.card button[type=submit]")
        staff.wait_for_url(re.compile(r"/boards/\d+$"))
        assert "Màn hình sảnh tiếp dân" in staff.content()
    finally:
        staff.context.close()

    # The player polls its pairing, receives the token once, fetches its manifest and plays.
    wait_for(page, "Boolean(document.body.dataset.slideId)", timeout=30_000)
    assert page.locator("#pairing").is_hidden()
    state = page.evaluate("window.signagePlayer.state")
    assert state == "playing"

    with runtime.db.sessions() as session:
        board = session.scalars(select(Board).where(Board.name == "Màn hình sảnh tiếp dân")).one()
        assert (board.width, board.height, board.transition) == (960, 540, "crossfade")
        handed = session.scalars(select(Pairing).where(Pairing.board_id == board.id)).one()
        assert handed.pending_token is None and handed.delivered_at is not None
