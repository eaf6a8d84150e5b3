"""A conversation by text: what the caller wrote to the line and what the line wrote back.

Each message belongs to one callback request (the conversation's door is the callback: assigned,
reminded, escalated, handed over and closed like any other). A caller's text keeps the inbound
SMS it came in (unique: a repeated webhook is one message); the line's keeps the outbound SMS
that carries it, and the staff member who wrote it (None for the line's automatic answer and for
API replies, which have no person behind them).
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpline.models.base import Base
from helpline.models.callbacks import CallbackRequest


class Sender(StrEnum):
    CALLER = "caller"
    LINE = "line"


class ConversationMessage(Base):
    __tablename__ = "conversation_message"
    __table_args__ = (
        # A callback's conversation in order, and the job's question: which of the caller's texts
        # has the assignee not had yet?
        Index("ix_conversation_message_unforwarded", "callback_id", "sender", "forwarded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callback_request.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    sender: Mapped[str] = mapped_column(String(8))  # Sender: "caller" or "line"
    # The words; emptied by retention RETENTION_DAYS after the callback closed (scrubbed_at set).
    text: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), default=None)
    # The line's answer outside office hours, sent by no one: not a reply in the figures.
    automatic: Mapped[bool] = mapped_column(default=False)
    # How a line message was written: "sms" (REPLY), "web" (the callback's page), "api", "auto".
    via: Mapped[str | None] = mapped_column(String(8), default=None)
    inbound_sms_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_sms.id", ondelete="SET NULL"), unique=True, default=None)
    outbound_sms_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_sms.id", ondelete="SET NULL"), unique=True, default=None)
    # A caller's text: when it went to the assignee (in an assignment or a forwarded bundle).
    forwarded_at: Mapped[datetime | None] = mapped_column(default=None)
    scrubbed_at: Mapped[datetime | None] = mapped_column(default=None)

    callback: Mapped[CallbackRequest] = relationship(back_populates="conversation")

    @property
    def from_caller(self) -> bool:
        return self.sender == Sender.CALLER.value
