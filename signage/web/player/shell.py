"""The web player's shell: the files the player page loads, which its service worker keeps for
offline use.

``player/index.html`` is the only list of them: its ``<script src>`` and style sheet links, in
their order. The server reads that list when it serves ``sw.js`` and puts it in front of the
worker's code, with a cache name made from the bytes of the page and every file it loads. Adding
a file to the page, or changing one byte of one, therefore changes ``sw.js``: the browser installs
the worker again, which stores the new release whole under a new name and drops the old one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PAGE = "index.html"
WORKER = "sw.js"
CACHE_PREFIX = "signage-shell-"  # sw.js is told it, and drops its other caches by it
HASH_CHARS = 12


class _LoadedFiles(HTMLParser):
    """Collects what a page loads: scripts and style sheets."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            name = found.get("src")
        elif tag == "link" and "stylesheet" in (found.get("rel") or "").split():
            name = found.get("href")
        else:
            return
        if name:
            self.files.append(name)


@dataclass(frozen=True)
class Shell:
    files: tuple[str, ...]  # as the worker requests them, relative to /player/
    cache_name: str


def loaded_files(player: Path) -> list[str]:
    """The files ``index.html`` loads, in its order."""
    parser = _LoadedFiles()
    parser.feed((player / PAGE).read_text("utf-8"))
    return parser.files


def shell(player: Path) -> Shell:
    """The page (also asked for as ``./``, the address boards open) and what it loads."""
    files = [PAGE, *loaded_files(player)]
    digest = hashlib.sha256()
    for name in files:
        data = (player / name).read_bytes()
        # Name and length first, so moving bytes from one file to the next changes the hash too.
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return Shell(("./", *files), CACHE_PREFIX + digest.hexdigest()[:HASH_CHARS])


def service_worker(player: Path) -> bytes:
    """``sw.js`` as served: the shell as a global (its cache name, the prefix every release's
    cache name shares, and its files), then the worker's own code.

    Read at every request rather than once per process: boards ask for it once a page load,
    the files are small, and a changed file is picked up without a restart."""
    current = shell(player)
    declared = json.dumps(
        {"cache": current.cache_name, "prefix": CACHE_PREFIX, "files": list(current.files)}
    )
    return f"self.SIGNAGE_SHELL = {declared};\n".encode() + (player / WORKER).read_bytes()
