"""Input checks shared by the services: numbers, instants, zones, layout uploads, schedules,
accounts and images; each refusal is a code with its parameters."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL import Image

from signage import wording
from signage.models import ROLES, Schedule
from signage.services import accounts, assets, boards, layouts, programming, validation
from signage.services.errors import Conflict, NotFound, TooLarge, UnsupportedMedia, ValidationFailed


def _field(excinfo) -> str:
    return excinfo.value.details[0]["field"]


@pytest.mark.parametrize(
    ("value", "expected"), [(5, 5), ("7", 7), (" 8 ", 8), ("-3", -3), (100, 100)]
)
def test_integer_accepts_ints_and_decimal_text(value, expected):
    assert validation.integer(value, "n", -10, 100) == expected


@pytest.mark.parametrize("value", [True, 1.5, "²", "١٢", "1e3", "", None, [], "9" * 40, 101])
def test_integer_refuses_everything_else(value):
    with pytest.raises(ValidationFailed) as caught:
        validation.integer(value, "n", -10, 100)
    assert _field(caught) == "n"


def test_strict_integers_refuse_text():
    with pytest.raises(ValidationFailed):
        validation.integer("7", "n", 0, 10, strict=True)


def test_instants_need_an_offset_and_accept_any():
    hanoi = validation.instant("2026-12-01T08:00:00+07:00", "at")
    assert hanoi == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert validation.instant("2026-12-01T01:00:00Z", "at") == hanoi
    assert hanoi.utcoffset() == timedelta(hours=7)
    assert validation.instant(None, "at", required=False) is None
    for bad in ("2026-12-01T08:00:00", "soon", 20261201):
        with pytest.raises(ValidationFailed) as caught:
            validation.instant(bad, "at")
        assert _field(caught) == "at"
    aware = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5)))
    assert validation.instant(aware, "at") is aware


@pytest.mark.parametrize("zone", ["Mars/Base", "../../etc/passwd", "", 7])
def test_time_zones_are_checked(zone):
    if zone == "":
        assert validation.timezone(zone) == "Asia/Ho_Chi_Minh"
        return
    with pytest.raises(ValidationFailed) as caught:
        validation.timezone(zone)
    assert _field(caught) == "timezone"


# Layout uploads ------------------------------------------------------------------------------


SPEC = {"key": "k", "name": "N"}


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as bundle:
        for name, data in entries.items():
            bundle.writestr(name, data)
    return buffer.getvalue()


def test_a_json_document_and_a_bundle_read_the_same():
    raw = json.dumps(SPEC).encode()
    assert layouts.read_layout_upload(raw) == (SPEC, [])
    assert layouts.read_layout_upload(_zip({"layout.json": raw})) == (SPEC, [])
    with pytest.raises(UnsupportedMedia):  # bundled files are checked by content (issue 3)
        layouts.read_layout_upload(_zip({"layout.json": raw, "bg.png": b"x"}))
    assert layouts.parse_layout_document(_zip({"only/one.json": raw})) == SPEC


@pytest.mark.parametrize(
    "entries",
    [
        {},
        {"readme.txt": b"hi"},
        {"a.json": b"{}", "b.json": b"{}"},
        {"layout.json": b"\xff\xfe not utf-8"},
        {"layout.json": b"[]"},
    ],
)
def test_bad_bundles_are_422(entries):
    with pytest.raises(ValidationFailed):
        layouts.read_layout_upload(_zip(entries))


def test_a_zip_bomb_is_not_inflated():
    bomb = _zip({"layout.json": b" " * (50 * 1024 * 1024)})
    assert len(bomb) < layouts.MAX_PACKAGE_BYTES
    with pytest.raises(ValidationFailed) as caught:
        layouts.read_layout_upload(bomb)
    assert caught.value.details, "the refusal names the entry"
    assert "limit" in wording.describe_error(caught.value, "en")  # and says which limit


def test_a_corrupt_bundle_is_422():
    data = _zip({"layout.json": json.dumps(SPEC).encode() * 50})
    broken = data[:40] + bytes(len(data) - 80) + data[-40:]
    with pytest.raises(ValidationFailed):
        layouts.read_layout_upload(broken)
    with pytest.raises(ValidationFailed):
        layouts.read_layout_upload(b"PK\x03\x04" + b"\x00" * 30)


# Schedules -----------------------------------------------------------------------------------


def _playlist(session):
    from signage.services import slides
    from signage.services.layouts import current_layouts

    layout = next(x.id for x in current_layouts(session) if x.key == "announcement")
    slide = slides.create_slide(session, {"layout_id": layout, "fields": {"title": "A"}}, None)
    return programming.create_playlist(
        session, {"name": "P", "items": [{"slide_id": slide.id}]}, None
    )


def test_schedule_days_are_stored_as_sorted_weekdays(session):
    board, _ = boards.create_board(session, "B", 384, 192)
    schedule = programming.create_schedule(
        session,
        {
            "playlist_id": _playlist(session).id,
            "targets": {"boards": [board.id]},
            "starts_at": "2026-01-01T00:00:00Z",
            "days": ["5", 1, 3],
        },
        None,
    )
    assert schedule.day_list == [1, 3, 5]


def test_a_refused_schedule_leaves_nothing_behind(session):
    board, _ = boards.create_board(session, "B", 384, 192)
    playlist = _playlist(session)
    session.commit()
    with pytest.raises(ValidationFailed) as caught:
        programming.create_schedule(
            session,
            {
                "playlist_id": playlist.id,
                "targets": {"boards": [board.id]},
                "starts_at": "2026-01-01T00:00:00Z",
                "time_from": "07:00",
                "time_to": "7:60",
            },
            None,
        )
    assert _field(caught) == "time_to"
    session.rollback()
    assert session.query(Schedule).count() == 0


# Accounts ------------------------------------------------------------------------------------


def _codes(excinfo) -> dict[str, str]:
    return {d["field"]: d["code"] for d in excinfo.value.details}


def test_a_new_account_names_each_problem_by_code(session):
    with pytest.raises(ValidationFailed) as caught:
        accounts.create_user(session, "", "chief", "short")
    assert _codes(caught) == {
        "username": "required",
        "role": "unknown_role",
        "password": "weak_password",
    }
    role = next(d for d in caught.value.details if d["field"] == "role")
    assert role["allowed"] == list(ROLES)
    password = next(d for d in caught.value.details if d["field"] == "password")
    assert password["reason_code"] == "password_too_short"
    assert password["limit"] == accounts.MIN_PASSWORD
    with pytest.raises(ValidationFailed) as caught:
        accounts.create_user(session, "x" * 81, "editor", "long enough password")
    assert caught.value.details[0] == {
        "field": "username",
        "code": "too_long",
        "count": 81,
        "limit": accounts.MAX_USERNAME,
    }


def test_a_taken_username_and_unknown_users_and_tokens_are_codes(session):
    accounts.create_user(session, "bien-tap", "editor", "mat-khau-du-dai")
    with pytest.raises(Conflict) as caught:
        accounts.create_user(session, "bien-tap", "viewer", "mat-khau-khac-nua")
    assert (caught.value.code, caught.value.params) == ("username_taken", {"username": "bien-tap"})
    with pytest.raises(NotFound) as caught:
        accounts.create_api_token(session, "khong-co")
    assert (caught.value.code, caught.value.params) == ("user_not_found", {"username": "khong-co"})
    with pytest.raises(NotFound) as caught:
        accounts.revoke_api_token(session, 424242, None)
    assert (caught.value.code, caught.value.params) == ("token_not_found", {"id": 424242})


def test_usernames_are_found_by_id_for_pages(session):
    user = accounts.create_user(session, "duyet", "approver", "mat-khau-du-dai")
    assert accounts.usernames(session, [user.id, None, user.id, 424242]) == {user.id: "duyet"}
    assert accounts.usernames(session, [None]) == {}


# Assets --------------------------------------------------------------------------------------


def _image(fmt: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return buffer.getvalue()


def test_images_are_refused_by_code_with_the_limits_as_data(monkeypatch):
    with pytest.raises(UnsupportedMedia) as caught:
        assets.inspect_image(_image("GIF"))
    assert caught.value.code == "image_format_not_accepted"
    assert caught.value.params == {"format": "GIF", "accepted": assets.ACCEPTED}
    monkeypatch.setattr(assets, "MAX_BYTES", 10)
    with pytest.raises(TooLarge) as caught:
        assets.inspect_image(_image("PNG"))
    assert caught.value.code == "file_too_large" and caught.value.params["limit"] == 10


def test_asset_choices_keep_an_older_image_the_form_holds(session, runtime):
    made = [
        assets.upload_asset(session, runtime.store, _image("PNG", (8, i + 1)), None)
        for i in range(3)
    ]
    newest = assets.asset_choices(session, 2)
    assert [a.id for a in newest] == [made[2].id, made[1].id]
    held = assets.asset_choices(session, 2, [made[0].id, 2**40, -1])
    assert [a.id for a in held] == [made[2].id, made[1].id, made[0].id]
