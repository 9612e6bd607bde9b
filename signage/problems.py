"""A problem or a warning as a stable code with parameters.

The cores and the services never write sentences for people: they say *what* happened
(``fit_too_long``) and give the numbers (``{"width": 384, "lines": 5, "allowed": 4}``). Only the
presentation layers (``signage.wording``, used by the web and the CLI) turn a code into words,
in the reader's language. Codes are snake_case and never change with the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Keys of a problem's dict form that locate or word it rather than parameterise it.
NOT_PARAMS = frozenset({"code", "field", "path", "message"})


def params_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of a problem in dict form (a detail of an error, a stored warning)."""
    return {key: value for key, value in data.items() if key not in NOT_PARAMS}


@dataclass(frozen=True)
class Problem:
    """``code`` names the problem; ``params`` are JSON values the wording may quote."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **params: Any) -> Problem:
        return cls(code, params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, **self.params}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        params = {key: value for key, value in data.items() if key != "code"}
        return cls(str(data["code"]), params)
