"""Every admin page and form enforces its role, for every role (the HTML side of access)."""

from __future__ import annotations

import re

from admin_helpers import CSRF, PASSWORD

from signage.web.auth import PERMISSIONS

ROLES = ("admin", "approver", "editor", "designer", "viewer")


def sample_url(rule) -> str:
    return re.sub(
        r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", lambda m: "1" if m.group(1) == "int" else "x", rule.rule
    )


def guarded_admin_routes(app):
    for rule in app.url_map.iter_rules():
        permission = getattr(app.view_functions[rule.endpoint], "permission", None)
        # Logging out would end the walk's session; its own test covers it.
        if rule.endpoint == "admin.logout":
            continue
        if rule.endpoint.startswith("admin.") and permission in PERMISSIONS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, sample_url(rule), permission


def logged_in(app, role: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post(
        "/login", data={"csrf_token": token, "username": role, "password": PASSWORD}
    )
    assert response.status_code == 302
    # Logging in starts a new session (no fixation), so the form token comes from a fresh page.
    token = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    return client, token


def test_every_admin_route_refuses_the_roles_it_does_not_allow(app, users):
    routes = list(guarded_admin_routes(app))
    assert len(routes) >= 25
    wrong = []
    anonymous = app.test_client()
    for method, url, _ in routes:
        response = anonymous.open(url, method=method)
        if response.status_code not in (302, 400):  # login redirect, or CSRF refusal first
            wrong.append((method, url, None, response.status_code))
    for role in ROLES:
        client, token = logged_in(app, role)
        for method, url, permission in routes:
            data = {"csrf_token": token} if method == "POST" else None
            status = client.open(url, method=method, data=data).status_code
            allowed = role in PERMISSIONS[permission]
            if (status == 403) == allowed:
                wrong.append((method, url, role, status))
    assert wrong == []
