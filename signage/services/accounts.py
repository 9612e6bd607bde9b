"""Users, roles, login and personal API tokens."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import ROLES, ApiToken, User, utcnow

from . import audit
from .errors import Conflict, NotFound, ValidationFailed, detail
from .secrets import hash_password, new_token, token_digest, verify_password

MIN_PASSWORD = 10
MAX_USERNAME = 80
# Shorter usernames are not looked for inside a password: "an" is in many good ones.
MIN_USERNAME_INSIDE = 4
# Common passwords the zxcvbn list lacks (Vietnamese favourites, long runs); shipped with us.
EXTRA_COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    """Lower-cased common passwords: zxcvbn's 30,000 from leaked sets, plus our own list."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    extra = EXTRA_COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    ours = (line.strip().lower() for line in extra if not line.startswith("#"))
    return frozenset(FREQUENCY_LISTS["passwords"]) | {line for line in ours if line}


def _is_about_the_username(password: str, username: str) -> bool:
    """The username itself in any case, or the username with fewer than MIN_PASSWORD other
    characters around it ("Lan.Nguyen2024" for lan.nguyen)."""
    folded, name = password.casefold(), username.casefold()
    if not name:
        return False
    if folded == name:
        return True
    if len(name) < MIN_USERNAME_INSIDE or name not in folded:
        return False
    return len(folded.replace(name, "")) < MIN_PASSWORD


def _weak(reason_code: str) -> dict:
    return detail("password", "weak_password", reason_code=reason_code, limit=MIN_PASSWORD)


def password_problem(password: str, username: str = "") -> dict | None:
    """Why ``password`` is too weak for ``username``, as a ``weak_password`` detail, or None.

    At least MIN_PASSWORD characters, not about the username (see _is_about_the_username),
    and not a common password (case-insensitively); the first rule broken is the reason."""
    if len(password) < MIN_PASSWORD:
        return _weak(reason_code="password_too_short")
    if _is_about_the_username(password, username):
        return _weak(reason_code="password_is_username")
    if password.casefold() in common_passwords():
        return _weak(reason_code="password_too_common")
    return None


def _account_problems(username: str, role: str, password: str) -> list[dict]:
    problems = []
    if not username:
        problems.append(detail("username", "required"))
    elif len(username) > MAX_USERNAME:
        problems.append(detail("username", "too_long", count=len(username), limit=MAX_USERNAME))
    if role not in ROLES:
        problems.append(detail("role", "unknown_role", role=str(role), allowed=list(ROLES)))
    weak = password_problem(password, username)
    if weak:
        problems.append(weak)
    return problems


def create_user(
    session: Session, username: str, role: str, password: str, actor: User | None = None
) -> User:
    problems = _account_problems(username, role, password)
    if problems:
        raise ValidationFailed.fields(problems)
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict("username_taken", username=username)
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


def active_user(session: Session, user_id: str | int) -> User | None:
    """The user a session cookie names, while the account is active."""
    try:
        user = session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None
    return user if user and user.active else None


def create_api_token(session: Session, username: str) -> tuple[ApiToken, str]:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("user_not_found", username=username)
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
        raise NotFound("token_not_found", id=token_id)
    row.revoked_at = utcnow()
    audit.record(session, actor, "revoke", row)


def usernames(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """{id: username} for the given ids (None and unknown ids are skipped), for pages that
    name who wrote or decided something."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return dict(rows.all())
