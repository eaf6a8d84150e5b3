"""The simulated day: six calls to the running line, each at its own moment of the demo's clock.

Every call goes over real HTTP to the running web process, signed and followed the way Twilio
would (helpline.devtools.call_client). After each one the demo shows what the caller heard, who
was rung, what the database and the supervisor API now hold, and which SMS the worker sent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpline.clock import SimulatedClock
from helpline.db import Database
from helpline.demo.clients import DemoApiError, SmsWatcher, SupervisorApi, wait_until_idle
from helpline.demo.output import Console
from helpline.demo.seed import ROTA, SeededLine
from helpline.devtools.call_client import CallResult, StaffPhone, TwilioCallSimulator
from helpline.models import Call
from helpline.queue.dispatch import QUEUE_NAME
from helpline.phones import readable

# Callers of the demo. Fixed numbers, so a re-run tells the same story (see close_leftovers).
ANNA = "+358501110001"
BERTTA = "+358501110002"
CARL = "+358501110003"
DAVID = "+358501110004"
DEMO_CALLERS = (ANNA, BERTTA, CARL, DAVID)
WITHHELD = None


@dataclass(frozen=True)
class DemoCall:
    title: str
    at: time  # local wall-clock time on the demo day
    caller: str | None
    press: str | None = None  # the language menu: 1 Finnish, 2 Swedish, 3 English
    first_on_duty: str = "accept"  # how the first and second person on the rota behave
    second_on_duty: str = "accept"
    leave_message_seconds: int = 20
    hang_up_during_record: bool = False
    # What to say when the call led to no SMS (None: say nothing).
    no_sms: str | None = "none (see .run/worker.log)"
    notes: tuple[str, ...] = field(default_factory=tuple)


DAY: tuple[DemoCall, ...] = (
    DemoCall("in office hours: the first person on duty answers", time(10, 0), ANNA, no_sms=None),
    DemoCall("in office hours: nobody answers (no answer, then a personal voicemail box)", time(11, 0), BERTTA,
             press="3", first_on_duty="no-answer", second_on_duty="voicemail"),
    DemoCall("after hours: leaves a message, hears when the line opens", time(18, 30), CARL, press="2"),
    DemoCall("after hours: hangs up without leaving a message", time(19, 0), DAVID, leave_message_seconds=0,
             hang_up_during_record=True),
    DemoCall("the 18:30 caller calls again: joins the open callback", time(20, 0), CARL, press="2",
             leave_message_seconds=10, no_sms="none: the caller was already told (one SMS per callback request)"),
    DemoCall("a withheld number", time(20, 30), WITHHELD, press="3", no_sms=None),
)


@dataclass
class DayContext:
    simulator: TwilioCallSimulator
    clock_file: Path
    db: Database
    api: SupervisorApi
    seeded: SeededLine
    timezone_name: str
    sms: SmsWatcher | None
    console: Console
    redis_url: str
    worker_timeout: float = 30.0


def local(day: date, at: time, timezone_name: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone_name))


def close_leftovers(api: SupervisorApi, console: Console) -> int:
    """Close open callbacks that an earlier demo run left for its own callers, so this run's calls
    start new requests instead of joining old ones. Only the demo's fixed numbers are touched."""
    closed = 0
    for callback in api.open_callbacks():
        if callback["caller"] in DEMO_CALLERS:
            api.close_callback(callback["id"], "resolved", "closed by the demo before replaying its day")
            closed += 1
    if closed:
        console.line(f"Closed {closed} open callback(s) left by an earlier demo run (their history stays).")
    return closed


def play_day(ctx: DayContext, day: date) -> list[CallResult]:
    names = {staff.phone: staff.name for staff in ctx.seeded.staff.values()}
    first, second = (ctx.seeded.staff[person.key] for person in ROTA[day.weekday()])
    results = []
    for number, demo_call in enumerate(DAY, start=1):
        moment = local(day, demo_call.at, ctx.timezone_name)
        ctx.console.subheading(f"Call {number}: {moment:%A %d.%m. %H:%M} · {demo_call.title}")
        # Speed 1 during a call: the webhooks see the call's own seconds pass as they would.
        SimulatedClock.write(ctx.clock_file, moment, speed=1.0)
        staff = {first.phone: StaffPhone(first.phone, demo_call.first_on_duty),
                 second.phone: StaffPhone(second.phone, demo_call.second_on_duty)}
        result = ctx.simulator.call(demo_call.caller, staff=staff, press=demo_call.press,
                                    leave_message_seconds=demo_call.leave_message_seconds,
                                    hang_up_during_record=demo_call.hang_up_during_record)
        results.append(result)
        _report_call(ctx, demo_call, result, names)
    return results


def _report_call(ctx: DayContext, demo_call: DemoCall, result: CallResult, names: dict[str, str]) -> None:
    console = ctx.console
    console.fact("caller", readable(demo_call.caller) if demo_call.caller else "withheld number")
    console.quotes("heard", result.heard)
    if result.rang:
        rung = []
        for phone in result.rang:
            verdict = "answered" if phone == result.answered_by else "did not take it"
            rung.append(f"{names.get(phone, phone)} ({verdict})")
        console.fact("rang", ", ".join(rung))
    console.fact("outcome", {"answered": f"answered by {names.get(result.answered_by or '', result.answered_by)}",
                             "voicemail": "left a message",
                             "no_message": "hung up without a message"}[result.outcome])
    # Let the worker finish what the call started (assignment, SMS) before reading the results.
    idle = ctx.sms is None or wait_until_idle(ctx.redis_url, QUEUE_NAME, ctx.worker_timeout)
    with ctx.db.session() as session:
        call = session.scalar(select(Call).options(selectinload(Call.dial_attempts))
                              .where(Call.call_sid == result.call_sid))
        if call is None:
            console.fact("stored", f"no call row for {result.call_sid}!")
            return
        attempts = ", ".join(f"{names.get(a.phone, a.phone)}: {a.result}" for a in call.dial_attempts)
        console.fact("stored", f"call {call.call_sid[:10]}… outcome={call.outcome}, line "
                               f"{'open' if call.line_open else 'closed'} ({call.line_reason}), "
                               f"language={call.language}" + (f"; dial attempts: {attempts}" if attempts else ""))
        callback_id = call.callback_id
    if callback_id is not None:
        _report_callback(ctx, callback_id)
    elif demo_call.caller is None:
        console.fact("callback", "none: the number is withheld, so nobody could call back")
    else:
        console.fact("callback", "none needed")
    if ctx.sms is None:
        return
    if not idle:
        console.fact("SMS", f"the worker is still busy after {ctx.worker_timeout:.0f} s (see .run/worker.log)")
    texts = ctx.sms.new()
    if not texts and demo_call.no_sms:
        console.fact("SMS", demo_call.no_sms)
    for sms in texts:
        console.fact("SMS", f"to {names.get(sms.to, readable(sms.to))}: {sms.body}")


def _report_callback(ctx: DayContext, callback_id: int) -> None:
    try:
        callback = ctx.api.callback(callback_id)
    except DemoApiError as error:
        ctx.console.fact("callback", f"#{callback_id} (the API could not show it: {error})")
        return
    messages = [m for m in callback.get("messages", []) if m.get("usable")]
    joined = f", {callback['call_count']} calls joined" if callback.get("call_count", 1) > 1 else ""
    staff = {person.id: person.name for person in ctx.seeded.staff.values()}
    assignee = f", assigned to {staff.get(callback['assignee_id'], callback['assignee_id'])}" \
        if callback.get("assignee_id") else ""
    ctx.console.fact("callback", f"#{callback['id']} status={callback['status']}{assignee}, "
                                 f"has_message={str(callback['has_message']).lower()} "
                                 f"({len(messages)} message(s)){joined}, language={callback.get('language')} "
                                 f"(GET /api/callbacks/{callback['id']})")


def summarise(ctx: DayContext) -> list[dict]:
    """The open callbacks as the supervisor API lists them at the end of the day."""
    callbacks = [cb for cb in ctx.api.open_callbacks() if cb["caller"] in DEMO_CALLERS]
    names = {staff.id: staff.name for staff in ctx.seeded.staff.values()}
    for cb in callbacks:
        assignee = names.get(cb["assignee_id"], "nobody yet") if cb["assignee_id"] else "nobody yet"
        ctx.console.line(f"#{cb['id']:<4} {readable(cb['caller']):<18} {cb['status']:<13} "
                         f"message={'yes' if cb['has_message'] else 'no ':<4} calls={cb.get('call_count', 1)}  "
                         f"assignee: {assignee}", indent=2)
    return callbacks
