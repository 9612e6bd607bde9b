"""An emergency notice reaches a polling board at its very next poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_helpers import player


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_next_poll_after_an_emergency_carries_it(api, client):
    district = api.group("Văn Lãng")
    board = api.board("UBND xã Tân Thanh", 384, 192, groups=[district["id"]])
    normal = api.approved_slide("Thông tin thường ngày")
    api.schedule(api.playlist([normal["id"]])["id"], groups=[district["id"]], priority=100)

    first = player(client, board["token"], "GET", "/manifest")
    etag = first.headers["ETag"]
    assert (
        player(
            client, board["token"], "GET", "/manifest", headers={"If-None-Match": etag}
        ).status_code
        == 304
    )

    notice = api.approved_slide("Thông báo khẩn")
    now = datetime.now(UTC).replace(microsecond=0)
    api.schedule(
        api.playlist([notice["id"]])["id"],
        groups=[district["id"]],
        kind="emergency",
        priority=0,
        starts_at=now.isoformat(),
        ends_at=(now + timedelta(hours=2)).isoformat(),
    )

    polled = player(client, board["token"], "GET", "/manifest", headers={"If-None-Match": etag})
    assert polled.status_code == 200
    body = polled.get_json()
    assert body["poll_seconds"] <= 30  # the board asks again within one poll interval
    at = parse(body["server_time"])
    current = next(s for s in body["segments"] if parse(s["start"]) <= at < parse(s["end"]))
    assert current["kind"] == "emergency"
    assert [i["slide_id"] for i in current["items"]] == [notice["id"]]
