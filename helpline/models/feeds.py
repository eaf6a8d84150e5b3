"""Private calendar (iCal) feeds of the rota: one secret URL each, stored only as a SHA-256 digest."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpline.models.base import Base
from helpline.models.staff import Staff


class FeedScope(StrEnum):
    OWN = "own"    # the owner's own shifts
    ROTA = "rota"  # everyone's shifts; served only while the owner is an active supervisor


class CalendarFeed(Base):
    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10), default=FeedScope.OWN.value)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    staff: Mapped[Staff] = relationship(lazy="joined")
