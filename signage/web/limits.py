"""Rate limits: unauthenticated endpoints (pairing, login) and wrong pairing codes typed by
staff in the admin or through the API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

from signage.services.errors import ValidationFailed

limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Wrong pairing codes typed by staff. Codes are short, so guessing must stay slow: each user,
# and each address (several staff may share an office's address), gets a budget of mistakes.
WRONG_CODES_PER_USER = "10 per 15 minutes"
WRONG_CODES_PER_ADDRESS = "30 per 15 minutes"


def _user_key() -> str:
    return f"user:{current_user.get_id() or 'anonymous'}"


def _was_wrong_code(_response) -> bool:
    return bool(g.get("wrong_pairing_code"))


def limit_wrong_codes(on_breach: Callable | None = None) -> Callable:
    """Decorate a view that takes a pairing code. Only requests that ran into a wrong code
    (see ``counting_wrong_codes``) use up the budget; once it is spent, even a right code waits."""

    def decorate(view):
        for limit, scope, key in (
            (WRONG_CODES_PER_USER, "pairing-code-user", _user_key),
            (WRONG_CODES_PER_ADDRESS, "pairing-code-address", get_remote_address),
        ):
            view = limiter.shared_limit(
                limit,
                scope,
                key_func=key,
                methods=["POST"],
                deduct_when=_was_wrong_code,
                on_breach=on_breach,
            )(view)
        return view

    return decorate


@contextmanager
def counting_wrong_codes() -> Iterator[None]:
    """Marks the request when the service refuses the code, for ``limit_wrong_codes``."""
    try:
        yield
    except ValidationFailed as exc:
        if any(detail.get("field") == "code" for detail in exc.details):
            g.wrong_pairing_code = True
        raise
