"""The duty rota (shifts), the weekly office hours and the closures."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpline.models.base import Base
from helpline.models.staff import Staff


class Shift(Base):
    __tablename__ = "shift"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_shift_window", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # Lower rings first.
    priority: Mapped[int] = mapped_column(default=100)
    created_at: Mapped[datetime]

    staff: Mapped[Staff] = relationship(lazy="joined")


class OfficeHoursInterval(Base):
    """One opening interval of the weekly schedule, in local wall-clock minutes."""

    __tablename__ = "office_hours_interval"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens_minute >= 0 AND closes_minute <= 1440 AND closes_minute > opens_minute",
                        name="minutes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int]  # Monday is 0, as in datetime.weekday()
    opens_minute: Mapped[int]
    closes_minute: Mapped[int]


class Closure(Base):
    """A period when the line is closed although the weekly schedule says open."""

    __tablename__ = "closure"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # The local date when the closure was given as a whole day, for display.
    date: Mapped[date | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
