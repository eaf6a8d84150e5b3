"""A callback's conversation in the database: its messages, and which of the caller's texts the
assignee has had. The decisions (when to forward, what a reply may be) are
helpline.callbacks.conversation_rules'; the texts helpline.sms.conversation_texts'.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from helpline.callbacks.conversation_rules import FORWARD_CAP_WINDOW
from helpline.models import CallbackEvent, CallbackRequest, Channel, ConversationMessage, Sender
from helpline.sms.conversation_texts import ConversationFacts, Said

FORWARDED_EVENT = "forwarded"


def caller_texts(session: Session, callback_id: int, *, unforwarded_only: bool = False) -> list[ConversationMessage]:
    """The caller's texts of a conversation, oldest first (only those not yet forwarded, when asked)."""
    query = select(ConversationMessage).where(ConversationMessage.callback_id == callback_id,
                                              ConversationMessage.sender == Sender.CALLER.value)
    if unforwarded_only:
        query = query.where(ConversationMessage.forwarded_at.is_(None))
    return list(session.scalars(query.order_by(ConversationMessage.at, ConversationMessage.id)))


def has_caller_texts(session: Session, callback_id: int) -> bool:
    return session.scalar(select(ConversationMessage.id).where(
        ConversationMessage.callback_id == callback_id, ConversationMessage.sender == Sender.CALLER.value).limit(1)) \
        is not None


def forward_times(session: Session, callback_id: int, now: datetime) -> list[datetime]:
    """When this conversation's texts were forwarded within the cap's window before ``now``."""
    return list(session.scalars(
        select(CallbackEvent.at).where(CallbackEvent.callback_id == callback_id, CallbackEvent.kind == FORWARDED_EVENT,
                                       CallbackEvent.at > now - FORWARD_CAP_WINDOW)))


def mark_forwarded(session: Session, messages: Iterable[ConversationMessage], now: datetime) -> list[int]:
    """The caller's texts have gone to the assignee; returns the ids that were still waiting."""
    ids = [message.id for message in messages]
    if not ids:
        return []
    session.execute(update(ConversationMessage)
                    .where(ConversationMessage.id.in_(ids), ConversationMessage.forwarded_at.is_(None))
                    .values(forwarded_at=now).execution_options(synchronize_session=False))
    return ids


def facts(callback: CallbackRequest, messages: Sequence[ConversationMessage]) -> ConversationFacts:
    return ConversationFacts(ref=callback.id, caller=callback.caller, channel=callback.channel,
                             said=tuple(Said(message.at, message.text,
                                             unverified=message.via == "chat" and callback.channel != Channel.CHAT.value)
                                        for message in messages))
