"""The periodic jobs, declared as data. Each worker that becomes the active one logs this list
and forgets the recorded runs (job_state) of jobs no longer in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from signage.runtime import Runtime

from . import tasks


@dataclass(frozen=True)
class Job:
    name: str
    every_s: int
    run: Callable[[Runtime], str]
    description: str


JOBS: tuple[Job, ...] = (
    Job("render_due", 60, tasks.render_due, "render approved slides at every board size"),
    Job("refresh_manifests", 60, tasks.refresh_manifests, "rebuild changed or ageing manifests"),
    Job("prune_pairings", 3600, tasks.prune_pairings, "forget pairing codes a day after expiry"),
)
