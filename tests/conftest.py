"""Shared fixtures: every test gets its own fresh database (SQLite, or a PostgreSQL schema)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from signage import create_app
from signage.config import Settings, sqlite_url
from signage.db import Database
from signage.models import Base
from signage.runtime import Runtime
from signage.services import accounts, layouts, secrets
from signage.storage import MediaStore

PG_URL = os.environ.get("SIGNAGE_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2 at its production cost takes ~0.4 s a hash; five users per test add up.
    The same algorithm runs, with its lowest work factors."""
    monkeypatch.setattr(secrets, "_hasher", PasswordHasher(time_cost=1, memory_cost=64))


@pytest.fixture
def database(tmp_path: Path):
    """A Database bound to an empty schema of its own."""
    if not PG_URL:
        db = Database(sqlite_url(tmp_path))
        yield db
        db.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    db = Database(f"{PG_URL}?options=-csearch_path%3D{schema}")
    yield db
    db.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def runtime(tmp_path: Path, database: Database) -> Runtime:
    Base.metadata.create_all(database.engine)
    settings = Settings(
        data_dir=tmp_path,
        database_url=database.engine.url.render_as_string(hide_password=False),
        secret_key="test-secret",
        testing=True,
        # Tests act and check at once; the snapshot's own tests give it a real max age.
        revalidation_s=0.0,
    )
    (tmp_path / "media").mkdir(exist_ok=True)
    rt = Runtime(settings, database, MediaStore(settings.media_dir))
    with database.transaction() as session:
        layouts.sync_builtin(session)
    return rt


@pytest.fixture
def session(runtime: Runtime):
    with runtime.db.sessions() as s:
        yield s


@pytest.fixture
def app(runtime: Runtime):
    return create_app(runtime=runtime)


@pytest.fixture
def client(app):
    return app.test_client()


PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def users(runtime: Runtime) -> dict:
    """One user per role, each with a personal API token: {role: (user_id, token)}."""
    made = {}
    with runtime.db.transaction() as s:
        for role in ("admin", "approver", "editor", "designer", "viewer"):
            user = accounts.create_user(s, role, role, PASSWORD)
            _, token = accounts.create_api_token(s, role)
            made[role] = (user.id, token)
    return made


@pytest.fixture
def auth(users):
    """Authorization headers for a role: auth("editor")."""

    def headers(role: str) -> dict:
        return {"Authorization": f"Bearer {users[role][1]}"}

    return headers
