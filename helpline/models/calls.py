"""Inbound calls, keyed by Twilio's CallSid, and every staff phone rung for them."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpline.models.base import Base, TwilioText


class CallOutcome(StrEnum):
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"  # a staff member accepted and the legs were bridged
    VOICEMAIL = "voicemail"  # the caller left a message
    NO_MESSAGE = "no_message"  # the caller hung up before leaving one


class Call(Base):
    __tablename__ = "call"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(TwilioText(64), unique=True)
    # E.164, or None when the caller withheld their number.
    caller: Mapped[str | None] = mapped_column(String(20), index=True)
    caller_withheld: Mapped[bool] = mapped_column(default=False)
    # HMAC of the number (helpline.metrics.identity), set when retention masks ``caller``: repeat
    # callers stay countable without the number.
    caller_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    to_number: Mapped[str] = mapped_column(TwilioText(32), default="")
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    language_chosen: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    duration_seconds: Mapped[int | None] = mapped_column(default=None)
    line_open: Mapped[bool]
    line_reason: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(20), default=CallOutcome.IN_PROGRESS.value, index=True)
    last_status: Mapped[str] = mapped_column(TwilioText(20), default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    # Seconds the caller and the staff member were connected (Twilio's DialCallDuration).
    conversation_seconds: Mapped[int | None] = mapped_column(default=None)
    callback_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_request.id", ondelete="SET NULL"), index=True
    )
    # The wait queue (<Enqueue>): when the caller joined it, when they left it, how long they
    # waited and how it ended (QueueResult: bridged, left, timed_out, hangup, ...).
    queued_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    queue_left_at: Mapped[datetime | None] = mapped_column(default=None)
    queue_seconds: Mapped[int | None] = mapped_column(default=None)
    queue_result: Mapped[str | None] = mapped_column(String(20), default=None)

    dial_attempts: Mapped[list["DialAttempt"]] = relationship(
        back_populates="call", order_by="DialAttempt.attempt_number", cascade="all, delete-orphan"
    )


class DialAttemptResult(StrEnum):
    RINGING = "ringing"
    ACCEPTED = "accepted"  # pressed 1 at the screening prompt
    NOT_ACCEPTED = "not_accepted"  # picked up (maybe by a voicemail box) but never pressed 1
    NO_ANSWER = "no-answer"
    BUSY = "busy"
    FAILED = "failed"
    CANCELED = "canceled"  # the caller hung up while it rang
    CONNECTED = "connected"  # accepted and bridged: the call was answered


class DialAttempt(Base):
    __tablename__ = "dial_attempt"
    __table_args__ = (UniqueConstraint("call_id", "attempt_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"))
    attempt_number: Mapped[int]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    dial_call_sid: Mapped[str | None] = mapped_column(TwilioText(64), default=None)
    dial_call_status: Mapped[str | None] = mapped_column(TwilioText(20), default=None)
    result: Mapped[str] = mapped_column(String(20), default=DialAttemptResult.RINGING.value)

    call: Mapped[Call] = relationship(back_populates="dial_attempts")
