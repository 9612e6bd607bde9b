"""What the periodic jobs do. Each takes the runtime and returns a short summary."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from signage.models import Pairing, PlaylistItem, Rendition, Slide, utcnow
from signage.runtime import Runtime
from signage.services import boards, manifests, renditions


def render_due(runtime: Runtime) -> str:
    """Render every playable revision at every registered board size that lacks a rendition."""
    with runtime.db.transaction() as session:
        before = session.scalar(select(func.count(Rendition.id)))
        sizes = boards.distinct_sizes(session)
        in_use = select(PlaylistItem.slide_id)
        query = select(Slide).where(Slide.id.in_(in_use)).options(selectinload(Slide.revisions))
        for slide in session.scalars(query):
            revision = slide.playable
            for width, height in sizes if revision else ():
                renditions.ensure_rendition(session, runtime.store, revision, width, height)
        made = session.scalar(select(func.count(Rendition.id))) - before
    return f"{made} new renditions"


def refresh_manifests(runtime: Runtime) -> str:
    settings = runtime.settings
    with runtime.db.transaction() as session:
        built = manifests.refresh_due(
            session, runtime.store, settings.manifest_hours, settings.poll_seconds
        )
    return f"{built} manifests rebuilt"


def prune_pairings(runtime: Runtime) -> str:
    cutoff = utcnow() - timedelta(days=1)
    with runtime.db.transaction() as session:
        result = session.execute(delete(Pairing).where(Pairing.expires_at < cutoff))
    return f"{result.rowcount} old pairings removed"
