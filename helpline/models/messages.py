"""SMS: the ones we send (written before Twilio is asked), Twilio's reports on them, the ones we
receive, and the numbers that told us to stop."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base, TwilioText


class OutboundStatus(StrEnum):
    QUEUED = "queued"  # ours, waiting for a worker (first try or a retry at next_attempt_at)
    SENDING = "sending"  # a worker has claimed it and is talking to Twilio
    SENT = "sent"  # Twilio accepted it (twilio_sid set)
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"  # rejected for good (bad number, opted out, gave up after retries)
    SUPPRESSED = "suppressed"  # never sent: opted out, or over the per-recipient rate limit


class OutboundSms(Base):
    __tablename__ = "outbound_sms"
    __table_args__ = (
        # The sweep's question: which queued rows are due?
        Index("ix_outbound_sms_due", "status", "next_attempt_at"),
        # The rate limit's question: how many went to this number in the last hour?
        Index("ix_outbound_sms_recipient_sent", "to_number", "sent_at"),
        # The metrics' and the retention job's question: which SMS went out in a period? With the
        # status, the metrics count a period's SMS per week and status from the index alone.
        Index("ix_outbound_sms_created_at", "created_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_number: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    # What the message is for: "caller_confirmation", "assignment", "reminder", "opt_out_alert", ...
    purpose: Mapped[str] = mapped_column(String(40))
    callback_id: Mapped[int | None] = mapped_column(
        ForeignKey("callback_request.id", ondelete="SET NULL"), index=True, default=None)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), default=None)
    status: Mapped[str] = mapped_column(String(20), default=OutboundStatus.QUEUED.value)
    twilio_sid: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)
    error_code: Mapped[int | None] = mapped_column(default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    # Whoever queues a message names it; the same name twice is the same message (sent once).
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    # When a queued row may next be tried; while sending, when the claim expires (worker died).
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set after an ambiguous failure: Twilio may already have this message since this instant,
    # so the next attempt looks there before sending again.
    check_twilio_since: Mapped[datetime | None] = mapped_column(default=None)

    def __repr__(self) -> str:
        return f"<OutboundSms {self.id} {self.purpose} to {self.to_number} {self.status}>"


class MessageStatusEvent(Base):
    """One message status callback from Twilio; a repeated callback is stored once."""

    __tablename__ = "message_status_event"
    __table_args__ = (UniqueConstraint("message_sid", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(TwilioText(40))
    status: Mapped[str] = mapped_column(TwilioText(20))
    error_code: Mapped[int | None] = mapped_column(default=None)
    outbound_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_sms.id", ondelete="SET NULL"), index=True, default=None)
    received_at: Mapped[datetime]


class InboundSms(Base):
    """An SMS to the line's number; Twilio may deliver the webhook twice, we handle it once."""

    __tablename__ = "inbound_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(TwilioText(40), unique=True)
    from_number: Mapped[str] = mapped_column(TwilioText(40))
    to_number: Mapped[str] = mapped_column(TwilioText(40))
    body: Mapped[str] = mapped_column(TwilioText(), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), default=None)
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None] = mapped_column(default=None)


class SmsOptOut(Base):
    """A number that said STOP (or that Twilio refused with 21610): we send it nothing."""

    __tablename__ = "sms_opt_out"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    opted_out_at: Mapped[datetime]
    # "twilio-21610" when Twilio refused a message; "stop-reply" when the inbound handler saw STOP.
    source: Mapped[str] = mapped_column(String(40))
