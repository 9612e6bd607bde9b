"""The admin's proof-of-play report: each play counted once, per board and slide, by local day."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from api_helpers import Api, player


def _play(slide_id: int, sha256: str, at: datetime) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "slide_id": slide_id,
        "sha256": sha256,
        "started_at": at.isoformat(),
        "duration_s": 15,
    }


@pytest.fixture
def reported(client, auth):
    """Two boards; the first reports three plays of one slide (one batch sent twice, as after
    an outage), the second one play."""
    api = Api(client, auth)
    slide = api.approved_slide("Dịch vụ công trực tuyến mức độ 4")
    first, second = api.board("UBND xã Hữu Lũng"), api.board("Bưu điện Đồng Đăng")
    now = datetime.now(UTC).replace(microsecond=0)
    batch = [_play(slide["id"], "a" * 64, now - timedelta(minutes=m)) for m in (1, 2, 3)]
    for _ in range(2):
        response = player(client, first["token"], "POST", "/plays", json={"plays": batch})
        assert response.status_code == 200
    one = [_play(slide["id"], "b" * 64, now)]
    assert player(client, second["token"], "POST", "/plays", json={"plays": one}).status_code == 200
    return first, second


def _rows(html: str) -> list[list[str]]:
    body = html.split('<table id="plays">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in rows]  # fmt: skip


def test_each_play_is_counted_once_per_board_and_slide(client, as_role, reported):
    as_role("viewer")
    html = client.get("/reports/plays").get_data(as_text=True)
    rows = _rows(html)
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("UBND xã Hữu Lũng", "3", "0:00:45"),
        ("Bưu điện Đồng Đăng", "1", "0:00:15"),
    ]
    assert rows[0][1] == "Dịch vụ công trực tuyến mức độ 4"
    assert "4 lượt phát" in html


def test_the_report_filters_by_board_and_offers_the_same_rows_as_csv(client, as_role, reported):
    first, _ = reported
    as_role("viewer")
    html = client.get(f"/reports/plays?board_id={first['id']}").get_data(as_text=True)
    assert [r[0] for r in _rows(html)] == ["UBND xã Hữu Lũng"]
    csv_url = re.search(r'href="(/api/v1/reports/plays\?[^"]+)"', html).group(1)
    csv = client.get(csv_url.replace("&amp;", "&"))
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert len(csv.get_data(as_text=True).strip().splitlines()) == 1 + 3


def test_a_bad_day_is_named(client, as_role):
    as_role("viewer")
    response = client.get("/reports/plays?from=26/11/2026")
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.get_data(as_text=True)
    response = client.get("/reports/plays?from=2026-11-20&to=2026-11-10")
    assert response.status_code == 422
    for edge in ("to=9999-12-31", "from=0001-01-01"):
        response = client.get(f"/reports/plays?{edge}")
        assert response.status_code == 422
        assert "từ 2000 đến 2100" in response.get_data(as_text=True)


def test_the_report_needs_a_login(client):
    response = client.get("/reports/plays")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
