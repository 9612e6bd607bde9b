"""Builders and checks shared by the API and player-protocol tests."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import func, select

API = "/api/v1"
# Schedules that start here, with no end and no window, play at every instant of a test run.
ALWAYS = "2020-01-01T00:00:00Z"


def png_bytes(width: int = 64, height: int = 48, color=(183, 28, 28), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


ERROR_KEYS = {"error", "code", "details"}


def fields_named(body: dict) -> set[str]:
    """The fields and JSON paths that the error's details name."""
    details = body.get("details", [])
    return {d.get("field") or d.get("path") for d in details if isinstance(d, dict)}


def detail_codes(body: dict, field: str | None = None) -> set[str]:
    """The codes of the error's details (only those naming ``field``, when given)."""
    return {
        d.get("code")
        for d in body.get("details", [])
        if isinstance(d, dict) and field in (None, d.get("field"), d.get("path"))
    }


def assert_error(response, status: int, field: str | None = None, code: str | None = None) -> dict:
    """The response is the API's JSON error with this status, and a detail naming ``field``.

    ``code`` is the detail's code when a field is named, else the error's own code: the codes
    stay the same in every language, so tests check them rather than the words."""
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    body = response.get_json()
    assert isinstance(body, dict) and set(body) == ERROR_KEYS, text
    assert isinstance(body["error"], str) and body["error"], text
    assert isinstance(body["code"], str) and body["code"], text
    assert isinstance(body["details"], list), text
    if field is not None:
        assert field in fields_named(body), text
    if code is not None:
        found = detail_codes(body, field) if field is not None else {body["code"]}
        assert code in found, text
    return body


def refusals(cases, send, status: int = 422) -> list:
    """Send each case; return those not refused with ``status`` and a detail naming the field.

    ``cases`` holds (change, field) pairs, ``field`` a name or a set of acceptable names."""
    wrong = []
    for change, field in cases:
        response = send(change)
        body = response.get_json(silent=True) or {}
        expected = field if isinstance(field, set) else {field}
        well_formed = set(body) == ERROR_KEYS
        if response.status_code != status or not well_formed or not expected & fields_named(body):
            wrong.append((change, field, response.status_code, body))
    return wrong


def count(runtime, model) -> int:
    with runtime.db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


class Api:
    """The admin API as one role or another: ``api.post("/slides", json=..., role="editor")``."""

    def __init__(self, client, auth) -> None:
        self.client = client
        self.auth = auth

    def call(self, method: str, path: str, role: str | None = "admin", **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if role is not None:
            headers.update(self.auth(role))
        return self.client.open(API + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, role: str | None = "admin", **kwargs):
        return self.call("GET", path, role, **kwargs)

    def post(self, path: str, role: str | None = "admin", **kwargs):
        return self.call("POST", path, role, **kwargs)

    def put(self, path: str, role: str | None = "admin", **kwargs):
        return self.call("PUT", path, role, **kwargs)

    def delete(self, path: str, role: str | None = "admin", **kwargs):
        return self.call("DELETE", path, role, **kwargs)

    def ok(self, method: str, path: str, role: str = "admin", status: int = 200, **kwargs):
        response = self.call(method, path, role, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def created(self, path: str, body: dict, role: str = "admin") -> dict:
        return self.ok("POST", path, role, 201, json=body)

    # Builders -----------------------------------------------------------------------------

    def layout_id(self, key: str) -> int:
        layouts = self.ok("GET", "/layouts", "viewer")["layouts"]
        return next(x["id"] for x in layouts if x["key"] == key)

    def board(self, name: str = "Bảng UBND", width: int = 384, height: int = 192, **extra) -> dict:
        return self.created("/boards", {"name": name, "width": width, "height": height, **extra})

    def group(self, name: str, parent_id: int | None = None) -> dict:
        return self.created("/groups", {"name": name, "parent_id": parent_id})

    def slide(self, title: str = "Chuyển đổi số", layout: str = "title-body-qr", **extra) -> dict:
        fields = {"title": title, **extra.pop("fields", {})}
        body = {"layout_id": self.layout_id(layout), "fields": fields, "duration_s": 10, **extra}
        return self.created("/slides", body, role="editor")

    def approve(self, slide_id: int) -> dict:
        assert self.ok("POST", f"/slides/{slide_id}/submit", "editor")["status"] == "pending"
        approved = self.ok("POST", f"/slides/{slide_id}/approve", "approver")
        assert approved["status"] == "approved"
        return approved

    def approved_slide(self, title: str = "Chuyển đổi số", **extra) -> dict:
        slide = self.slide(title, **extra)
        return self.approve(slide["id"])

    def playlist(self, slide_ids, name: str = "Tuyên truyền") -> dict:
        items = [{"slide_id": s} for s in slide_ids]
        return self.created("/playlists", {"name": name, "items": items}, role="editor")

    def schedule(self, playlist_id: int, boards=(), groups=(), **extra) -> dict:
        body = {
            "playlist_id": playlist_id,
            "targets": {"boards": list(boards), "groups": list(groups)},
            "starts_at": ALWAYS,
            **extra,
        }
        return self.created("/schedules", body, role="editor")


def player(client, token: str, method: str, path: str, **kwargs):
    """A request from a board's player with its own token."""
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return client.open(API + "/player" + path, method=method, headers=headers, **kwargs)
