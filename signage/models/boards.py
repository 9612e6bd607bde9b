"""Boards, nested groups, pairing codes and heartbeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

board_groups = Table(
    "board_groups",
    Base.metadata,
    Column("board_id", ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Group | None] = relationship(remote_side=[id])
    boards: Mapped[list[Board]] = relationship(secondary=board_groups, back_populates="groups")


TRANSITIONS = ("cut", "crossfade")


class Board(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    fallback_playlist_id: Mapped[int | None] = mapped_column(
        ForeignKey("playlists.id", ondelete="SET NULL")
    )
    # How the player moves from one item to the next: "cut" or "crossfade" (see TRANSITIONS).
    transition: Mapped[str] = mapped_column(String(16), default="cut", server_default="cut")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The latest heartbeat, kept on the board so the board list needs no aggregate query.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current_slide_id: Mapped[int | None] = mapped_column(Integer)
    current_sha256: Mapped[str | None] = mapped_column(String(64))
    player_version: Mapped[str | None] = mapped_column(String(40))
    screen_width: Mapped[int | None] = mapped_column(Integer)
    screen_height: Mapped[int | None] = mapped_column(Integer)
    uptime_s: Mapped[int | None] = mapped_column(Integer)

    groups: Mapped[list[Group]] = relationship(secondary=board_groups, back_populates="boards")


class Heartbeat(Base):
    __tablename__ = "heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    player_version: Mapped[str | None] = mapped_column(String(40))
    slide_id: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    screen_width: Mapped[int | None] = mapped_column(Integer)
    screen_height: Mapped[int | None] = mapped_column(Integer)
    uptime_s: Mapped[int | None] = mapped_column(Integer)


class Pairing(Base):
    """A short code shown on an unpaired player; staff claim it to bind a board."""

    __tablename__ = "pairings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    # Held only between the claim and the player's next poll, then erased.
    pending_token: Mapped[str | None] = mapped_column(String(80))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
