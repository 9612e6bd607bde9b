"""Manifest benchmark: full and incremental rebuilds for a province-sized deployment.

Run from the repository root:

    python bench/schedule.py            # 10,000 boards, 200 groups, 2,000 schedules, 5,000 slides
    python bench/schedule.py --quick    # 1,000 boards and a tenth of everything else
    python bench/schedule.py --scaling  # the full rebuild at 2,500, 5,000 and 10,000 boards

It builds the data in a temporary SQLite database (or SIGNAGE_BENCH_DATABASE_URL), with one
stored rendition per slide revision and board size, so what is timed is scheduling and manifest
building, not rendering. It prints:

1. a full rebuild: every board's manifest invalidated, then rebuilt by the worker's job;
2. an incremental rebuild after one edit (a new schedule) on a group of about 1,000 boards;
3. one board rebuilt on request (a poll that finds no cached manifest), median CPU time of 25;
4. with --scaling, how the full rebuild grows as the number of boards doubles.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from signage.config import sqlite_url  # noqa: E402
from signage.db import Database  # noqa: E402
from signage.models import (  # noqa: E402
    Base,
    Board,
    Group,
    Layout,
    Manifest,
    Playlist,
    PlaylistItem,
    Rendition,
    Schedule,
    ScheduleTarget,
    Slide,
    SlideRevision,
    board_groups,
)
from signage.services import layouts, manifests, programming  # noqa: E402
from signage.services.revalidation import read_snapshot  # noqa: E402
from signage.storage import MediaStore  # noqa: E402

SIZES = [(1920, 1080), (1080, 1920), (384, 192), (512, 256), (3840, 2160)]
NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
FAKE_SHA = "0" * 64


def bulk(session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        session.execute(insert(model), rows[start : start + 5000])


def seed_groups(session, districts: int, per_district: int) -> list[int]:
    bulk(session, Group, [{"name": f"Huyện {d}", "created_at": NOW} for d in range(districts)])
    parents = list(session.scalars(select(Group.id).order_by(Group.id)))
    rows = [
        {"name": f"Xã {d}-{c}", "parent_id": parent, "created_at": NOW}
        for d, parent in enumerate(parents)
        for c in range(per_district - 1)
    ]
    bulk(session, Group, rows)
    return list(session.scalars(select(Group.id).where(Group.parent_id.is_not(None))))


def seed_boards(session, count: int, communes: list[int], rng: random.Random) -> None:
    rows = []
    for i in range(count):
        width, height = SIZES[i % len(SIZES)]
        tz = "Europe/Berlin" if i % 97 == 0 else "Asia/Ho_Chi_Minh"
        rows.append(
            {
                "name": f"Bảng {i}",
                "width": width,
                "height": height,
                "timezone": tz,
                "token_hash": f"{i:064x}",
                "created_at": NOW,
            }
        )
    bulk(session, Board, rows)
    ids = list(session.scalars(select(Board.id).order_by(Board.id)))
    bulk(
        session,
        board_groups,
        [{"board_id": b, "group_id": communes[i % len(communes)]} for i, b in enumerate(ids)],
    )
    # A cross-cutting group of one board in ten, e.g. every outdoor LED wall in the province.
    session.execute(insert(Group), [{"name": "LED ngoài trời", "created_at": NOW}])
    led = session.scalar(select(Group.id).where(Group.name == "LED ngoài trời"))
    bulk(session, board_groups, [{"board_id": b, "group_id": led} for b in ids[::10]])


def seed_slides(session, count: int, layout_id: int) -> list[int]:
    bulk(session, Slide, [{"standby": False, "created_at": NOW} for _ in range(count)])
    slide_ids = list(session.scalars(select(Slide.id).order_by(Slide.id)))
    bulk(
        session,
        SlideRevision,
        [
            {
                "slide_id": s,
                "number": 1,
                "layout_id": layout_id,
                "fields": {"title": f"Tin {s}"},
                "duration_s": 10 + s % 20,
                "status": "approved",
                "created_at": NOW,
            }
            for s in slide_ids
        ],
    )
    revisions = session.execute(select(SlideRevision.id, SlideRevision.slide_id)).all()
    bulk(
        session,
        Rendition,
        [
            {
                "revision_id": r,
                "width": w,
                "height": h,
                "sha256": FAKE_SHA,
                "mime": "image/png",
                "ext": "png",
                "size": 1,
                "warnings": [],
                "created_at": NOW,
            }
            for r, _ in revisions
            for w, h in SIZES
        ],
    )
    return slide_ids


def seed_programming(session, schedules: int, slide_ids, groups, rng) -> None:
    playlists = max(1, schedules // 4)
    bulk(session, Playlist, [{"name": f"DS {p}", "created_at": NOW} for p in range(playlists)])
    playlist_ids = list(session.scalars(select(Playlist.id).order_by(Playlist.id)))
    bulk(
        session,
        PlaylistItem,
        [
            {"playlist_id": p, "position": i, "slide_id": rng.choice(slide_ids)}
            for p in playlist_ids
            for i in range(8)
        ],
    )
    windows = [
        (None, None),
        (clock(7, 30), clock(17, 0)),
        (clock(17, 0), clock(22, 0)),
        (clock(22, 0), clock(6, 0)),
    ]
    rows = []
    for s in range(schedules):
        time_from, time_to = windows[s % len(windows)]
        rows.append(
            {
                "name": f"Lịch {s}",
                "playlist_id": rng.choice(playlist_ids),
                "starts_at": datetime(2026, 1, 1, tzinfo=UTC),
                "ends_at": None,
                "days": "1,2,3,4,5" if s % 3 == 0 else None,
                "time_from": time_from,
                "time_to": time_to,
                "rrule": None,
                "priority": rng.choice([10, 20, 30]),
                "kind": "normal",
                "created_at": NOW,
            }
        )
    bulk(session, Schedule, rows)
    schedule_ids = list(session.scalars(select(Schedule.id).order_by(Schedule.id)))
    bulk(
        session,
        ScheduleTarget,
        [{"schedule_id": s, "group_id": rng.choice(groups)} for s in schedule_ids],
    )


def build_deployment(db: Database, boards: int, scale: float) -> dict:
    rng = random.Random(49)
    Base.metadata.create_all(db.engine)
    with db.transaction() as session:
        layouts.sync_builtin(session)
        layout = session.scalar(select(Layout.id).where(Layout.key == "announcement"))
        districts = max(2, round(20 * scale))
        communes = seed_groups(session, districts, 10)
        seed_boards(session, boards, communes, rng)
        slide_ids = seed_slides(session, round(5000 * scale), layout)
        seed_programming(session, round(2000 * scale), slide_ids, communes, rng)
        led = session.scalar(select(Group.id).where(Group.name == "LED ngoài trời"))
        return {"group": led, "playlist": session.scalar(select(Playlist.id))}


def timed_refresh(db: Database, store: MediaStore) -> tuple[float, float, int]:
    """Wall and CPU seconds of the worker's job, and how many manifests it built. The machine
    may be shared: CPU time moves least with other load."""
    start, cpu = time.perf_counter(), time.process_time()
    with db.transaction() as session:
        built = manifests.refresh_due(session, store, 48, 30, now=NOW)
    return time.perf_counter() - start, time.process_time() - cpu, built


def run(boards: int, scale: float, url: str | None, incremental: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(url or sqlite_url(Path(tmp)))
        store = MediaStore(Path(tmp) / "media")
        ids = build_deployment(db, boards, scale)
        with db.sessions() as session:
            counts = {
                m.__tablename__: session.scalar(select(func.count()).select_from(m))
                for m in (Board, Group, Schedule, Slide)
            }
        print(f"   deployment: {counts}")
        seconds, cpu, built = timed_refresh(db, store)
        print(
            f"   full rebuild: {built} manifests in {seconds:.2f} s, {cpu:.2f} s CPU "
            f"({1000 * seconds / built:.2f} ms a board)"
        )
        print(f"   revalidation snapshot: {snapshot_read_ms(db):.1f} ms to read (median of 5)")
        if not incremental:
            return
        with db.transaction() as session:
            reached = len(manifests_of_group(session, ids["group"]))
            programming.create_schedule(
                session,
                {
                    "playlist_id": ids["playlist"],
                    "targets": {"groups": [ids["group"]]},
                    "starts_at": "2026-11-26T12:00:00+07:00",
                    "priority": 40,
                },
                None,
            )
            left = session.scalar(select(func.count()).select_from(Manifest))
        seconds, cpu, built = timed_refresh(db, store)
        print(
            f"   incremental: a new schedule on a group of {reached} boards invalidated "
            f"{boards - left}; rebuilt {built} in {seconds:.2f} s, {cpu:.2f} s CPU"
        )
        single = single_build_ms(db, store)
        print(f"   on request: one board rebuilt in {single:.1f} ms CPU (median of 25)")
        db.dispose()


def single_build_ms(db: Database, store: MediaStore) -> float:
    """What a poll pays when it finds no cached manifest: one board built and stored."""
    times = []
    with db.sessions() as session:
        ids = list(session.scalars(select(Board.id).order_by(Board.id)))[::40][:25]
    for board_id in ids:
        with db.transaction() as session:
            board = session.get(Board, board_id)
            start = time.process_time()
            manifests.build(session, store, board, NOW, 48, 30)
            times.append(1000 * (time.process_time() - start))
    return statistics.median(times)


def snapshot_read_ms(db: Database) -> float:
    """What one web process pays, at most once a second, to answer revalidations from memory."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        read_snapshot(db)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def manifests_of_group(session, group_id: int) -> set[int]:
    from signage.services import reach

    return reach.boards_in_groups(session, [group_id])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scaling", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("SIGNAGE_BENCH_DATABASE_URL")
    print(f"signage manifest benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if args.quick:
        print("1-3. 1,000 boards, 20 groups, 200 schedules, 500 slides")
        run(1000, 0.1, url, incremental=True)
        return
    print("1-3. 10,000 boards, 200 groups, 2,000 schedules, 5,000 slides")
    run(10_000, 1.0, url, incremental=True)
    if args.scaling:
        print("4. full rebuild as boards double (groups, schedules and slides fixed)")
        for boards in (2_500, 5_000, 10_000):
            print(f" {boards} boards:")
            run(boards, 1.0, url, incremental=False)


if __name__ == "__main__":
    main()
