"""Settings from ``SIGNAGE_*`` environment variables. The defaults need no setup."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    poll_seconds: int = 30
    manifest_hours: int = 48
    offline_after_s: int = 180
    # How stale the in-memory answer to a manifest revalidation may be (services/revalidation.py).
    revalidation_s: float = 1.0
    public_url: str | None = None
    # Session cookies only over HTTPS: SIGNAGE_SECURE_COOKIES=1, or an https:// SIGNAGE_PUBLIC_URL.
    secure_cookies: bool = False
    ratelimit_storage: str = "memory://"
    testing: bool = False

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **changes)


def default_data_dir() -> Path:
    return Path(os.environ.get("SIGNAGE_DATA_DIR", "signage-data")).resolve()


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'signage.db'}"


def _secret_key(data_dir: Path) -> str:
    """Read the key from the data dir, creating it on first use so sessions survive restarts."""
    from_env = os.environ.get("SIGNAGE_SECRET_KEY")
    if from_env:
        return from_env
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    return path.read_text().strip()


def secure_cookies(public_url: str | None) -> bool:
    if os.environ.get("SIGNAGE_SECURE_COOKIES", "").strip() == "1":
        return True
    return (public_url or "").lower().startswith("https://")


def load_settings(data_dir: Path | str | None = None) -> Settings:
    directory = Path(data_dir).resolve() if data_dir else default_data_dir()
    public_url = os.environ.get("SIGNAGE_PUBLIC_URL") or None
    return Settings(
        data_dir=directory,
        database_url=os.environ.get("SIGNAGE_DATABASE_URL") or sqlite_url(directory),
        secret_key=_secret_key(directory),
        poll_seconds=int(os.environ.get("SIGNAGE_POLL_SECONDS", "30")),
        revalidation_s=float(os.environ.get("SIGNAGE_REVALIDATION_SECONDS", "1")),
        offline_after_s=int(os.environ.get("SIGNAGE_OFFLINE_AFTER_S", "180")),
        public_url=public_url,
        secure_cookies=secure_cookies(public_url),
        ratelimit_storage=os.environ.get("SIGNAGE_RATELIMIT_STORAGE", "memory://"),
    )
