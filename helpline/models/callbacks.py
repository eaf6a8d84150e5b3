"""Callback requests: what a caller leaves when nobody could answer, until someone calls back."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpline.callbacks.rules import OPEN_STATUSES  # the rules say which statuses are open
from helpline.models.base import Base, TwilioText

__all__ = ["OPEN_STATUSES", "CallbackEvent", "CallbackOutcome", "CallbackRequest", "CallbackStatus", "Channel",
           "VoiceMessage"]


class CallbackStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class Channel(StrEnum):
    """How the caller reached the line: a call (a voicemail or a hang-up), a text, or the web chat."""

    VOICE = "voice"
    SMS = "sms"
    CHAT = "chat"


class CallbackOutcome(StrEnum):
    RESOLVED = "resolved"
    REFERRED = "referred"
    UNREACHABLE = "unreachable"


class CallbackRequest(Base):
    __tablename__ = "callback_request"
    __table_args__ = (
        # One open callback per caller number: a repeat caller joins it. The partial unique index
        # makes this hold even when two webhooks race.
        Index(
            "uq_callback_request_open_caller",
            "caller",
            unique=True,
            sqlite_where=text("status != 'closed'"),
            postgresql_where=text("status != 'closed'"),
        ),
        Index("ix_callback_request_due", "status", "next_action_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    caller: Mapped[str] = mapped_column(String(20))
    # How it began; a voicemail callback that the caller later texts stays "voice" (the texts
    # join it as its conversation).
    channel: Mapped[str] = mapped_column(String(8), default=Channel.VOICE.value, server_default=Channel.VOICE.value)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    status: Mapped[str] = mapped_column(String(20), default=CallbackStatus.NEW.value)
    created_at: Mapped[datetime] = mapped_column(index=True)
    # The latest call that joined this request (a repeat caller moves it forward).
    last_call_at: Mapped[datetime]
    call_count: Mapped[int] = mapped_column(default=1)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    # Indexed for the metrics: which requests were closed in a period (and for retention).
    closed_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    outcome: Mapped[str | None] = mapped_column(String(20), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    topic: Mapped[str | None] = mapped_column(String(80), default=None)
    # The help service a "referred" callback sent the caller to (helpline.directory).
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), default=None)
    # The worker's schedule: what it must do next for this request and when. The database, not
    # Redis, is the source of truth; the sweep re-finds anything whose time has come.
    next_action: Mapped[str | None] = mapped_column(String(20), default="assign")
    next_action_at: Mapped[datetime | None] = mapped_column(default=None)
    reminders_sent: Mapped[int] = mapped_column(default=0)
    # When the assignee was last reminded (None until the first reminder, and again after an
    # assignment or handover): the next reminder is counted from it.
    last_reminder_at: Mapped[datetime | None] = mapped_column(default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    caller_notified_at: Mapped[datetime | None] = mapped_column(default=None)
    callback_attempts: Mapped[int] = mapped_column(default=0)
    # Seconds the caller waited in the line's queue before leaving a message (pressed 1, or the
    # wait ran out); None when they never waited.
    queue_wait_seconds: Mapped[int | None] = mapped_column(default=None)

    messages: Mapped[list["VoiceMessage"]] = relationship(
        back_populates="callback", order_by="VoiceMessage.created_at", cascade="all, delete-orphan"
    )
    events: Mapped[list["CallbackEvent"]] = relationship(
        back_populates="callback", order_by="CallbackEvent.id", cascade="all, delete-orphan"
    )
    conversation: Mapped[list["ConversationMessage"]] = relationship(  # noqa: F821 (models.conversations)
        back_populates="callback", order_by="(ConversationMessage.at, ConversationMessage.id)",
        cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status != CallbackStatus.CLOSED.value

    @property
    def has_message(self) -> bool:
        return any(message.is_usable for message in self.messages)


class VoiceMessage(Base):
    """A recording a caller left. A repeat caller may leave several on one request."""

    __tablename__ = "voice_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callback_request.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"), index=True)
    recording_sid: Mapped[str] = mapped_column(TwilioText(64), unique=True)
    recording_url: Mapped[str] = mapped_column(TwilioText(500))
    duration_seconds: Mapped[int | None] = mapped_column(default=None)
    # Twilio's RecordingStatus when it last told us (completed, absent, failed).
    recording_status: Mapped[str] = mapped_column(TwilioText(20), default="")
    created_at: Mapped[datetime] = mapped_column(index=True)  # the metrics: messages left in a period
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    callback: Mapped[CallbackRequest] = relationship(back_populates="messages")

    @property
    def is_usable(self) -> bool:
        return self.deleted_at is None and self.recording_status not in ("absent", "failed")


class CallbackEvent(Base):
    """The history of a callback request: calls, messages, assignment, SMS, attempts, closing."""

    __tablename__ = "callback_event"
    __table_args__ = (
        # The metrics: a period's history of each kind, counted per week and staff member from the
        # index alone (and a period's escalations found without scanning its other events).
        Index("ix_callback_event_kind_at", "kind", "at", "staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callback_request.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)  # the metrics count a period's history
    kind: Mapped[str] = mapped_column(String(40))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), default=None)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    callback: Mapped[CallbackRequest] = relationship(back_populates="events")
