"""Listen links: the line's own expiring URL for one recorded message, sent to one staff member.

Only the SHA-256 of the token is stored, so a database dump does not open any recording; the
token itself exists only in the SMS that carried it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class RecordingLink(Base):
    __tablename__ = "recording_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    voice_message_id: Mapped[int] = mapped_column(ForeignKey("voice_message.id", ondelete="CASCADE"), index=True)
    # Whom the link was sent to (None once that staff member is deleted): for the audit trail.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), index=True,
                                                 default=None)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    opened_count: Mapped[int] = mapped_column(default=0)
    last_opened_at: Mapped[datetime | None] = mapped_column(default=None)

    def usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
