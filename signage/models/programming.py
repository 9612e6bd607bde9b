"""Playlists and the schedules that put them on boards and groups."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signage import scheduling

from .base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .content import Slide, SlideRevision


class Playlist(Base):
    __tablename__ = "playlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[PlaylistItem]] = relationship(
        back_populates="playlist", order_by="PlaylistItem.position", cascade="all, delete-orphan"
    )


class PlaylistItem(Base):
    __tablename__ = "playlist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(
        ForeignKey("playlists.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    slide_id: Mapped[int] = mapped_column(ForeignKey("slides.id", ondelete="CASCADE"))
    # None means the slide's own duration.
    duration_s: Mapped[int | None] = mapped_column(Integer)

    playlist: Mapped[Playlist] = relationship(back_populates="items")
    slide: Mapped[Slide] = relationship()

    @property
    def slide_playable(self) -> SlideRevision | None:
        return self.slide.playable


class Daypart(Base):
    """A named, reusable "which days, which hours" that schedules refer to ("Giờ hành chính").

    Schedules keep the reference: editing a daypart moves the window of every schedule using it.
    """

    __tablename__ = "dayparts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    days: Mapped[str | None] = mapped_column(String(20))  # "1,2,3,4,5"; None: every day
    time_from: Mapped[time | None] = mapped_column(Time)
    time_to: Mapped[time | None] = mapped_column(Time)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def day_list(self) -> list[int] | None:
        return [int(d) for d in self.days.split(",")] if self.days else None

    def pattern(self) -> scheduling.Daypart:
        """This daypart as the scheduling core's value, for ``scheduling.apply_daypart``."""
        days = self.day_list
        return scheduling.Daypart(
            self.name, frozenset(days) if days else None, self.time_from, self.time_to
        )


class Schedule(Base):
    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), default="")
    playlist_id: Mapped[int] = mapped_column(ForeignKey("playlists.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    days: Mapped[str | None] = mapped_column(String(20))  # "1,2,3,4,5"
    time_from: Mapped[time | None] = mapped_column(Time)
    time_to: Mapped[time | None] = mapped_column(Time)
    rrule: Mapped[str | None] = mapped_column(String(500))
    priority: Mapped[int] = mapped_column(Integer, default=10)
    kind: Mapped[str] = mapped_column(String(12), default="normal")
    # Local dates ("YYYY-MM-DD", board zone) whose window (the one starting that day) is skipped.
    exdates: Mapped[list[str] | None] = mapped_column(JSON)
    # A daypart replaces days/time_from/time_to; it is applied when the rule is built.
    daypart_id: Mapped[int | None] = mapped_column(ForeignKey("dayparts.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    playlist: Mapped[Playlist] = relationship()
    daypart: Mapped[Daypart | None] = relationship(lazy="selectin")
    targets: Mapped[list[ScheduleTarget]] = relationship(
        back_populates="schedule", cascade="all, delete-orphan"
    )

    @property
    def day_list(self) -> list[int] | None:
        return [int(d) for d in self.days.split(",")] if self.days else None

    @property
    def exdate_list(self) -> list[str]:
        return sorted(self.exdates or [])


class ScheduleTarget(Base):
    """Exactly one of board_id or group_id is set."""

    __tablename__ = "schedule_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), index=True
    )
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))

    schedule: Mapped[Schedule] = relationship(back_populates="targets")
