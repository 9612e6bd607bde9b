"""The audit log: who changed, approved or scheduled what."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from signage.models import AuditEntry, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    obj: Any,
    **detail: Any,
) -> None:
    session.add(
        AuditEntry(
            user_id=actor.id if actor else None,
            action=action,
            object_type=type(obj).__name__.lower(),
            object_id=str(getattr(obj, "id", "")),
            detail=detail,
        )
    )
