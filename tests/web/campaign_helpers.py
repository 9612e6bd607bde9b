"""A small campaign shared by the explain and calendar tests: office hours and a weekend campaign
on a district group, and a night window across midnight on one of its boards."""

from __future__ import annotations


def setup_campaigns(api, timezone: str = "Asia/Ho_Chi_Minh"):
    district = api.group("Cao Lộc")
    board = api.board("UBND xã Hợp Thành", 384, 192, groups=[district["id"]], timezone=timezone)
    office, weekend, night = (
        api.approved_slide(t)["id"] for t in ("Hành chính", "Cuối tuần", "Ban đêm")
    )
    ids = {}
    ids["office"] = api.schedule(
        api.playlist([office])["id"],
        groups=[district["id"]],
        name="Giờ hành chính",
        days=[1, 2, 3, 4, 5],
        time_from="07:30",
        time_to="17:00",
        priority=20,
    )["id"]
    ids["weekend"] = api.schedule(
        api.playlist([weekend])["id"], groups=[district["id"]], name="Cuối tuần", days=[6, 7]
    )["id"]
    ids["night"] = api.schedule(
        api.playlist([night])["id"],
        boards=[board["id"]],
        name="Ban đêm",
        time_from="22:00",
        time_to="02:00",
        priority=30,
    )["id"]
    return board, district, ids, {"office": office, "weekend": weekend, "night": night}
