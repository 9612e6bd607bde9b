"""Migration 0004 on a database that already holds boards: nothing is lost, every board cuts,
and cached manifests are dropped so each is rebuilt with the transition in it."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from signage import migrate

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _seed_before_0004(connection) -> None:
    connection.execute(
        text(
            "INSERT INTO boards (id, name, width, height, timezone, created_at) "
            "VALUES (1, 'Bảng LED', 384, 192, 'Asia/Ho_Chi_Minh', :now)"
        ),
        {"now": NOW},
    )
    connection.execute(
        text("INSERT INTO groups (id, name, created_at) VALUES (1, 'G', :now)"), {"now": NOW}
    )
    connection.execute(text("INSERT INTO board_groups (board_id, group_id) VALUES (1, 1)"))
    connection.execute(
        text(
            "INSERT INTO manifests (board_id, version, body, generated_at, valid_until) "
            "VALUES (1, 'old', :body, :now, :now)"
        ),
        {"body": '{"board": {"id": 1}}', "now": NOW},
    )


def test_0004_keeps_boards_and_drops_cached_manifests(database):
    migrate.upgrade(database.engine, "0003")
    with database.engine.begin() as connection:
        _seed_before_0004(connection)
    migrate.upgrade(database.engine)
    with database.engine.begin() as connection:
        row = connection.execute(text("SELECT name, transition, uptime_s FROM boards")).one()
        assert tuple(row) == ("Bảng LED", "cut", None)
        assert connection.execute(text("SELECT count(*) FROM board_groups")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM manifests")).scalar() == 0


def test_0004_downgrades_in_place(database):
    migrate.upgrade(database.engine)
    with database.engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "0003")
    columns = {c["name"] for c in inspect(database.engine).get_columns("boards")}
    assert "transition" not in columns and "uptime_s" not in columns
    assert "screen_width" in columns
