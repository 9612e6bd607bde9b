"""The audit log: who changed, approved or scheduled what.

Each entry is an action on an object, recorded as data (``object_type``, ``action``, ``detail``)
and read as a sentence: ``code_of(entry)`` names its wording, with the actor, the object and
the detail as parameters ("bientap gửi duyệt trang chiếu #12, phiên bản 3").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import AuditEntry, User

# Every (object type, action) the services record; record() refuses any other.
ACTIONS = frozenset(
    {
        ("user", "create"),
        ("apitoken", "create"),
        ("apitoken", "revoke"),
        ("asset", "upload"),
        ("group", "create"),
        ("board", "create"),
        ("board", "edit"),
        ("board", "rotate_token"),
        ("board", "pair"),
        ("daypart", "create"),
        ("daypart", "edit"),
        ("layout", "upload"),
        ("playlist", "create"),
        ("playlist", "edit"),
        ("schedule", "schedule"),
        ("schedule", "unschedule"),
        ("slide", "create"),
        ("slide", "edit"),
        ("slide", "relayout"),
        ("slide", "submit"),
        ("slide", "approve"),
        ("slide", "reject"),
    }
)


def code_for(object_type: str, action: str) -> str:
    return f"audit_{object_type}_{action}"


CODES = frozenset(code_for(object_type, action) for object_type, action in ACTIONS) | {
    "role_admin",
    "role_approver",
    "role_editor",
    "role_designer",
    "role_viewer",
    "schedule_kind_normal",
    "schedule_kind_emergency",
}


def record(
    session: Session,
    actor: User | None,
    action: str,
    obj: Any,
    **detail: Any,
) -> None:
    object_type = type(obj).__name__.lower()
    if (object_type, action) not in ACTIONS:
        raise ValueError(f"undeclared audit action {object_type}.{action}")
    session.add(
        AuditEntry(
            user_id=actor.id if actor else None,
            action=action,
            object_type=object_type,
            object_id=str(getattr(obj, "id", "")),
            detail=detail,
        )
    )


@dataclass(frozen=True)
class AuditLine:
    """One entry as the log shows it: when, who, and the code and parameters of its sentence."""

    entry: AuditEntry
    username: str | None
    code: str
    params: dict[str, Any]


# Details whose values are words of the system, worded in the reader's language.
WORDED_DETAILS = {"role": "role_", "kind": "schedule_kind_"}


def _params(entry: AuditEntry, username: str | None) -> dict[str, Any]:
    detail = {key: value for key, value in (entry.detail or {}).items() if value is not None}
    for key, prefix in WORDED_DETAILS.items():
        if key in detail:
            detail[f"{key}_code"] = f"{prefix}{detail[key]}"
    return {**detail, "user": username or "—", "id": entry.object_id or ""}


def latest(session: Session, limit: int) -> list[AuditLine]:
    """The newest entries first, each with its actor's username."""
    rows = session.execute(
        select(AuditEntry, User.username)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        AuditLine(entry, name, code_for(entry.object_type, entry.action), _params(entry, name))
        for entry, name in rows
    ]
