"""The directory of help services ("tiekartta"), how often the public map showed each one, and the
wrap-up of an answered live call (how it ended, and where the caller was referred)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class Service(Base):
    """A help service callers can be referred to. Texts are Finnish, with Swedish and English
    where given; ``hours`` is the office-hours week (``{"monday": [["09:00", "15:00"]], ...}``),
    None when not known. A retired service (``active`` false) leaves the map and the referral
    choices; its history stays."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What staff text after REF: stored in capitals (helpline.directory.rules.normalise_code).
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_sv: Mapped[str | None] = mapped_column(String(120), default=None)
    name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    description_sv: Mapped[str | None] = mapped_column(Text, default=None)
    description_en: Mapped[str | None] = mapped_column(Text, default=None)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)  # E.164
    url: Mapped[str | None] = mapped_column(String(300), default=None)
    address: Mapped[str | None] = mapped_column(String(200), default=None)
    area: Mapped[str | None] = mapped_column(String(80), default=None)  # the parish or town
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # Most services keep public holidays (HOLIDAY_CALENDAR) closed; a crisis line does not.
    open_on_holidays: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def name_in(self, language: str | None) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(language or "") or self.name

    def description_in(self, language: str | None) -> str:
        return {"sv": self.description_sv, "en": self.description_en}.get(language or "") or self.description

    def __repr__(self) -> str:
        return f"<Service {self.id} {self.code} {self.name}>"


class ServiceView(Base):
    """How many times the public map showed a service's page on one local day. Nothing else is
    kept of a visit: no cookie, no address."""

    __tablename__ = "service_view"
    __table_args__ = (UniqueConstraint("service_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    views: Mapped[int] = mapped_column(default=0)


class CallWrapUp(Base):
    """How an answered live call ended, as the staff member who answered (or a supervisor) said:
    resolved, or referred (to a service when one is named), with a topic. One per call; it may
    be corrected while the wrap-up window is open."""

    __tablename__ = "call_wrap_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), index=True,
                                                   default=None)
    topic: Mapped[str | None] = mapped_column(String(80), default=None)
    # Who wrapped it up (None: a supervisor's API token not tied to a person).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), default=None)
    via: Mapped[str] = mapped_column(String(10))  # sms, web, api
    at: Mapped[datetime] = mapped_column(index=True)
