"""Fixtures for the web tests: the admin API as any role, a board with its token, and the HTML
admin's test client logged in as a role."""

from __future__ import annotations

import pytest
from admin_helpers import login
from api_helpers import Api


@pytest.fixture
def api(client, auth) -> Api:
    return Api(client, auth)


@pytest.fixture
def board(api) -> dict:
    """A small board (384x192) with its player token, as POST /boards returned it."""
    return api.board()


@pytest.fixture
def as_role(client, users):
    """Log the test client in as a role, optionally in a language: as_role("editor", "en")."""

    def log_in(role: str, language: str | None = None):
        if language:
            client.get(f"/lang/{language}")
        response = login(client, role)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return log_in
