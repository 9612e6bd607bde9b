"""The body of a JSON request, as every blueprint that takes one reads it."""

from __future__ import annotations

from flask import request

from signage.services.errors import ValidationFailed


def json_body() -> dict:
    """The request's JSON object; anything else (no body, bad JSON, a list) is refused."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ValidationFailed.field("$", "not_a_json_object")
    return payload
