"""Users, roles, login and personal API tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import ROLES, ApiToken, User, utcnow

from . import audit
from .errors import Conflict, NotFound, ValidationFailed
from .secrets import hash_password, new_token, token_digest, verify_password

MIN_PASSWORD = 8


def create_user(
    session: Session, username: str, role: str, password: str, actor: User | None = None
) -> User:
    problems = []
    if not username or len(username) > 80:
        problems.append(("username", "must be 1 to 80 characters"))
    if role not in ROLES:
        problems.append(("role", f"must be one of {', '.join(ROLES)}"))
    if len(password) < MIN_PASSWORD:
        problems.append(("password", f"must be at least {MIN_PASSWORD} characters"))
    if problems:
        raise ValidationFailed.fields(problems)
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict(f"username {username!r} is taken")
    user = User(username=username, role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", user, role=role)
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user, or None; the caller must not reveal which part was wrong."""
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user and user.active else None


def create_api_token(session: Session, username: str) -> tuple[ApiToken, str]:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    token, digest = new_token("sgu")
    row = ApiToken(user_id=user.id, token_hash=digest)
    session.add(row)
    session.flush()
    audit.record(session, user, "create", row)
    return row, token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    return row.user


def revoke_api_token(session: Session, token_id: int, actor: User) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound("no such token")
    row.revoked_at = utcnow()
    audit.record(session, actor, "revoke", row)
