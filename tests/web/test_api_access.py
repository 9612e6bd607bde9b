"""Who may call what: every route declares a permission, and the API enforces each one."""

from __future__ import annotations

import re

from api_helpers import API, ERROR_KEYS, assert_error

from signage.models import ApiToken, Group, User
from signage.services import accounts
from signage.web.auth import PERMISSIONS

ROLES = ("admin", "approver", "editor", "designer", "viewer")
MARKERS = set(PERMISSIONS) | {"public", "board"}
PLAYER_PUBLIC = {
    "player.start_pairing",
    "player.poll_pairing",
    "player.player_redirect",
    "player.player_file",
    "player.service_worker",
    "player.media",
    "player.healthz",
}
PLAYER_BOARD = {"player.manifest", "player.report_plays", "player.heartbeat"}


def _is_flask_static(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static")


def _sample_url(rule) -> str:
    """The rule's URL with every variable filled: ints with 1, anything else with 'x'."""

    def fill(match: re.Match) -> str:
        return "1" if match.group(1) == "int" else "x"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", fill, rule.rule)


def _guarded_api_routes(app):
    """(method, url, permission) for every admin-API route that requires a permission."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        permission = getattr(view, "permission", None)
        if not rule.rule.startswith(API) or permission not in PERMISSIONS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, _sample_url(rule), permission


def _call(client, method: str, url: str, headers: dict | None = None):
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.open(url, method=method, headers=headers or {}, json=body)


def test_every_endpoint_declares_its_permission(app):
    undeclared = [
        f"{rule.endpoint} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if not _is_flask_static(rule.endpoint)
        and getattr(app.view_functions[rule.endpoint], "permission", None) not in MARKERS
    ]
    assert undeclared == []


def test_only_the_expected_endpoints_are_open(app):
    kinds = {
        endpoint: getattr(view, "permission", None) for endpoint, view in app.view_functions.items()
    }
    api_public = {e for e, p in kinds.items() if e.startswith("api.") and p == "public"}
    assert api_public == {"api.openapi"}
    assert {e for e, p in kinds.items() if p == "board"} == PLAYER_BOARD
    assert {e for e, p in kinds.items() if e.startswith("player.") and p == "public"} == (
        PLAYER_PUBLIC
    )


def test_roles_are_enforced_on_every_api_route(app, client, auth):
    routes = list(_guarded_api_routes(app))
    assert len(routes) >= 25
    assert {p for _, _, p in routes} == set(PERMISSIONS)
    wrong = []
    for method, url, permission in routes:
        anonymous = _call(client, method, url)
        if anonymous.status_code != 401 or set(anonymous.get_json() or {}) != ERROR_KEYS:
            wrong.append((method, url, None, anonymous.status_code))
        for role in ROLES:
            response = _call(client, method, url, auth(role))
            allowed = role in PERMISSIONS[permission]
            body = response.get_json(silent=True)
            if not allowed and (response.status_code != 403 or set(body or {}) != ERROR_KEYS):
                wrong.append((method, url, role, response.status_code))
            if allowed and response.status_code in (401, 403):
                wrong.append((method, url, role, response.status_code))
    assert wrong == []


def test_the_permission_table_matches_the_roles():
    assert PERMISSIONS["manage"] == {"admin"}
    assert PERMISSIONS["approve"] == {"admin", "approver"}
    assert "viewer" not in PERMISSIONS["edit"] | PERMISSIONS["upload"] | PERMISSIONS["design"]
    assert all(role in PERMISSIONS["view"] for role in ROLES)


def test_board_routes_refuse_anyone_but_a_board(client, auth):
    for method, path in (
        ("GET", "/player/manifest"),
        ("POST", "/player/plays"),
        ("POST", "/player/heartbeat"),
    ):
        for headers in (
            {},
            {"Authorization": "Bearer sgb_not-a-real-token"},
            {"Authorization": "Basic YWRtaW46YWRtaW4="},
            auth("admin"),  # a person's token is not a board's token
        ):
            response = client.open(API + path, method=method, headers=headers, json={"plays": []})
            assert_error(response, 401)


def test_a_board_token_is_not_a_personal_token(api, board, client):
    headers = {"Authorization": f"Bearer {board['token']}"}
    assert_error(client.get(f"{API}/boards", headers=headers), 401)


def test_unknown_and_malformed_personal_tokens_get_401(client):
    for header in ("Bearer sgu_nope", "Bearer", "Bearer    ", "Token abc", "sgu_nope"):
        response = client.get(f"{API}/slides", headers={"Authorization": header})
        assert_error(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working(client, auth, users, session):
    assert client.get(f"{API}/slides", headers=auth("editor")).status_code == 200
    user_id = users["editor"][0]
    token_row = session.query(ApiToken).filter_by(user_id=user_id).one()
    accounts.revoke_api_token(session, token_row.id, session.get(User, users["admin"][0]))
    session.commit()
    assert_error(client.get(f"{API}/slides", headers=auth("editor")), 401)
    assert client.get(f"{API}/slides", headers=auth("viewer")).status_code == 200


def test_a_deactivated_user_is_refused(client, auth, users, session):
    session.get(User, users["approver"][0]).active = False
    session.commit()
    assert_error(client.get(f"{API}/slides", headers=auth("approver")), 401)


def test_a_new_token_from_the_service_works(client, users, session):
    _, token = accounts.create_api_token(session, "viewer")
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/boards", headers=headers).status_code == 200
    assert_error(client.post(f"{API}/groups", headers=headers, json={"name": "x"}), 403)


def _log_in(client, user_id: int) -> None:
    with client.session_transaction() as browser_session:
        browser_session["_user_id"] = str(user_id)
        browser_session["_fresh"] = True


def test_a_browser_session_may_read_but_must_prove_csrf_to_write(client, users, runtime):
    _log_in(client, users["admin"][0])
    assert client.get(f"{API}/boards").status_code == 200
    response = client.post(f"{API}/groups", json={"name": "Huyện Cao Lộc"})
    assert 400 <= response.status_code < 500 and response.status_code != 422
    assert set(response.get_json()) == ERROR_KEYS
    with runtime.db.sessions() as s:
        assert s.query(Group).count() == 0


def test_errors_elsewhere_in_the_api_are_json(api):
    assert_error(api.get("/no-such-thing"), 404)
    assert_error(api.get("/slides/999999"), 404)
    assert_error(api.call("PATCH", "/slides"), 405)
