"""Fixtures for the web tests: the admin API as any role, and a board with its token."""

from __future__ import annotations

import pytest
from api_helpers import Api


@pytest.fixture
def api(client, auth) -> Api:
    return Api(client, auth)


@pytest.fixture
def board(api) -> dict:
    """A small board (384x192) with its player token, as POST /boards returned it."""
    return api.board()
