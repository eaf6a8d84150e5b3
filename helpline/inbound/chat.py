"""A visitor of the web chat (contract section 8): a conversation like one by text, on a web page.

- The visitor's first message opens a callback request with ``channel = "chat"``, handled like
  an SMS conversation (helpline.inbound.conversation): assigned (at the opening when the line is
  closed), the words forwarded to the assignee by SMS, reminded, escalated, handed over, closed.
  Its ``caller`` is ``chat:<random letters>``, which no SMS path can text
  (helpline.phones.is_chat_visitor), unless the visitor left a phone number for a call back:
  then the callback is the number's, like a voicemail's. A number that already has an open
  callback gets the message in that one, but the browser is not shown it (it is not theirs to
  read); the page only says the message was left.
- The browser gets a random secret; only its SHA-256 is stored (helpline.models.ChatVisitor).
  Every read and write checks it. The poll's cheap path is helpline.chat_board's.
- The visitor may end the chat: the browser forgets it, staff can no longer reply to it; the
  callback stays open for its holder to close. A closed callback's chat is gone from the page.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from helpline.callbacks.assignment import enqueue_process_after_commit, event, lock_callback
from helpline.callbacks.conversation_rules import ClosedPeriod, closed_period
from helpline.chat_board import bump_after_commit
from helpline.config import Settings
from helpline.inbound.conversation import TEXTED_EVENT, open_callback_of
from helpline.models import CallbackRequest, CallbackStatus, Channel, ChatVisitor, ConversationMessage, Sender
from helpline.phones import CHAT_VISITOR_PREFIX
from helpline.rota.load import load_calendar

ENDED_EVENT = "chat_ended"
_LETTERS = string.ascii_lowercase


class ChatGone(Exception):
    """The visitor's chat is closed, ended, or not theirs: the page forgets it."""


@dataclass(frozen=True)
class Opened:
    callback_id: int
    secret: str | None  # None: the message joined the number's open callback, which the browser may not read


@dataclass(frozen=True)
class ChatMessage:
    id: int
    at: datetime
    sender: str  # "caller" (the visitor) or "line"
    text: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(secret: str, stored_hash: str | None) -> bool:
    return stored_hash is not None and hmac.compare_digest(hash_secret(secret), stored_hash)


def line_closed(session: Session, settings: Settings, now: datetime) -> ClosedPeriod | None:
    """The closed period ``now`` falls in (with when the line opens), or None while it is open."""
    return closed_period(now, load_calendar(session, settings, now))


def open_chat(session: Session, *, text: str, language: str, now: datetime, phone: str | None = None) -> Opened:
    """The visitor's first message: a new chat conversation (or a message to the number's open
    callback, when they left a number that has one). ``text`` is checked already."""
    if phone is not None:
        existing = open_callback_of(session, phone)
        if existing is not None:
            _add_caller_message(session, existing, text, now, first=False)
            return Opened(existing.id, None)
    caller = phone or CHAT_VISITOR_PREFIX + "".join(secrets.choice(_LETTERS) for _ in range(15))
    callback = CallbackRequest(caller=caller, channel=Channel.CHAT.value, language=language,
                               status=CallbackStatus.NEW.value, created_at=now, last_call_at=now, call_count=0,
                               next_action="assign", next_action_at=now)
    session.add(callback)
    session.flush()  # the partial unique index decides a race over the same number here
    secret = secrets.token_urlsafe(32)
    session.add(ChatVisitor(callback_id=callback.id, secret_hash=hash_secret(secret), created_at=now))
    _add_caller_message(session, callback, text, now, first=True)
    return Opened(callback.id, secret)


def _add_caller_message(session: Session, callback: CallbackRequest, text: str, now: datetime, *,
                        first: bool) -> ConversationMessage:
    message = ConversationMessage(callback_id=callback.id, at=now, sender=Sender.CALLER.value, text=text, via="chat")
    session.add(message)
    session.flush()
    if first:
        event(session, callback.id, TEXTED_EVENT, now, joined=False, message_id=message.id, chat=True)
    enqueue_process_after_commit(session, callback.id)  # assign it, or forward the words to the assignee
    if callback.channel == Channel.CHAT.value:
        bump_after_commit(session, callback.id)
    return message


def visitor(session: Session, callback_id: int, secret: str) -> ChatVisitor:
    """The browser's chat, when its secret is right and the chat is still going; else ChatGone."""
    found = session.scalar(select(ChatVisitor).where(ChatVisitor.callback_id == callback_id))
    if found is None or not secret_matches(secret, found.secret_hash) or found.ended_at is not None:
        raise ChatGone(callback_id)
    status = session.scalar(select(CallbackRequest.status).where(CallbackRequest.id == callback_id))
    if status in (None, CallbackStatus.CLOSED.value):
        raise ChatGone(callback_id)
    return found


def visitor_writes(session: Session, callback_id: int, secret: str, text: str, now: datetime) -> int:
    """A message in the browser's own chat; returns its id. Raises ChatGone."""
    visitor(session, callback_id, secret)
    callback = lock_callback(session, callback_id)
    if callback is None or callback.status == CallbackStatus.CLOSED.value:
        raise ChatGone(callback_id)
    return _add_caller_message(session, callback, text, now, first=False).id


def visitor_ends(session: Session, callback_id: int, secret: str, now: datetime) -> None:
    """The visitor ended the chat: noted on the callback; the page forgets it. Raises ChatGone."""
    found = visitor(session, callback_id, secret)
    ended = session.execute(update(ChatVisitor).where(ChatVisitor.id == found.id, ChatVisitor.ended_at.is_(None))
                            .values(ended_at=now)).rowcount
    if ended:
        event(session, callback_id, ENDED_EVENT, now)
        bump_after_commit(session, callback_id)


def chat_ended(session: Session, callback_id: int) -> bool:
    """The visitor of this chat callback has ended it (a reply would reach no one)."""
    return session.scalar(select(ChatVisitor.ended_at).where(ChatVisitor.callback_id == callback_id)) is not None


def messages(session: Session, callback_id: int) -> list[ChatMessage]:
    """The conversation as the visitor sees it, oldest first (the line's automatic answers too)."""
    rows = session.execute(
        select(ConversationMessage.id, ConversationMessage.at, ConversationMessage.sender, ConversationMessage.text)
        .where(ConversationMessage.callback_id == callback_id)
        .order_by(ConversationMessage.at, ConversationMessage.id)).all()
    return [ChatMessage(*row) for row in rows]
