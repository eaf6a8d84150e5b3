"""The plain rows the figures are computed from: immutable named tuples, no database, no Flask.

Named tuples rather than frozen dataclasses because a year of a busy line is half a million
rows, and a named tuple is built several times faster (a frozen dataclass sets each field
through ``object.__setattr__``).

helpline.metrics.load builds them from the tables; tests build them by hand. Every instant is
aware (UTC from the loader). No row carries a caller's number: a caller is known by
``caller_key``, the HMAC of the number (see helpline.metrics.identity), which stays after the
retention job has masked the number itself, so repeat callers are counted the same before and
after.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple


class CallRow(NamedTuple):
    """One inbound call (Call)."""

    id: int
    started_at: datetime
    # "answered", "voicemail", "no_message" (hung up without a message) or "in_progress".
    outcome: str
    withheld: bool
    line_open: bool  # whether the line was open (office hours, no holiday or closure) at the call
    caller_key: str | None = None  # None for withheld numbers
    conversation_seconds: int | None = None  # live calls: Twilio's DialCallDuration
    answered_by: int | None = None  # staff id
    callback_id: int | None = None
    # How an answered live call ended, as whoever answered said (helpline.directory.wrap_up):
    # "resolved", "referred", or None when it was never wrapped up.
    wrap_up: str | None = None
    wrap_up_service_id: int | None = None  # referred: the service named
    wrap_up_topic: str | None = None


class CallbackRow(NamedTuple):
    """One callback request (CallbackRequest) with the facts the figures need."""

    id: int
    created_at: datetime  # the first call that left it
    status: str  # new, assigned, acknowledged, closed
    has_message: bool = False  # a recording was left (still counts after retention deleted it)
    acknowledged_at: datetime | None = None  # the first OK
    first_attempt_at: datetime | None = None  # the first CALL through the line
    closed_at: datetime | None = None
    outcome: str | None = None  # resolved, referred, unreachable
    topic: str | None = None
    assignee_id: int | None = None
    reminders_sent: int = 0
    escalated_at: datetime | None = None
    service_id: int | None = None  # referred: the service the caller was sent to
    channel: str = "voice"  # voice, sms or chat: how it began

    @property
    def first_response_at(self) -> datetime | None:
        """The first sign that someone took it up: an OK, a CALL through the line, or closing it.

        Closing counts because a DONE with no OK before it means the call was made from the
        staff member's own phone; the close is then the latest the response can have been.
        """
        # min() of the moments given, spelled out: a year's figures ask this of 135,000 rows.
        first = None
        for moment in (self.acknowledged_at, self.first_attempt_at, self.closed_at):
            if moment is not None and (first is None or moment < first):
                first = moment
        return first


class ConversationRow(NamedTuple):
    """The messages of one callback's conversation by text, counted (ConversationMessage): who
    wrote how many, and when the first, the last, the caller's first and the first reply came.
    ``created_at`` is the callback's, its anchor."""

    callback_id: int
    created_at: datetime
    channel: str
    from_caller: int
    from_line: int  # written by staff (or through the API)
    automatic: int  # the line's answers while closed: not replies
    first_at: datetime
    last_at: datetime
    first_caller_at: datetime | None = None
    first_reply_at: datetime | None = None  # the first message staff wrote


class AttemptRow(NamedTuple):
    """One call back through the line (CallbackCall, the CALL command)."""

    id: int
    callback_id: int
    requested_at: datetime
    result: str | None  # "answered", "no-answer", "busy", ... (None while it is going on)
    staff_id: int | None = None
    conversation_seconds: int | None = None


class EventRow(NamedTuple):
    """Entries of callbacks' histories (CallbackEvent): assigned, handed_over, taken, reminded,
    escalated, passed, closed. ``staff_id`` is whom it concerns (the new holder, the one
    reminded, the closer). ``count`` > 1 stands for that many alike events of one week (the
    loader counts the common kinds in the database; escalations and holder changes of escalated
    callbacks come one by one, ``callback_id`` 0 means "counted, not one callback")."""

    callback_id: int
    at: datetime
    kind: str
    staff_id: int | None = None
    event_id: int = 0  # orders events that share an instant
    count: int = 1


class SmsRow(NamedTuple):
    """SMS the line sent or meant to send (OutboundSms): ``count`` of them with this status,
    created at ``created_at`` (the loader counts per week and gives the week's start)."""

    created_at: datetime
    status: str  # queued, sending, sent, delivered, undelivered, failed, suppressed
    count: int = 1


class FeedbackRow(NamedTuple):
    """A caller's answer to the feedback SMS after a callback closed (or that it was asked and
    never answered: ``score`` None)."""

    callback_id: int
    asked_at: datetime
    score: int | None = None  # 1-5
    answered_at: datetime | None = None
    staff_id: int | None = None
    comment: str | None = None  # the caller's own words, if any


class PulseRow(NamedTuple):
    """One question of the monthly wellbeing pulse and, when it was answered, a score of its
    round (``score`` None: not answered).

    ``survey`` names the round (e.g. "2027-01"). The answers are stored apart from who gave
    them (helpline.models.feedback), so a row names no staff member; the loader dates every
    row of a round at the round's start, so a round is always counted whole. Only team
    averages are shown.
    """

    survey: str
    asked_at: datetime
    score: int | None = None


class StaffRow(NamedTuple):
    id: int
    name: str
    active: bool = True


class ServiceRow(NamedTuple):
    """A service of the directory (referrals and map views are counted per service)."""

    id: int
    name: str
    code: str = ""
    active: bool = True


class MapViewRow(NamedTuple):
    """How many times the public map showed a service's page on one local day; ``day_start`` is
    that day's local midnight (the row's anchor)."""

    service_id: int
    day_start: datetime
    views: int


@dataclass(frozen=True)
class MetricRows:
    """Everything one period's figures are computed from."""

    calls: tuple[CallRow, ...] = ()
    callbacks: tuple[CallbackRow, ...] = ()
    attempts: tuple[AttemptRow, ...] = ()
    events: tuple[EventRow, ...] = ()
    sms: tuple[SmsRow, ...] = ()
    feedback: tuple[FeedbackRow, ...] = ()
    pulse: tuple[PulseRow, ...] = ()
    staff: tuple[StaffRow, ...] = field(default=())
    services: tuple[ServiceRow, ...] = ()
    map_views: tuple[MapViewRow, ...] = ()
    conversations: tuple[ConversationRow, ...] = ()
