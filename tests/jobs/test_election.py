"""The runner lock: one holder at a time, freed the moment its holder lets go."""

from __future__ import annotations

import pytest

from signage.db import Database
from signage.jobs.election import AdvisoryLock, FileLock, election_for
from signage.locks import lock_key


def test_only_one_election_holds_the_lock_until_it_lets_go(database):
    first, second = election_for(database.engine), election_for(database.engine)
    assert first.hold()
    assert first.hold()  # keeping it is not taking it twice
    assert not second.hold()
    first.release()
    assert second.hold()
    assert not first.hold()
    second.release()


def test_the_database_decides_the_kind_of_lock(database):
    election = election_for(database.engine)
    expected = AdvisoryLock if database.engine.dialect.name == "postgresql" else FileLock
    assert isinstance(election, expected)


def test_deployments_in_different_schemas_use_different_keys():
    assert lock_key("public", "jobs") != lock_key("lang_son", "jobs")
    assert lock_key("public", "jobs") != lock_key("public", "bootstrap")
    assert -(2**63) <= lock_key("public", "jobs") < 2**63


def test_an_in_memory_database_has_no_election():
    memory = Database("sqlite://")
    with pytest.raises(RuntimeError, match="no job runner election"):
        election_for(memory.engine)
    memory.dispose()


def test_a_lost_postgresql_connection_stands_the_holder_by(database):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock lives on a PostgreSQL connection")
    holder, standby = AdvisoryLock(database.engine), AdvisoryLock(database.engine)
    assert holder.hold()
    with database.engine.connect() as admin:
        pid = holder.connection.connection.dbapi_connection.info.backend_pid
        admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    assert not holder.hold()  # it notices at its next check, and stands by
    assert standby.hold()  # the lock went with the session
    standby.release()
