"""Schedules on a named daypart show the daypart and its hours in the admin lists."""

import re

from api_helpers import Api


def test_schedules_on_a_daypart_show_its_hours(client, auth, users):
    api = Api(client, auth)
    board = api.board()
    dps = api.ok("GET", "/dayparts", "viewer")["dayparts"]
    office = next(d for d in dps if d["name"] == "Giờ hành chính")
    pl = api.playlist([api.approved_slide()["id"]])
    api.schedule(pl["id"], boards=[board["id"]], daypart_id=office["id"])
    page = client.get("/login").get_data(as_text=True)
    tok = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"csrf_token": tok, "username": "admin", "password": "mat-khau-thu-nghiem"}
    )
    for path in ("/schedules", f"/boards/{board['id']}"):
        html = client.get(path).get_data(as_text=True)
        assert "Giờ hành chính: 07:30–17:00" in html, path
