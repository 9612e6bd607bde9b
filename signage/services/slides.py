"""Slides and their revisions: write, submit, approve or reject."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signage import rendering
from signage.models import SLIDE_STATUSES, Asset, Layout, Slide, SlideRevision, User, utcnow
from signage.storage import MediaStore

from . import audit, impact, manifests, validation
from .boards import distinct_sizes
from .errors import Conflict, NotFound, ValidationFailed, detail
from .layouts import get_layout, newest_version, resources_for

MAX_DURATION = 3600
STATUSES = SLIDE_STATUSES
ON_AIR = "on_air"  # a list filter: slides with an approved revision, whatever the latest is
LIST_FILTERS = (*STATUSES, ON_AIR)
# Views read each revision's layout, so it comes with the slide rather than a query apiece.
_WITH_REVISIONS = selectinload(Slide.revisions).selectinload(SlideRevision.layout)


def status_code(status: str) -> str:
    """The code that words a revision status (``status_pending``…)."""
    return f"status_{status}"


STATUS_CODES = frozenset(status_code(status) for status in STATUSES)


def field_detail(problem: rendering.FieldProblem, **context: Any) -> dict:
    """One ``details`` entry for a problem the rendering core found in a slide field."""
    return detail(f"fields.{problem.field}", problem.code, **{**context, **problem.params})


def _clean_fields(session: Session, spec: dict, fields: Any) -> dict:
    if not isinstance(fields, dict):
        raise ValidationFailed.field("fields", "not_a_json_object")
    cleaned = {
        name: unicodedata.normalize("NFC", value.strip()) if isinstance(value, str) else value
        for name, value in fields.items()
        if value not in (None, "")
    }
    problems = rendering.check_fields(spec, cleaned)
    if problems:
        raise ValidationFailed.fields([field_detail(p) for p in problems])
    image = cleaned.get("image")
    asset_id = _asset_id(image)
    if image is not None and (asset_id is None or session.get(Asset, asset_id) is None):
        raise ValidationFailed.field("fields.image", "unknown_asset", value=str(image))
    return cleaned


def _asset_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _check_glyphs(layout: Layout, fields: dict, store: MediaStore | None) -> None:
    """Refuse text the layout's fonts cannot draw: no tofu box ever reaches a board."""
    if layout.resources and store is None:
        return  # the layout package's fonts are not at hand; the renderer still never draws tofu
    resources = resources_for(store, layout) or None
    problems = rendering.missing_glyphs(layout.spec, fields, resources)
    if problems:
        raise ValidationFailed.fields([field_detail(p) for p in problems])


def _revision_values(session: Session, data: dict, store: MediaStore | None = None) -> dict:
    layout = get_layout(session, data.get("layout_id"))
    fields = _clean_fields(session, layout.spec, data.get("fields"))
    _check_glyphs(layout, fields, store)
    valid_from = validation.instant(data.get("valid_from"), "valid_from", required=False)
    valid_until = validation.instant(data.get("valid_until"), "valid_until", required=False)
    if valid_from and valid_until and valid_until <= valid_from:
        raise ValidationFailed.field("valid_until", "not_after_valid_from")
    return {
        "layout_id": layout.id,
        "fields": fields,
        "duration_s": validation.integer(data.get("duration_s", 10), "duration_s", 1, MAX_DURATION),
        "valid_from": valid_from,
        "valid_until": valid_until,
    }


def get_slide(session: Session, slide_id: int) -> Slide:
    """The slide with its revisions and their layouts, loaded afresh even when the session
    already holds it expired (as after a rolled back change)."""
    found = None
    if 0 < slide_id < 2**31:  # an id past the column's range names no slide
        query = select(Slide).where(Slide.id == slide_id).options(_WITH_REVISIONS)
        found = session.scalars(query).first()
    if found is None:
        raise NotFound("slide_not_found", id=slide_id)
    return found


def list_slides(session: Session, status: str | None = None) -> list[Slide]:
    """Newest first, with revisions and layouts. ``status`` keeps the slides whose latest
    revision has it, or with ``on_air`` those that have an approved revision."""
    if status is not None and status not in LIST_FILTERS:
        raise ValidationFailed.field("status", "unknown_slide_filter", allowed=list(LIST_FILTERS))
    query = select(Slide).options(_WITH_REVISIONS).order_by(Slide.id.desc())
    rows = list(session.scalars(query))
    if status == ON_AIR:
        return [slide for slide in rows if slide.playable is not None]
    if status is not None:
        return [slide for slide in rows if slide.latest.status == status]
    return rows


def create_slide(
    session: Session, data: dict, actor: User | None, store: MediaStore | None = None
) -> Slide:
    values = _revision_values(session, data, store)
    slide = Slide(created_by_id=actor.id if actor else None)
    slide.revisions.append(
        SlideRevision(number=1, status="draft", created_by_id=slide.created_by_id, **values)
    )
    session.add(slide)
    session.flush()
    audit.record(session, actor, "create", slide)
    return slide


def edit_slide(
    session: Session,
    slide: Slide,
    data: dict,
    actor: User | None,
    store: MediaStore | None = None,
    action: str = "edit",
) -> SlideRevision:
    """Drafts change in place; an edit of approved content starts a new draft revision,
    and the approved one keeps playing until the new one is approved."""
    latest = slide.latest
    current = {
        "layout_id": latest.layout_id,
        "fields": latest.fields,
        "duration_s": latest.duration_s,
        "valid_from": latest.valid_from,
        "valid_until": latest.valid_until,
    }
    values = _revision_values(session, {**current, **data}, store)  # the rest stays
    if latest.status == "approved":
        latest = SlideRevision(number=latest.number + 1, created_by_id=actor.id if actor else None)
        slide.revisions.append(latest)
    for name, value in values.items():
        setattr(latest, name, value)
    latest.status = "draft"
    session.flush()
    audit.record(session, actor, action, slide, revision=latest.number)
    return latest


def newer_layout(session: Session, revision: SlideRevision) -> Layout | None:
    """The newest version of the revision's layout, when it is newer than the one it uses."""
    newest = newest_version(session, revision.layout)
    return newest if newest.version > revision.layout.version else None


def relayout(
    session: Session,
    slide: Slide,
    layout_id: Any,
    actor: User | None,
    store: MediaStore | None = None,
) -> SlideRevision:
    """Move the slide on to another layout version (by default the newest of the same key).
    This is an edit: a new draft revision that needs approval, while the approved one plays."""
    current = slide.latest.layout
    target = newest_version(session, current) if layout_id is None else None
    if target is None:
        target = get_layout(session, layout_id)
    if target.id == current.id:
        raise Conflict("layout_already_used", key=target.key, version=target.version)
    return edit_slide(session, slide, {"layout_id": target.id}, actor, store, "relayout")


def fit_problems(
    session: Session, revision: SlideRevision, store: MediaStore | None = None
) -> list[dict]:
    """``details`` for the fields that cannot be set legibly on some registered board size;
    each names the size and by how much the text misses."""
    resources = resources_for(store, revision.layout) or None
    details = []
    for width, height in distinct_sizes(session):
        found = rendering.fit_problems(
            revision.layout.spec, revision.fields, width, height, resources=resources
        )
        details += [field_detail(p, width=width, height=height) for p in found]
    return details


def submit(
    session: Session, slide: Slide, actor: User | None, store: MediaStore | None = None
) -> SlideRevision:
    latest = slide.latest
    if latest.status not in ("draft", "rejected"):
        raise Conflict(
            "revision_not_submittable",
            revision=latest.number,
            status_code=status_code(latest.status),
        )
    problems = fit_problems(session, latest, store)
    if problems:
        raise ValidationFailed("text_does_not_fit", problems)
    latest.status = "pending"
    audit.record(session, actor, "submit", slide, revision=latest.number)
    return latest


def _decide(session, slide: Slide, actor: User | None, status: str, reason: str | None = None):
    action = {"approved": "approve", "rejected": "reject"}[status]
    latest = slide.latest
    if latest.status != "pending":
        raise Conflict(
            "revision_not_pending", revision=latest.number, status_code=status_code(latest.status)
        )
    latest.status = status
    latest.decided_by_id = actor.id if actor else None
    latest.decided_at = utcnow()
    latest.reject_reason = reason
    audit.record(session, actor, action, slide, revision=latest.number, reason=reason)
    return latest


def approve(session: Session, slide: Slide, actor: User | None) -> SlideRevision:
    revision = _decide(session, slide, actor, "approved")
    manifests.invalidate(session, impact.boards_for_slides(session, [slide.id]))
    return revision


def reject(session: Session, slide: Slide, reason: Any, actor: User | None) -> SlideRevision:
    reason = validation.text(reason, "reason", 1000)
    return _decide(session, slide, actor, "rejected", reason)
