"""Typed SQLAlchemy 2 tables, one module per aggregate. Nothing here knows of webhooks, jobs or Twilio."""
from helpline.models.audit import ActorKind, AuditAction, AuditEntity, AuditEntry
from helpline.models.busy import BusyKind, BusyState, StaffBusy
from helpline.models.base import Base, NaiveDatetimeError, UTCDateTime
from helpline.models.blocks import BlockedNumber
from helpline.models.callbacks import (
    OPEN_STATUSES,
    CallbackEvent,
    CallbackOutcome,
    CallbackRequest,
    CallbackStatus,
    Channel,
    VoiceMessage,
)
from helpline.models.callback_calls import (
    FAILED_ATTEMPT_RESULTS,
    CallAttemptResult,
    CallAttemptStatus,
    CallbackCall,
)
from helpline.models.chat import ChatVisitor
from helpline.models.conversations import ConversationMessage, Sender
from helpline.models.calls import Call, CallOutcome, DialAttempt, DialAttemptResult
from helpline.models.directory import CallWrapUp, Service, ServiceView
from helpline.models.feedback import FeedbackRequest, PulseAnswer, PulseQuestion
from helpline.models.feeds import CalendarFeed, FeedScope
from helpline.models.links import RecordingLink
from helpline.models.metrics import MetricsDay, MetricsStale, mark_row_changed, mark_stale
from helpline.models.messages import InboundSms, MessageStatusEvent, OutboundStatus, OutboundSms, SmsOptOut
from helpline.models.rota import CalendarVersion, Closure, OfficeHoursInterval, Shift
from helpline.models.staff import ApiToken, Role, Staff
from helpline.models.users import WebLogin, WeakPassword

__all__ = [
    "MetricsDay",
    "MetricsStale",
    "mark_row_changed",
    "mark_stale",
    "ActorKind",
    "CalendarVersion",
    "ApiToken",
    "AuditAction",
    "AuditEntity",
    "AuditEntry",
    "Base",
    "BlockedNumber",
    "BusyKind",
    "BusyState",
    "Call",
    "ChatVisitor",
    "CalendarFeed",
    "CallAttemptResult",
    "CallAttemptStatus",
    "CallbackCall",
    "CallOutcome",
    "CallWrapUp",
    "Channel",
    "ConversationMessage",
    "CallbackEvent",
    "CallbackOutcome",
    "CallbackRequest",
    "CallbackStatus",
    "Closure",
    "DialAttempt",
    "DialAttemptResult",
    "FAILED_ATTEMPT_RESULTS",
    "FeedbackRequest",
    "FeedScope",
    "InboundSms",
    "MessageStatusEvent",
    "NaiveDatetimeError",
    "OPEN_STATUSES",
    "OfficeHoursInterval",
    "OutboundSms",
    "OutboundStatus",
    "PulseAnswer",
    "PulseQuestion",
    "RecordingLink",
    "Role",
    "Service",
    "ServiceView",
    "Sender",
    "Shift",
    "SmsOptOut",
    "Staff",
    "StaffBusy",
    "UTCDateTime",
    "VoiceMessage",
    "WeakPassword",
    "WebLogin",
]
