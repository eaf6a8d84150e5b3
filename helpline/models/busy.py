"""Who is on a help-line call right now: one row per busy staff member.

A staff member is busy while the line rings them for a caller (a hunt's leg, or an offer of a
waiting caller), while they talk with a caller, and while they are on a call back (CALL <ref>,
read from ``callback_call``). The primary key is the lock: claiming someone is inserting their
row, so two hunts at the same moment can never both claim the same person (on PostgreSQL the
second insert waits for the first transaction and then fails; SQLite serialises writers).
Freeing is deleting the row by its ``reference``, so a late or repeated webhook of an earlier
call never frees a later one.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class BusyKind(StrEnum):
    HUNT = "hunt"  # rung (then talking) for an incoming caller: reference "call-<id>-<attempt>"
    OFFER = "offer"  # rung to take a waiting caller from the queue: reference "offer-<uuid>"


class BusyState(StrEnum):
    RINGING = "ringing"
    TALKING = "talking"


class StaffBusy(Base):
    __tablename__ = "staff_busy"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10), default=BusyState.RINGING.value)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    # The Twilio call whose end frees this person: the caller's leg of a hunt, the staff leg of
    # an offer (set once Twilio took the call). The stale sweep asks Twilio for its status.
    twilio_call_sid: Mapped[str | None] = mapped_column(String(64), default=None)
    since: Mapped[datetime]
    checked_at: Mapped[datetime | None] = mapped_column(default=None)
