"""Driving the HTML admin from tests: CSRF tokens, forms and logging in."""

from __future__ import annotations

import re

PASSWORD = "mat-khau-thu-nghiem"  # the users fixture's password (tests/conftest.py)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    match = CSRF.search(response.get_data(as_text=True))
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def post_form(client, page: str, action: str | None = None, **data):
    """GET the page for its CSRF token, then POST the form (to ``action`` or the page)."""
    data["csrf_token"] = csrf_from(client, page)
    return client.post(action or page, data=data)


def login(client, role: str, password: str = PASSWORD):
    return post_form(client, "/login", username=role, password=password)
