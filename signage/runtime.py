"""What every process shares: settings, the database and the media store."""

from __future__ import annotations

from dataclasses import dataclass

from signage.config import Settings
from signage.db import Database
from signage.storage import MediaStore


@dataclass
class Runtime:
    settings: Settings
    db: Database
    store: MediaStore

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        settings.media_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings, Database(settings.database_url), MediaStore(settings.media_dir))
