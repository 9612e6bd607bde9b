"""The quickstart's first run seeds the demo; a second run on the same data dir changes nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from signage import quickstart
from signage.bootstrap import open_runtime
from signage.models import Base, Board, Group, Rendition, Schedule, Slide, User
from signage.services import accounts

COUNTED = (Board, Group, Slide, Schedule, User, Rendition)


def counts(runtime) -> dict:
    with runtime.db.sessions() as session:
        return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


def first_and_second_run(tmp_path, database, monkeypatch):
    monkeypatch.setenv("SIGNAGE_DATABASE_URL", database.engine.url.render_as_string(False))
    results = []
    for _ in range(2):
        runtime = open_runtime(tmp_path)
        password = quickstart._ensure_admin(runtime)
        seeded = quickstart._seed(runtime)
        quickstart.tasks.render_due(runtime)
        results.append((runtime, password, seeded, counts(runtime)))
    return results


def test_second_run_keeps_everything(tmp_path, database, monkeypatch):
    (rt1, password, seeded, before), (rt2, again, reseeded, after) = first_and_second_run(
        tmp_path, database, monkeypatch
    )
    assert password and again is None
    assert len(seeded) >= 3 and reseeded == []
    assert before == after
    with rt2.db.sessions() as session:
        assert accounts.authenticate(session, "admin", password).role == "admin"
        sizes = {(b.width, b.height) for b in session.scalars(select(Board))}
    assert {(1920, 1080), (1080, 1920), (384, 192)} <= sizes
    assert before["Rendition"] >= before["Slide"] * len(sizes) - len(sizes)


def test_demo_speaks_of_resolution_49(tmp_path, database, monkeypatch):
    [(runtime, *_), _] = first_and_second_run(tmp_path, database, monkeypatch)
    with runtime.db.sessions() as session:
        text = " ".join(str(r.fields) for s in session.scalars(select(Slide)) for r in s.revisions)
        statuses = {s.playable is not None for s in session.scalars(select(Slide))}
    for fact in ("49-NQ/TU", "28/9/2021", "1008-CV/BTGTU", "tuyengiaolangson.vn"):
        assert fact in text
    assert statuses == {True}  # every demo slide is approved


def test_schema_comes_from_the_migrations(tmp_path, database, monkeypatch):
    """What Alembic builds matches the models exactly, on SQLite and PostgreSQL alike."""
    monkeypatch.setenv("SIGNAGE_DATABASE_URL", database.engine.url.render_as_string(False))
    runtime = open_runtime(tmp_path)
    with runtime.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
