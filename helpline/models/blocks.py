"""Blocked numbers: a caller a supervisor keeps from reaching the line, matched by a keyed hash."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class BlockedNumber(Base):
    """One block. No phone number is kept: ``number_hash`` is helpline.blocks.rules.number_hash
    of it, ``number_hint`` its last digits for the page. The row is deleted when a supervisor
    lifts the block, or by retention RETENTION_DAYS after it ended."""

    __tablename__ = "blocked_number"
    __table_args__ = (
        CheckConstraint("ends_at > created_at", name="ends_after_start"),
        CheckConstraint("days BETWEEN 1 AND 365", name="days_range"),
        Index("ix_blocked_number_hash_ends", "number_hash", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number_hash: Mapped[str] = mapped_column(String(64))
    number_hint: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(200))
    days: Mapped[int]
    created_at: Mapped[datetime]
    ends_at: Mapped[datetime] = mapped_column(index=True)
    # Who made it: a page user's "Name (username)" or an API token's name, as the audit log says.
    created_by: Mapped[str] = mapped_column(String(120))
