"""SQLAlchemy models, one module per aggregate."""

from .base import Base, UTCDateTime, utcnow
from .boards import Board, Group, Heartbeat, Pairing, board_groups
from .content import SLIDE_STATUSES, Asset, Layout, Rendition, Slide, SlideRevision
from .operations import ActiveWorker, AuditEntry, JobState, Manifest, Play
from .programming import Playlist, PlaylistItem, Schedule, ScheduleTarget
from .users import ROLES, ApiToken, User

__all__ = [
    "ROLES",
    "SLIDE_STATUSES",
    "ActiveWorker",
    "ApiToken",
    "Asset",
    "AuditEntry",
    "Base",
    "Board",
    "Group",
    "Heartbeat",
    "JobState",
    "Layout",
    "Manifest",
    "Pairing",
    "Play",
    "Playlist",
    "PlaylistItem",
    "Rendition",
    "Schedule",
    "ScheduleTarget",
    "Slide",
    "SlideRevision",
    "UTCDateTime",
    "User",
    "board_groups",
    "utcnow",
]
