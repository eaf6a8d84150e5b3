"""Listen links: the line's own short-lived URL to one recorded message, for one staff member.

The assignment SMS carries ``listen_url(...)``: PUBLIC_BASE_URL + ``/r/<token>`` (the route
``listen.listen`` of helpline.routes). The token is
``secrets.token_urlsafe(16)`` (128 random bits, 22 characters, so the SMS stays short) and only
its SHA-256 is stored. A link opens the recording for LINK_LIFETIME (72 h) after it was made,
unless revoked earlier (a PASS revokes the passer's links to that callback). Opening it streams
the audio from Twilio with our credentials (helpline.telephony.client); the listener never
sees a Twilio URL and needs no Twilio account.

One link is one message. A callback with several messages gets a link to the latest usable one
(:func:`latest_message`), which is what the assignment SMS names; the older ones stay in the
supervisor API's history.
"""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.models import CallbackRequest, RecordingLink, Staff, VoiceMessage
from helpline.routes import public_url

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(hours=72)
TOKEN_BYTES = 16
# token_urlsafe's alphabet; anything else is not one of ours and costs no database query.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def latest_message(callback: CallbackRequest) -> VoiceMessage | None:
    """The message a callback's link should play: its latest usable one."""
    usable = [message for message in callback.messages if message.is_usable]
    return max(usable, key=lambda message: (message.created_at, message.id)) if usable else None


def listen_url(session: Session, voice_message: VoiceMessage, staff: Staff | None, now: datetime,
               settings: Settings, *, lifetime: timedelta = LINK_LIFETIME) -> str | None:
    """A new link to ``voice_message`` for ``staff``, valid for ``lifetime`` from ``now``.

    None when there is nothing to link: the message is not usable (absent, failed, deleted), or
    PUBLIC_BASE_URL is not set (a link nobody can open is worse than "left a message").
    """
    if not voice_message.is_usable:
        return None
    if not settings.public_base_url:
        log.warning("no PUBLIC_BASE_URL: the SMS for message %s carries no listen link", voice_message.id)
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(RecordingLink(token_sha256=token_hash(token), voice_message_id=voice_message.id,
                              staff_id=staff.id if staff is not None else None, created_at=now,
                              expires_at=now + lifetime))
    session.flush()
    return public_url(settings.public_base_url, "listen.listen", token=token)


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"  # never ours (404)
    EXPIRED = "expired"  # older than its lifetime (410)
    REVOKED = "revoked"  # revoked, e.g. after a PASS (410)
    GONE = "gone"  # the recording itself is deleted or was never stored (410)


class LinkUnavailable(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class OpenedLink:
    recording_sid: str
    callback_id: int
    voice_message_id: int


def open_link(session: Session, token: str, now: datetime) -> OpenedLink:
    """The recording behind ``token``, counting the opening. Raises LinkUnavailable."""
    if not _TOKEN_SHAPE.match(token or ""):
        raise LinkUnavailable(LinkProblem.UNKNOWN)
    row = session.execute(
        select(RecordingLink, VoiceMessage)
        .join(VoiceMessage, VoiceMessage.id == RecordingLink.voice_message_id)
        .where(RecordingLink.token_sha256 == token_hash(token))
    ).first()
    if row is None:
        raise LinkUnavailable(LinkProblem.UNKNOWN)
    link, message = row
    if link.revoked_at is not None:
        raise LinkUnavailable(LinkProblem.REVOKED)
    if now >= link.expires_at:
        raise LinkUnavailable(LinkProblem.EXPIRED)
    if not message.is_usable:
        raise LinkUnavailable(LinkProblem.GONE)
    session.execute(update(RecordingLink).where(RecordingLink.id == link.id)
                    .values(opened_count=RecordingLink.opened_count + 1, last_opened_at=now)
                    .execution_options(synchronize_session=False))
    return OpenedLink(message.recording_sid, message.callback_id, message.id)


def revoke_links(session: Session, now: datetime, *, callback_id: int | None = None, staff_id: int | None = None,
                 voice_message_id: int | None = None) -> int:
    """Revoke the live links matching every filter given (at least one). Returns how many."""
    if callback_id is None and staff_id is None and voice_message_id is None:
        raise ValueError("revoke_links needs a callback, a staff member or a message to revoke links of")
    query = update(RecordingLink).where(RecordingLink.revoked_at.is_(None))
    if callback_id is not None:
        query = query.where(RecordingLink.voice_message_id.in_(
            select(VoiceMessage.id).where(VoiceMessage.callback_id == callback_id).scalar_subquery()))
    if staff_id is not None:
        query = query.where(RecordingLink.staff_id == staff_id)
    if voice_message_id is not None:
        query = query.where(RecordingLink.voice_message_id == voice_message_id)
    return session.execute(query.values(revoked_at=now).execution_options(synchronize_session=False)).rowcount
