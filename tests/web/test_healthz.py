"""`GET /healthz` says the server reaches its database and, beside that, which worker runs the
periodic jobs: the one that ticked recently, or null when none did."""

from __future__ import annotations

from datetime import timedelta

from signage.models import ActiveWorker, utcnow
from signage.services import active_worker
from signage.services.active_worker import Identity


def record(runtime, ticked_ago_s: float, tick_s: float = 5.0) -> Identity:
    worker = Identity("sign-01", 4242, since=utcnow() - timedelta(hours=2))
    with runtime.db.transaction() as session:
        active_worker.record_tick(session, worker, tick_s)
        row = session.get(ActiveWorker, active_worker.RUNNER)
        row.last_tick_at = utcnow() - timedelta(seconds=ticked_ago_s)
    return worker


def test_without_a_worker_the_server_is_still_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "worker": None}


def test_the_active_worker_is_named_with_its_host_pid_and_times(client, runtime):
    worker = record(runtime, ticked_ago_s=1)
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    shown = body["worker"]
    assert shown["active"] is True
    assert (shown["host"], shown["pid"]) == ("sign-01", 4242)
    assert shown["since"] == worker.since.isoformat().replace("+00:00", "Z")
    assert shown["since"] < shown["last_tick_at"]


def test_a_worker_silent_for_three_ticks_is_gone(client, runtime):
    record(runtime, ticked_ago_s=3 * 60 + 1, tick_s=60)
    assert client.get("/healthz").get_json()["worker"] is None
    record(runtime, ticked_ago_s=3 * 60 - 5, tick_s=60)
    assert client.get("/healthz").get_json()["worker"]["pid"] == 4242


def test_a_fast_ticking_worker_is_given_a_few_seconds_of_slack(client, runtime):
    # Clocks of two hosts and a busy database may be a few seconds apart.
    record(runtime, ticked_ago_s=5, tick_s=0.3)
    assert client.get("/healthz").get_json()["worker"] is not None
    record(runtime, ticked_ago_s=active_worker.SHORTEST_SILENCE_S + 1, tick_s=0.3)
    assert client.get("/healthz").get_json()["worker"] is None


def test_a_stopped_worker_is_forgotten_but_not_its_successor(client, runtime):
    stopped = record(runtime, ticked_ago_s=1)
    successor = Identity("sign-02", 77, since=utcnow())
    with runtime.db.transaction() as session:
        active_worker.record_tick(session, successor, 5.0)
        active_worker.forget(session, stopped)  # the old one stops after the takeover
    assert client.get("/healthz").get_json()["worker"]["host"] == "sign-02"
    with runtime.db.transaction() as session:
        active_worker.forget(session, successor)
    assert client.get("/healthz").get_json()["worker"] is None
