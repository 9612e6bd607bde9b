"""What the periodic jobs do. Each takes the runtime and returns a short summary."""

from __future__ import annotations

from signage.runtime import Runtime
from signage.services import boards, manifests, pairing, renditions


def render_due(runtime: Runtime) -> str:
    """Render every playable revision at every registered board size that lacks a rendition."""
    with runtime.db.transaction() as session:
        sizes = boards.distinct_sizes(session)
        made = renditions.render_playable(session, runtime.store, sizes)
    return f"{made} new renditions"


def refresh_manifests(runtime: Runtime) -> str:
    settings = runtime.settings
    with runtime.db.transaction() as session:
        built = manifests.refresh_due(
            session, runtime.store, settings.manifest_hours, settings.poll_seconds
        )
    return f"{built} manifests rebuilt"


def prune_pairings(runtime: Runtime) -> str:
    with runtime.db.transaction() as session:
        removed = pairing.prune_expired(session)
    return f"{removed} old pairings removed"
