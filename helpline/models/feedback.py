"""What callers say afterwards, and how the staff are coping.

- FeedbackRequest: the one question a caller gets after their callback was closed as resolved
  or referred, and their answer (a score 1-5 and an optional word).
- PulseQuestion and PulseAnswer: the monthly wellbeing pulse. Who was asked and whether they
  answered is one table; what they answered is another, with nothing that leads back to the
  person (no staff id, no time, a random id), so that not even the database can show one
  person's answer: the figures are team averages of at least three.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class FeedbackRequest(Base):
    __tablename__ = "feedback_request"
    __table_args__ = (
        # Matching a reply: the newest question to this number.
        Index("ix_feedback_request_caller_asked", "caller", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a callback's caller is asked once, however often it is closed or the job runs.
    callback_id: Mapped[int] = mapped_column(ForeignKey("callback_request.id", ondelete="CASCADE"), unique=True)
    # The number asked (E.164); "masked" after retention, like the callback's.
    caller: Mapped[str] = mapped_column(String(20))
    # No staff column: who held the callback is the callback's assignee_id. A foreign key to the
    # assignee here would make the closing transaction lock their staff row too, and a supervisor's
    # DONE racing the assignee's (who holds that lock while waiting for the callback) deadlocked.
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_sms.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime]  # when the callback was closed
    # When the question goes out (a little after closing, never at night): the metrics' anchor.
    asked_at: Mapped[datetime] = mapped_column(index=True)
    score: Mapped[int | None] = mapped_column(default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)  # when the score came
    comment: Mapped[str | None] = mapped_column(Text, default=None)


class PulseQuestion(Base):
    """One staff member asked in one monthly round, and whether (not what) they answered."""

    __tablename__ = "pulse_question"
    __table_args__ = (UniqueConstraint("survey", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey: Mapped[str] = mapped_column(String(7))  # the round: the month, "2027-01"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_sms.id", ondelete="SET NULL"), default=None)
    asked_at: Mapped[datetime] = mapped_column(index=True)
    answered: Mapped[bool] = mapped_column(default=False)


def _random_id() -> str:
    return uuid.uuid4().hex


class PulseAnswer(Base):
    """One score of one round. Deliberately unlinked: a random id (row order tells nothing), no
    staff id and no time."""

    __tablename__ = "pulse_answer"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    survey: Mapped[str] = mapped_column(String(7), index=True)
    score: Mapped[int]
