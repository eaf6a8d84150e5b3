"""The audit log: who changed the rota, staff, office hours, closures or blocked numbers, when, and
from what to what."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class ActorKind(StrEnum):
    USER = "user"            # someone signed in to the pages
    API_TOKEN = "api_token"  # a supervisor's tool, named by its token's name
    SYSTEM = "system"        # the CLI, an import script, the demo


class AuditEntity(StrEnum):
    SHIFT = "shift"
    STAFF = "staff"
    OFFICE_HOURS = "office_hours"
    CLOSURE = "closure"
    SERVICE = "service"  # the directory of help services
    BLOCKED_NUMBER = "blocked_number"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditEntry(Base):
    """One change. Rows are only ever added; ``before``/``after`` are JSON snapshots (None when absent)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity_at", "entity", "entity_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(120))
    actor_kind: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(20))
    # None for the office hours, which are one weekly schedule rather than rows with ids.
    entity_id: Mapped[int | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
