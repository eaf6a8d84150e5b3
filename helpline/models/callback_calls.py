"""Calls back through the line (the CALL command): one row per attempt, for the history and
for the metrics (how long the conversations of callbacks made through the line were)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base, TwilioText


class CallAttemptStatus(StrEnum):
    REQUESTED = "requested"  # CALL received; the place_call job will ring the staff member
    PLACING = "placing"  # a worker is asking Twilio to ring the staff member
    RINGING_STAFF = "ringing_staff"  # Twilio took the call: the staff phone rings
    SCREENING = "screening"  # the staff phone answered: "press 1 to call the caller back"
    DIALLING_CALLER = "dialling_caller"  # 1 was pressed: the line rings the caller
    ENDED = "ended"  # final; ``result`` says how it went


ACTIVE_STATUSES = tuple(status.value for status in CallAttemptStatus if status is not CallAttemptStatus.ENDED)


class CallAttemptResult(StrEnum):
    ANSWERED = "answered"  # the caller picked up and they talked (DialCallDuration > 0)
    NO_ANSWER = "no-answer"  # the caller's phone rang out (a failed attempt)
    BUSY = "busy"  # (a failed attempt)
    FAILED = "failed"  # the caller's number could not be reached (a failed attempt)
    CANCELED = "canceled"  # the staff member hung up while the caller's phone rang (not counted)
    STAFF_UNREACHABLE = "staff-unreachable"  # the staff phone did not answer (not counted)
    STAFF_DECLINED = "staff-declined"  # answered, but 1 was never pressed: a voicemail box (not counted)
    NOT_PLACED = "not-placed"  # Twilio refused to ring the staff member, or it was too late (not counted)
    CLOSED_BEFORE = "closed-before"  # the callback was closed before the call got going (not counted)


# The outcomes that count as one failed attempt to reach the caller (three close the callback).
FAILED_ATTEMPT_RESULTS = frozenset({CallAttemptResult.NO_ANSWER.value, CallAttemptResult.BUSY.value,
                                    CallAttemptResult.FAILED.value})


class CallbackCall(Base):
    __tablename__ = "callback_call"
    __table_args__ = (
        UniqueConstraint("callback_id", "attempt_number"),
        # The sweep's question: which requests did Redis lose?
        Index("ix_callback_call_status", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callback_request.id", ondelete="CASCADE"), index=True)
    attempt_number: Mapped[int]  # 1, 2, ... per callback: every CALL, whatever came of it
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), default=None)
    staff_phone: Mapped[str] = mapped_column(String(20))
    caller: Mapped[str] = mapped_column(String(20))
    # The language the staff member hears the bridge prompts in.
    language: Mapped[str] = mapped_column(String(8), default="fi")
    status: Mapped[str] = mapped_column(String(20), default=CallAttemptStatus.REQUESTED.value)
    result: Mapped[str | None] = mapped_column(String(20), default=None)
    # True once this attempt was counted in CallbackRequest.callback_attempts (a failed one).
    counted_as_failed: Mapped[bool] = mapped_column(default=False)
    requested_at: Mapped[datetime] = mapped_column(index=True)  # the metrics: calls back in a period
    placed_at: Mapped[datetime | None] = mapped_column(default=None)
    staff_answered_at: Mapped[datetime | None] = mapped_column(default=None)
    caller_dialled_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    staff_call_sid: Mapped[str | None] = mapped_column(TwilioText(64), unique=True, default=None)
    dial_call_sid: Mapped[str | None] = mapped_column(TwilioText(64), default=None)
    dial_call_status: Mapped[str | None] = mapped_column(TwilioText(20), default=None)
    # Seconds the staff member and the caller talked (Twilio's DialCallDuration).
    conversation_seconds: Mapped[int | None] = mapped_column(default=None)
    staff_leg_seconds: Mapped[int | None] = mapped_column(default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)

    @property
    def is_active(self) -> bool:
        return self.status != CallAttemptStatus.ENDED.value
