"""Typed SQLAlchemy 2 tables, one module per aggregate. Nothing here knows of webhooks, jobs or Twilio."""
from helpline.models.base import Base, NaiveDatetimeError, UTCDateTime
from helpline.models.callbacks import (
    OPEN_STATUSES,
    CallbackEvent,
    CallbackOutcome,
    CallbackRequest,
    CallbackStatus,
    VoiceMessage,
)
from helpline.models.calls import Call, CallOutcome, DialAttempt, DialAttemptResult
from helpline.models.rota import Closure, OfficeHoursInterval, Shift
from helpline.models.staff import ApiToken, Role, Staff

__all__ = [
    "ApiToken",
    "Base",
    "Call",
    "CallOutcome",
    "CallbackEvent",
    "CallbackOutcome",
    "CallbackRequest",
    "CallbackStatus",
    "Closure",
    "DialAttempt",
    "DialAttemptResult",
    "NaiveDatetimeError",
    "OPEN_STATUSES",
    "OfficeHoursInterval",
    "Role",
    "Shift",
    "Staff",
    "UTCDateTime",
    "VoiceMessage",
]
