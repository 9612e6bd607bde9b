"""Content-addressed media store: every file is named by the SHA-256 of its bytes."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_NAME = re.compile(r"^([0-9a-f]{64})\.([a-z0-9]{1,5})$")


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str, ext: str) -> Path:
        # Two-level fan-out keeps directories small on boards with thousands of renditions.
        return self.root / sha256[:2] / f"{sha256}.{ext}"

    def put(self, data: bytes, ext: str) -> str:
        """Store bytes atomically (temp file + rename) and return their SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256, ext)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str, ext: str) -> bytes:
        return self.path_for(sha256, ext).read_bytes()

    def locate(self, filename: str) -> Path | None:
        """The stored file for a public name like ``<sha256>.png``, or None."""
        match = _NAME.match(filename)
        if not match:
            return None
        path = self.path_for(match.group(1), match.group(2))
        return path if path.is_file() else None
