"""Offline bundles: the zip's members, its manifest, its SMIL playlist and its media."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from bundle_helpers import board_with_rotation, script_manifest, zipped
from PIL import Image
from sqlalchemy import delete, select

from signage.models import Rendition
from signage.resources import resource_dir
from signage.services import boards, bundles, manifests
from signage.services.bundle_smil import smil_document
from signage.services.errors import ValidationFailed

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 15:00 in Lạng Sơn, inside office hours
SMIL = {"s": "http://www.w3.org/ns/SMIL"}
# The page, and the clock rule and stage it shares with the web player.
PAGE = {"index.html", "player/bundle.js", "player/bundle.css"}
SHARED = {"player/timeline.js", "player/stage.js", "player/stage.css"}
EXT = {"image/png": "png", "image/webp": "webp", "image/jpeg": "jpg"}
LISTS = {"manifest.json", "manifest.js", "playlist.smil"}


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def office_board(session):
    """Two slides from 08:00 to 17:00 local every day; the standby slide the rest of the time."""
    board, made = board_with_rotation(
        session, [("Chuyển đổi số", 15), ("Dịch vụ công trực tuyến", 10)],
        time_from="08:00", time_to="17:00",
    )  # fmt: skip
    session.commit()
    return board, made


def build(session, runtime, board, days=3, **kwargs) -> bundles.Bundle:
    return bundles.build(session, runtime.store, board, days, now=NOW, **kwargs)


def test_the_zip_holds_the_page_the_playlists_and_every_rendition(session, runtime, office_board):
    board, _ = office_board
    archive = zipped(build(session, runtime, board))
    names = set(archive.namelist())
    media = {n for n in names if n.startswith("media/")}
    assert names == PAGE | SHARED | LISTS | media
    manifest = json.loads(archive.read("manifest.json"))
    urls = {item["url"] for s in manifest["segments"] for item in s["items"]}
    assert urls == media and len(media) == 3  # two slides and the standby slide
    assert all(re.fullmatch(r"media/[0-9a-f]{64}\.(png|webp|jpg)", name) for name in media)
    assert script_manifest(archive.read("manifest.js").decode("ascii")) == manifest
    page = archive.read("index.html").decode("utf-8")
    loaded = set(re.findall(r'(?:src|rel="stylesheet" href)="([^"]+)"', page))
    assert loaded == {"manifest.js"} | SHARED | PAGE - {"index.html"}  # all there, none extra


def test_the_page_shares_the_web_players_stage_and_clock_rule(session, runtime, office_board):
    """One implementation: the stick carries the web player's own files, byte for byte."""
    archive = zipped(build(session, runtime, office_board[0]))
    player = resource_dir("player")
    for name in SHARED:
        assert archive.read(name) == (player / name.removeprefix("player/")).read_bytes(), name


@pytest.mark.parametrize("days", [1, 3, 31])
def test_the_manifest_covers_the_days_with_contiguous_segments(
    session, runtime, office_board, days
):
    board, made = office_board
    manifest = build(session, runtime, board, days).manifest
    segments = manifest["segments"]
    assert manifest["board"] == manifests.board_json(board)
    assert (manifest["board"]["width"], manifest["board"]["height"]) == (384, 192)
    assert manifest["generated_at"] == "2026-11-26T08:00:00Z"
    assert parse(manifest["valid_until"]) == NOW + timedelta(days=days)
    assert {"version", "server_time", "poll_seconds"} <= set(manifest)
    assert parse(segments[0]["start"]) <= NOW
    assert parse(segments[-1]["end"]) >= NOW + timedelta(days=days)
    assert all(a["end"] == b["start"] for a, b in zip(segments, segments[1:], strict=False))
    # Office hours alternate with the standby slide: two segments a day.
    assert len(segments) >= 2 * days
    office = [s for s in segments if s["kind"] != "fallback"]
    rotation = [m.id for m in made]
    assert office and all([i["slide_id"] for i in s["items"]] == rotation for s in office)
    items = [item for s in segments for item in s["items"]]
    assert all((i["width"], i["height"]) == (384, 192) for i in items)
    assert all(i["url"] == f"media/{i['sha256']}.{EXT[i['mime']]}" for i in items)


def test_media_bytes_hash_to_their_names(session, runtime, office_board):
    archive = zipped(build(session, runtime, office_board[0]))
    media = [n for n in archive.namelist() if n.startswith("media/")]
    assert media
    for name in media:
        data = archive.read(name)
        assert name.startswith(f"media/{hashlib.sha256(data).hexdigest()}.")
        assert Image.open(io.BytesIO(data)).size == (384, 192)


def wallclock(value: str) -> datetime:
    match = re.fullmatch(r"wallclock\((.+)\)", value)
    assert match, value
    instant = datetime.fromisoformat(match.group(1))
    assert instant.tzinfo is not None, value  # never the player's own idea of local time
    return instant


def test_the_smil_playlist_plays_the_same_rotation(session, runtime, office_board):
    archive = zipped(build(session, runtime, office_board[0]))
    manifest = json.loads(archive.read("manifest.json"))
    root = ET.fromstring(archive.read("playlist.smil"))
    assert root.tag == "{http://www.w3.org/ns/SMIL}smil" and root.get("version") == "3.0"
    size = root.find("s:head/s:layout/s:root-layout", SMIL)
    assert (size.get("width"), size.get("height")) == ("384", "192")
    region = root.find("s:head/s:layout/s:region", SMIL)
    assert (region.get("width"), region.get("height")) == ("384", "192")
    name = region.get("regionName")
    seqs = root.findall("s:body/s:par/s:seq", SMIL)
    segments = manifest["segments"]
    assert len(seqs) == len(segments)
    for seq, segment in zip(seqs, segments, strict=True):
        assert wallclock(seq.get("begin")) == parse(segment["start"])
        assert seq.get("repeatCount") == "indefinite"
        images = [(i.get("src"), i.get("dur"), i.get("region")) for i in seq.findall("s:img", SMIL)]
        expected = [(i["url"], f"{i['duration_s']}s", name) for i in segment["items"]]
        assert images == expected
    assert [wallclock(s.get("end")) for s in seqs[:-1]] == [parse(s["end"]) for s in segments[:-1]]
    assert seqs[-1].get("end") is None  # the last segment keeps rotating past the horizon
    # Written in the board's local time, as an operator reads it.
    assert seqs[0].get("begin") == "wallclock(2026-11-26T08:00:00+07:00)"
    assert seqs[0].get("end") == "wallclock(2026-11-26T17:00:00+07:00)"


def test_a_crossfading_board_gets_a_smil_fade(session, runtime, office_board):
    manifest = build(session, runtime, office_board[0]).manifest
    assert b"transition" not in smil_document(manifest)  # a hard cut by default
    manifest["board"]["transition"] = "crossfade"
    root = ET.fromstring(smil_document(manifest))
    fade = root.find("s:head/s:transition", SMIL)
    name = fade.get("{http://www.w3.org/XML/1998/namespace}id")
    assert (fade.get("type"), fade.get("subtype"), fade.get("dur")) == ("fade", "crossfade", "0.6s")
    images = root.findall("s:body/s:par/s:seq/s:img", SMIL)
    assert images and all(i.get("transIn") == name for i in images)


def test_missing_renditions_are_rendered_and_the_steps_reported(session, runtime, office_board):
    board, _ = office_board
    session.execute(delete(Rendition))
    steps = []
    bundle = build(session, runtime, board, progress=lambda *step: steps.append(step))
    made = session.scalars(select(Rendition).where(Rendition.width == 384)).all()
    assert len(made) == 3 and all(r.height == 192 for r in made)
    assert {file.source_sha256 for file in bundle.media.values()} == {r.sha256 for r in made}
    assert steps[0][0] == "schedule"
    assert steps[1:] == [("renditions", 1, 3), ("renditions", 2, 3), ("renditions", 3, 3)]


@pytest.mark.parametrize("days", [0, 32, -1, "2.5", "bảy", "7 days"])
def test_days_outside_1_to_31_are_refused(session, runtime, office_board, days):
    with pytest.raises(ValidationFailed) as refused:
        build(session, runtime, office_board[0], days)
    assert refused.value.details == [
        {"field": "days", "code": "not_a_day_count", "low": 1, "high": 31}
    ]


def test_days_default_to_a_week():
    assert bundles.parse_days(None) == bundles.parse_days("") == 7
    assert bundles.parse_days(" 31 ") == 31


def test_the_file_is_named_after_the_board_and_dates(session, runtime, office_board):
    board = office_board[0]
    bundle = build(session, runtime, board, 3)
    assert bundle.filename == f"board-{board.id}-bang-led-chi-lang_2026-11-26_2026-11-29.zip"


def test_save_replaces_the_file_atomically(session, runtime, office_board, tmp_path):
    out = tmp_path / "usb" / "bundle.zip"
    out.parent.mkdir()
    out.write_bytes(b"an older bundle")
    bundle = build(session, runtime, office_board[0])
    assert bundles.save(bundle, out) == out
    assert set(zipped(bundle).namelist()) == set(zipfile.ZipFile(out).namelist())
    assert [p.name for p in out.parent.iterdir()] == ["bundle.zip"]  # no temporary file left


def test_a_folder_as_output_gets_the_named_file(session, runtime, office_board, tmp_path):
    bundle = build(session, runtime, office_board[0])
    (tmp_path / "usb").mkdir()
    assert bundles.save(bundle, tmp_path / "usb") == tmp_path / "usb" / bundle.filename
    assert zipfile.is_zipfile(tmp_path / "usb" / bundle.filename)


def test_an_unwritable_output_is_named_and_nothing_is_written(
    session, runtime, office_board, tmp_path
):
    bundle = build(session, runtime, office_board[0])
    out = tmp_path / "out"
    out.mkdir()
    not_a_folder = out / "notes.txt"
    not_a_folder.write_text("x")
    for bad in (not_a_folder / "bundle.zip", out / "missing" / "bundle.zip"):
        with pytest.raises(ValidationFailed) as refused:
            bundles.save(bundle, bad)
        assert refused.value.details == [
            {
                "field": "output",
                "code": "output_not_writable",
                "location": str(bad),
                "reason_code": "not_a_folder",
            }
        ]
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (errno.ENOSPC, "disk_full"),
        (errno.EACCES, "no_permission"),
        (errno.EROFS, "read_only_storage"),
        (errno.EIO, "EIO"),  # no words of our own: its errno name, which one can look up
    ],
)
def test_a_refused_write_says_why(
    session, runtime, office_board, tmp_path, monkeypatch, error, reason
):
    bundle = build(session, runtime, office_board[0])
    usb = tmp_path / "usb"
    usb.mkdir()

    def refuse(*_args, **_kwargs):  # as when the stick fills up half-way through the zip
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(bundles, "write_zip", refuse)
    with pytest.raises(ValidationFailed) as refused:
        bundles.save(bundle, usb / "bundle.zip")
    assert refused.value.details[0]["code"] == "output_not_writable"
    assert refused.value.details[0]["reason_code"] == reason
    assert not list(usb.iterdir())  # not even the temporary file


def test_damaged_media_stops_the_export(session, runtime, office_board, tmp_path):
    bundle = build(session, runtime, office_board[0])
    damaged = next(iter(bundle.media.values()))
    damaged.source.write_bytes(b"not the rendered picture")
    with pytest.raises(bundles.MediaDamaged) as refused:
        build(session, runtime, office_board[0])  # noticed while the WebP becomes PNG
    assert refused.value.code == "media_damaged"
    assert refused.value.params == {"name": f"media/{damaged.source_sha256}.webp"}


def test_damaged_media_found_while_writing_leaves_no_file(session, runtime, tmp_path):
    board, _ = boards.create_board(session, "Màn hình Trung tâm hành chính công", 1920, 1080)
    session.flush()
    bundle = build(session, runtime, board)
    stored = next(f for f in bundle.media.values() if f.converted is None)
    stored.source.write_bytes(b"not the rendered picture")
    with pytest.raises(bundles.MediaDamaged) as refused:
        bundles.save(bundle, tmp_path / "bundle.zip")
    assert refused.value.code == "media_damaged"
    assert refused.value.params == {"name": stored.name}
    assert not (tmp_path / "bundle.zip").exists()
    assert not list(tmp_path.glob(".bundle.zip.*"))


def test_webp_renditions_travel_as_png_with_the_same_pixels(session, runtime, office_board):
    bundle = build(session, runtime, office_board[0])
    items = [i for s in bundle.manifest["segments"] for i in s["items"]]
    assert items and {i["mime"] for i in items} == {"image/png"}
    for file in bundle.media.values():
        assert file.source.suffix == ".webp" and file.name.endswith(".png")
        assert hashlib.sha256(file.converted).hexdigest() == file.sha256
        with Image.open(file.source) as webp, Image.open(io.BytesIO(file.converted)) as png:
            assert png.size == webp.size == (384, 192)
            assert png.convert("RGBA").tobytes() == webp.convert("RGBA").tobytes()
