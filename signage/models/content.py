"""Layouts, uploaded assets, slides with their revisions, and renditions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

SLIDE_STATUSES = ("draft", "pending", "approved", "rejected")


class Layout(Base):
    """One version of a layout template; editing a layout adds a row with the next version."""

    __tablename__ = "layouts"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(160))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    # The files of a layout package (images, fonts) by their path in the package:
    # {"fonts/X.ttf": {"sha256", "ext", "size", "mime"}}; the bytes live in the media store.
    resources: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Asset(Base):
    """An uploaded image, stored in the media store under its SHA-256."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(40))
    ext: Mapped[str] = mapped_column(String(8))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Slide(Base):
    __tablename__ = "slides"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The deployment's last-resort content, played where nothing else can be.
    standby: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    revisions: Mapped[list[SlideRevision]] = relationship(
        back_populates="slide", order_by="SlideRevision.number", cascade="all, delete-orphan"
    )

    @property
    def latest(self) -> SlideRevision:
        return self.revisions[-1]

    @property
    def playable(self) -> SlideRevision | None:
        """The newest approved revision: it keeps playing while a newer edit awaits approval."""
        approved = [r for r in self.revisions if r.status == "approved"]
        return approved[-1] if approved else None


class SlideRevision(Base):
    __tablename__ = "slide_revisions"
    __table_args__ = (UniqueConstraint("slide_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slide_id: Mapped[int] = mapped_column(ForeignKey("slides.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    layout_id: Mapped[int] = mapped_column(ForeignKey("layouts.id"))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    duration_s: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reject_reason: Mapped[str | None] = mapped_column(Text)

    slide: Mapped[Slide] = relationship(back_populates="revisions")
    layout: Mapped[Layout] = relationship()

    @property
    def title(self) -> str:
        return str(self.fields.get("title") or self.fields.get("caption") or f"#{self.slide_id}")


class Rendition(Base):
    """One revision rendered at one pixel size; the bytes live in the media store."""

    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("revision_id", "width", "height"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("slide_revisions.id", ondelete="CASCADE"), index=True
    )
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(40))
    ext: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[list[dict]] = mapped_column(JSON, default=list)  # {"code", ...params}
    # SHA-256 of everything the pixels depend on; a rendition with the same key is reused.
    render_key: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
