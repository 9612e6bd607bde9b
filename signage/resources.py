"""Locate the folders that ship with the package (layouts, assets, web player).

In a wheel they live under ``signage/_data``; in a source checkout they are the
top-level folders next to the package.
"""

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
