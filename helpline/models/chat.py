"""A web chat's visitor: the browser that opened a chat conversation (contract section 8).

One row per chat callback request. The browser keeps ``<callback id>.<secret>`` in an HttpOnly
cookie; only the secret's SHA-256 is stored here, so the table alone lets no one read a chat.
``ended_at`` is set when the visitor ends the chat: the browser forgets it, and replies stop.
Retention deletes the row with the conversation's words.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class ChatVisitor(Base):
    __tablename__ = "chat_visitor"

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callback_request.id", ondelete="CASCADE"), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the cookie's secret
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
