"""Staff members and the API tokens that supervisors' tools use."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class Role(StrEnum):
    STAFF = "staff"
    SUPERVISOR = "supervisor"


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # E.164, normalised by helpline.phones before it gets here.
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    role: Mapped[str] = mapped_column(String(20), default=Role.STAFF.value)
    active: Mapped[bool] = mapped_column(default=True)
    # Set when Twilio tells us the person replied STOP (error 21610); cleared by START.
    sms_opted_out_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR.value

    def __repr__(self) -> str:
        return f"<Staff {self.id} {self.name} {self.role}>"


class ApiToken(Base):
    """A bearer token for /api. Only the SHA-256 of the token is stored.

    ``staff_id`` is the person the token belongs to. A staff token closes only callbacks assigned
    to that person; a staff token that belongs to nobody (made before tokens had owners) may only
    read. The token stops working when its owner is deactivated, and goes when they are deleted.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), default=None,
                                                 index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
