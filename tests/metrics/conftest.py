"""Hand-built days for the metrics tests: the line's calendar and small row factories."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from helpline.metrics.rows import CallbackRow, CallRow
from helpline.rota.rules import LineCalendar, WeeklySchedule

HELSINKI = ZoneInfo("Europe/Helsinki")
_ids = count(1)


def at(text_value: str) -> datetime:
    """'2027-01-11 10:00' local Helsinki wall time as an aware UTC instant (fold 0)."""
    return datetime.fromisoformat(text_value).replace(tzinfo=HELSINKI).astimezone(timezone.utc)


def utc(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=timezone.utc)


def call(when: str | datetime, outcome: str = "answered", *, caller: str | None = "A", open_: bool | None = None,
         seconds: int | None = None, by: int | None = None, wrap: str | None = None, service: int | None = None,
         topic: str | None = None) -> CallRow:
    started = at(when) if isinstance(when, str) else when
    local = started.astimezone(HELSINKI)
    if open_ is None:  # Mon-Fri 09-15, holidays aside: good enough for hand-built days
        open_ = local.weekday() < 5 and 9 <= local.hour < 15
    return CallRow(id=next(_ids), started_at=started, outcome=outcome, withheld=caller is None, line_open=open_,
                   caller_key=caller, conversation_seconds=seconds, answered_by=by, wrap_up=wrap,
                   wrap_up_service_id=service, wrap_up_topic=topic)


def callback(created: str, *, ack: str | None = None, attempt: str | None = None, closed: str | None = None,
             outcome: str | None = None, topic: str | None = None, message: bool = True,
             service: int | None = None) -> CallbackRow:
    return CallbackRow(id=next(_ids), created_at=at(created), status="closed" if closed else "assigned",
                       has_message=message, acknowledged_at=at(ack) if ack else None,
                       first_attempt_at=at(attempt) if attempt else None, closed_at=at(closed) if closed else None,
                       outcome=outcome, topic=topic, service_id=service)


@pytest.fixture
def calendar() -> LineCalendar:
    """Monday to Friday 09:00-15:00 in Helsinki, closed on Finnish public holidays."""
    return LineCalendar(timezone=HELSINKI, weekly=WeeklySchedule.from_rows((day, 540, 900) for day in range(5)),
                        holiday_calendar="FI")


# --- two recorded days in a real database ---------------------------------------------------------

CALLER_A, CALLER_B, CALLER_D = "+358401000001", "+358401000002", "+358401000003"


@dataclass
class RecordedDays:
    """Monday 2027-01-11 and Tuesday 2027-01-12 as the line would have stored them."""

    aino: int
    bertil: int
    callbacks: tuple[int, int]
    recordings: tuple[str, str]
    period_start: datetime
    period_end: datetime


@pytest.fixture
def recorded_days(line, office_hours, make_staff) -> RecordedDays:
    """Monday: A leaves a message at 08:30 (callback 1, Aino OKs at 09:30 and closes it resolved
    at 10:00, topic Grief); B is answered by Aino at 09:10 (300 s); A calls again and Bertil
    answers at 09:40 (120 s); a withheld caller hangs up at 10:05; D leaves a message at 16:00
    (callback 2). Tuesday: callback 2 goes to Bertil at 09:00, he is reminded at 09:30, it is
    escalated at 10:00, he calls D back through the line at 10:15 (240 s) and closes it as
    referred at 10:30, topic "money". Four SMS: three went, one failed."""
    from helpline.models import (Call, CallbackCall, CallbackEvent, CallbackRequest, OutboundSms,
                                 VoiceMessage)

    office_hours()
    aino, bertil = make_staff("Aino", "+358401110001"), make_staff("Bertil", "+358401110002")
    recordings = ("RE" + "a" * 32, "RE" + "b" * 32)
    with line.db.session() as s:
        cb1 = CallbackRequest(caller=CALLER_A, status="closed", created_at=at("2027-01-11 08:30"),
                              last_call_at=at("2027-01-11 08:30"), assignee_id=aino.id,
                              assigned_at=at("2027-01-11 09:00"), acknowledged_at=at("2027-01-11 09:30"),
                              closed_at=at("2027-01-11 10:00"), outcome="resolved", topic="Grief", next_action=None)
        cb2 = CallbackRequest(caller=CALLER_D, status="closed", created_at=at("2027-01-11 16:00"),
                              last_call_at=at("2027-01-11 16:00"), assignee_id=bertil.id,
                              assigned_at=at("2027-01-12 09:00"), acknowledged_at=at("2027-01-12 10:15"),
                              closed_at=at("2027-01-12 10:30"), outcome="referred", topic="money",
                              reminders_sent=1, escalated_at=at("2027-01-12 10:00"), next_action=None)
        s.add_all([cb1, cb2])
        s.flush()

        def add_call(sid, when, caller, outcome, open_, callback=None, by=None, seconds=None):
            s.add(Call(call_sid=sid, caller=caller, caller_withheld=caller is None, started_at=at(when),
                       line_open=open_, outcome=outcome, callback_id=callback, answered_by_id=by,
                       conversation_seconds=seconds))

        add_call("CA1", "2027-01-11 08:30", CALLER_A, "voicemail", False, cb1.id)
        add_call("CA2", "2027-01-11 09:10", CALLER_B, "answered", True, by=aino.id, seconds=300)
        add_call("CA3", "2027-01-11 09:40", CALLER_A, "answered", True, by=bertil.id, seconds=120)
        add_call("CA4", "2027-01-11 10:05", None, "no_message", True)
        add_call("CA5", "2027-01-11 16:00", CALLER_D, "voicemail", False, cb2.id)
        for callback, sid, when in ((cb1, recordings[0], "2027-01-11 08:31"), (cb2, recordings[1], "2027-01-11 16:01")):
            s.add(VoiceMessage(callback_id=callback.id, recording_sid=sid, recording_url=f"https://api/{sid}",
                               duration_seconds=20, recording_status="completed", created_at=at(when)))
        for callback, when, kind, staff_id, detail in (
            (cb1, "2027-01-11 09:00", "assigned", aino.id, {}),
            (cb1, "2027-01-11 09:30", "acknowledged", aino.id, {"via": "sms"}),
            (cb1, "2027-01-11 10:00", "closed", aino.id, {"outcome": "resolved"}),
            (cb2, "2027-01-12 09:00", "assigned", bertil.id, {}),
            (cb2, "2027-01-12 09:30", "reminded", bertil.id, {"number": 1}),
            (cb2, "2027-01-12 10:00", "escalated", None, {"reminders": 1}),
            (cb2, "2027-01-12 10:15", "acknowledged", bertil.id, {"via": "call"}),
            (cb2, "2027-01-12 10:30", "closed", bertil.id, {"outcome": "referred"}),
        ):
            s.add(CallbackEvent(callback_id=callback.id, at=at(when), kind=kind, staff_id=staff_id, detail=detail))
        s.add(CallbackCall(callback_id=cb2.id, attempt_number=1, staff_id=bertil.id, staff_phone="+358401110002",
                           caller=CALLER_D, requested_at=at("2027-01-12 10:15"), status="ended", result="answered",
                           conversation_seconds=240))
        for key, to, purpose, status, when, body in (
            ("c1", CALLER_A, "caller_confirmation", "delivered", "2027-01-11 08:31", "We will call you back."),
            ("a1", aino.phone, "assignment", "sent", "2027-01-11 09:00",
             f"#{cb1.id}: call 040 100 0001 ({CALLER_A}) back"),
            ("a2", bertil.phone, "assignment", "delivered", "2027-01-12 09:00",
             f"#{cb2.id}: call 040 100 0003 ({CALLER_D}) back"),
            ("c2", CALLER_D, "caller_confirmation", "failed", "2027-01-11 16:01", "We will call you back."),
        ):
            s.add(OutboundSms(to_number=to, body=body, purpose=purpose, status=status, dedupe_key=key,
                              created_at=at(when), callback_id=cb1.id if key in ("c1", "a1") else cb2.id))
    return RecordedDays(aino.id, bertil.id, (cb1.id, cb2.id), recordings, at("2027-01-11 00:00"),
                        at("2027-01-13 00:00"))
