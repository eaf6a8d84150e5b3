"""The simulated day: six calls and two conversations by text with the running line, each at its
own moment of the demo's clock.

Every call and text goes over real HTTP to the running web process, signed and followed the way
Twilio would (helpline.devtools.call_client). After each one the demo shows what the caller heard,
who was rung, what the database and the supervisor API now hold, and which SMS the worker sent.
The staff member who answered the 10:00 call wraps it up by SMS as referred (the map of help).
One callback is settled in the afternoon: its assignee texts DONE ... REF, the caller gets the
service's details by SMS, the sweeper sends the caller the feedback question half an hour later,
and the caller answers it. In the afternoon a caller writes instead of calling: the assignee gets
her words, answers with REPLY (she gets it from the line's number) and closes with DONE. In the
evening someone writes while the line is closed and gets the one automatic answer of the night.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic, sleep

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpline.clock import SimulatedClock
from helpline.db import Database
from helpline.demo import day_queue
from helpline.demo.day_chat import CHAT_AT, play_chat
from helpline.demo.clients import DemoApiError, Sms, SmsWatcher, SupervisorApi, wait_until_idle
from helpline.demo.output import Console
from helpline.demo.seed import ROTA, SeededLine
from helpline.devtools.call_client import CallResult, StaffPhone, TwilioCallSimulator
from helpline.feedback.rules import FEEDBACK_DELAY
from helpline.models import Call, FeedbackRequest, OutboundSms, Staff
from helpline.models.calls import DialAttemptResult
from helpline.dispatch import QUEUE_NAME
from helpline.phones import readable

# Callers of the demo. Fixed numbers, so a rerun tells the same story (on an emptied database).
ANNA = "+358501110001"
BERTTA = "+358501110002"
CARL = "+358501110003"
DAVID = "+358501110004"
EEVA = "+358501110005"  # writes in the afternoon
FRIDA = "+358501110006"  # writes in the evening, in Swedish
DEMO_CALLERS = (ANNA, BERTTA, CARL, DAVID, EEVA, FRIDA)
WITHHELD = None
# The sweeper runs every 15 s of real time; the worker then sends within a second or two.
FEEDBACK_WAIT_SECONDS = 45.0
# How long to wait for the fake Twilio's delivery reports before the clock moves on.
REPORTS_WAIT_SECONDS = 10.0
# The language menu: no key is Finnish, the line's first language.
KEYS = {"1": "Finnish", "2": "Swedish", "3": "English"}
# What each dial attempt's stored result means, in words.
ATTEMPT_WORDS = {
    DialAttemptResult.RINGING: "still ringing", DialAttemptResult.ACCEPTED: "pressed 1",
    DialAttemptResult.NOT_ACCEPTED: "picked up but never pressed 1 (a voicemail box)",
    DialAttemptResult.NO_ANSWER: "did not answer", DialAttemptResult.BUSY: "busy",
    DialAttemptResult.FAILED: "could not be rung", DialAttemptResult.CANCELED: "stopped ringing: the caller hung up",
    DialAttemptResult.CONNECTED: "pressed 1 and talked with the caller",
}


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
    # When set: at this time the assignee texts DONE, and the caller answers the feedback question.
    settled_at: time | None = None
    feedback_answer: str = "5 Thank you, that helped a lot"
    # The DONE text's tail: a referral to a service of the directory (its code after REF).
    settle_with: str = "called back, sorted out"
    # When set: whoever answered the call texts this five minutes later (the wrap-up).
    wrap_up: str | None = None


DAY: tuple[DemoCall, ...] = (
    DemoCall("in office hours: the first person on duty answers", time(10, 0), ANNA, no_sms=None,
             wrap_up="KIRJAA ohjattu PERHE perheen huolet"),
    DemoCall("in office hours: nobody answers (no answer, then a personal voicemail box)", time(11, 0), BERTTA,
             press="3", first_on_duty="no-answer", second_on_duty="voicemail", settled_at=time(13, 0),
             settle_with="REF KRIISI called back, referred to the crisis line"),
    DemoCall("after hours: leaves a message, hears when the line opens", time(18, 30), CARL, press="2"),
    DemoCall("after hours: hangs up without leaving a message", time(19, 0), DAVID, leave_message_seconds=0,
             hang_up_during_record=True),
    DemoCall("the 18:30 caller calls again: joins the open callback", time(20, 0), CARL, press="2",
             leave_message_seconds=10, no_sms="none: the caller was already told (one SMS per callback request)"),
    DemoCall("a withheld number", time(20, 30), WITHHELD, press="3", no_sms=None),
)


@dataclass(frozen=True)
class DemoText:
    """A caller who writes to the line. With ``reply``: at ``reply_at`` the assignee answers with
    REPLY, and at ``done_at`` closes with DONE. ``again``: a second text a few minutes later."""

    title: str
    at: time
    caller: str
    words: str
    reply: str | None = None
    reply_at: time | None = None
    done_at: time | None = None
    again: str | None = None


TEXTS: tuple[DemoText, ...] = (
    DemoText("in office hours: a caller writes; the assignee answers with REPLY and closes with DONE", time(14, 0),
             EEVA, "Hei. Minulla on ollut raskas viikko. Voisiko joku jutella kanssani?",
             reply="Hei, täällä Aino päivystyksestä. Kiitos kun kirjoitit. Sopiiko, että soitan sinulle nyt?",
             reply_at=time(14, 5), done_at=time(14, 40)),
    DemoText("after hours: one automatic answer, however many texts", time(21, 0), FRIDA,
             "Hej, jag mår inte så bra. Finns det någon där?", again="Hallå?"),
)


class StaffNames:
    """Staff names by phone and id from the database, read again when one is missing, so someone
    added through the API while the demo runs is named, not shown as a bare number."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._by_phone: dict[str, str] = {}
        self._by_id: dict[int, str] = {}

    def _load(self) -> None:
        with self.db.session() as session:
            rows = session.execute(select(Staff.id, Staff.phone, Staff.name)).all()
        self._by_phone = {phone: name for _id, phone, name in rows}
        self._by_id = {staff_id: name for staff_id, _phone, name in rows}

    def of_phone(self, phone: str | None) -> str:
        """A staff member's name, else the number as people write it."""
        if phone and phone not in self._by_phone:
            self._load()
        return self._by_phone.get(phone or "") or (readable(phone) if phone else "withheld number")

    def of_id(self, staff_id: int | None, default: str = "nobody yet") -> str:
        if staff_id is not None and staff_id not in self._by_id:
            self._load()
        return self._by_id.get(staff_id, default) if staff_id is not None else default


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
    names: StaffNames = field(init=False)

    def __post_init__(self) -> None:
        self.names = StaffNames(self.db)


def local(day: date, at: time, timezone_name: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone_name))


def play_day(ctx: DayContext, day: date) -> list[CallResult]:
    first, second = (ctx.seeded.staff[person.key] for person in ROTA[day.weekday()])
    results = []
    texts = list(TEXTS)
    chatted = False  # the day's one web chat (helpline.demo.day_chat), in its place in time
    for number, demo_call in enumerate(DAY, start=1):
        while texts and texts[0].at < demo_call.at:
            _play_text(ctx, day, texts.pop(0), len(TEXTS) - len(texts))
        if not chatted and CHAT_AT < demo_call.at:
            chatted = play_chat(ctx, day) or True
        if day_queue.due(DAY[number - 2].at if number > 1 else None, demo_call.at):
            day_queue.play(ctx, day)
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
        callback_id = _report_call(ctx, demo_call, result)
        if demo_call.wrap_up is not None and result.answered_by is not None:
            _wrap_up(ctx, moment + timedelta(minutes=5), result.answered_by, demo_call.wrap_up)
        if demo_call.settled_at is not None and callback_id is not None:
            _settle_and_ask(ctx, day, demo_call, callback_id)
    while texts:
        _play_text(ctx, day, texts.pop(0), len(TEXTS) - len(texts))
    return results


def _play_text(ctx: DayContext, day: date, demo_text: DemoText, number: int) -> None:
    """A caller writes to the line; the demo shows what the assignee got, and the conversation."""
    console = ctx.console
    moment = local(day, demo_text.at, ctx.timezone_name)
    console.subheading(f"Text {number}: {moment:%A %d.%m. %H:%M} · {demo_text.title}")
    SimulatedClock.write(ctx.clock_file, moment, speed=1.0)
    _text_the_line(ctx, demo_text.caller, demo_text.words)
    console.fact("SMS from", f"{readable(demo_text.caller)}: {demo_text.words}")
    _after_texting(ctx, "none: the conversation waits for the opening")
    callback = next((cb for cb in ctx.api.open_callbacks() if cb["caller"] == demo_text.caller), None)
    if callback is None:
        console.fact("callback", "none: the text opened no conversation!")
        return
    _report_conversation(ctx, callback["id"])
    # Later steps are timed from when the first text was stored, not from the clock's minute, so a
    # rerun reports the same figures to the second (the clock runs while the worker works).
    first_at = _first_text_at(ctx, callback["id"]) or moment
    if demo_text.again:
        again = first_at + timedelta(minutes=5)
        SimulatedClock.write(ctx.clock_file, again, speed=1.0)
        _text_the_line(ctx, demo_text.caller, demo_text.again)
        console.fact("SMS from", f"{readable(demo_text.caller)} at {again:%H:%M}: {demo_text.again}")
        _after_texting(ctx, "none: one automatic answer per closed period, so an auto-responder "
                                   "can never start a loop")
    staff = _staff_by_id(ctx, callback.get("assignee_id"))
    if demo_text.reply is None or staff is None:
        return
    for at, body in ((demo_text.reply_at, f"VASTAA {callback['id']} {demo_text.reply}"),
                     (demo_text.done_at, f"VALMIS {callback['id']} soitin, juteltiin puoli tuntia")):
        SimulatedClock.write(ctx.clock_file, first_at + (local(day, at, ctx.timezone_name) - moment), speed=1.0)
        _text_the_line(ctx, staff.phone, body)
        console.fact("SMS from", f"{staff.name} at {at:%H:%M}: {body}")
        _after_texting(ctx, None)
    _report_conversation(ctx, callback["id"])


def _first_text_at(ctx: DayContext, callback_id: int) -> datetime | None:
    try:
        conversation = ctx.api.callback(callback_id).get("conversation") or []
    except DemoApiError:
        return None
    if not conversation:
        return None
    # The API gives whole seconds; the next whole second is surely after the stored instant.
    return datetime.fromisoformat(conversation[0]["at"]) + timedelta(seconds=1)


def _after_texting(ctx: DayContext, no_sms: str | None) -> None:
    """Let the worker finish, then show the SMS it sent (and that they came from the line's number)."""
    if ctx.sms is None:
        return
    wait_until_idle(ctx.redis_url, QUEUE_NAME, ctx.worker_timeout)
    _wait_for_delivery_reports(ctx)
    texts = ctx.sms.new()
    if not texts and no_sms:
        ctx.console.fact("SMS", no_sms)
    for sms in texts:
        sender = "" if sms.sender == ctx.simulator.line_number else f" (from {sms.sender}!)"
        ctx.console.fact("SMS", f"to {ctx.names.of_phone(sms.to)}{sender}: {sms.body}")


def _staff_by_id(ctx: DayContext, staff_id: int | None):
    return next((person for person in ctx.seeded.staff.values() if person.id == staff_id), None)


def _report_conversation(ctx: DayContext, callback_id: int) -> None:
    try:
        callback = ctx.api.callback(callback_id)
    except DemoApiError as error:
        ctx.console.fact("callback", f"#{callback_id} (the API could not show it: {error})")
        return
    ctx.console.fact("callback", f"#{callback['id']} channel={callback['channel']} status={callback['status']}, "
                                 f"assigned to {ctx.names.of_id(callback.get('assignee_id'))}, language="
                                 f"{callback.get('language')} (GET /api/callbacks/{callback['id']})")
    for message in callback.get("conversation", []):
        who = "caller" if message["from"] == "caller" else (
            "line, automatic" if message.get("automatic") else f"line, {_staff_name(ctx, message['staff_id'])}")
        ctx.console.fact("conversation", f"{message['at'][11:16]} {who}: {message['text']}")


def _staff_name(ctx: DayContext, staff_id: int | None) -> str:
    return ctx.names.of_id(staff_id, "through the API")


def _pressed(demo_call: DemoCall) -> str:
    if demo_call.press is None:
        return "nothing: Finnish, the line's first language"
    return f"{demo_call.press}: {KEYS.get(demo_call.press, 'not a menu key')}"


def _report_call(ctx: DayContext, demo_call: DemoCall, result: CallResult) -> int | None:
    """Show what the call did; returns its callback's id (None: it left none)."""
    console, names = ctx.console, ctx.names
    console.fact("caller", readable(demo_call.caller) if demo_call.caller else "withheld number")
    # What the caller heard, with the key pressed at the language menu (the first <Gather>), so
    # one can see why the rest of the call is in that language.
    menu = result.keys[:1]
    console.quotes("heard", result.heard, notes={at: f"[presses {_pressed(demo_call)}]" for at, _key in menu})
    if result.rang:
        rung = []
        for phone in result.rang:
            verdict = "answered" if phone == result.answered_by else "did not take it"
            rung.append(f"{names.of_phone(phone)} ({verdict})")
        console.fact("rang", ", ".join(rung))
    console.fact("outcome", {"answered": f"answered by {names.of_phone(result.answered_by)}",
                             "voicemail": "left a message",
                             "no_message": "hung up without a message"}[result.outcome])
    # Let the worker finish what the call started (assignment, SMS) before reading the results.
    idle = ctx.sms is None or wait_until_idle(ctx.redis_url, QUEUE_NAME, ctx.worker_timeout)
    _wait_for_delivery_reports(ctx)
    with ctx.db.session() as session:
        call = session.scalar(select(Call).options(selectinload(Call.dial_attempts))
                              .where(Call.call_sid == result.call_sid))
        if call is None:
            console.fact("stored", f"no call row for {result.call_sid}!")
            return None
        attempts = ", ".join(f"{names.of_phone(a.phone)}: {ATTEMPT_WORDS.get(a.result, a.result)}"
                             for a in call.dial_attempts)
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
        return callback_id
    if not idle:
        console.fact("SMS", f"the worker is still busy after {ctx.worker_timeout:.0f} s (see .run/worker.log)")
    texts = ctx.sms.new()
    if not texts and demo_call.no_sms:
        console.fact("SMS", demo_call.no_sms)
    _show_sms(ctx, texts)
    return callback_id


def show_texts_sent(ctx: DayContext) -> None:
    """Wait for the worker and for Twilio's delivery reports, then show the SMS sent since the last
    look: a scene's texts are reported at its own simulated minute, not wherever the clock goes next."""
    if ctx.sms is None:
        return
    wait_until_idle(ctx.redis_url, QUEUE_NAME, ctx.worker_timeout)
    _wait_for_delivery_reports(ctx)
    _show_sms(ctx, ctx.sms.new())


def _show_sms(ctx: DayContext, texts: list[Sms]) -> None:
    for sms in texts:
        ctx.console.fact("SMS", f"to {ctx.names.of_phone(sms.to)}: {sms.body}")


def _wait_for_delivery_reports(ctx: DayContext) -> bool:
    """Wait until Twilio (the fake) has reported on every SMS sent, so that their "queued, sent,
    delivered" times are this moment's and not those of wherever the clock jumps next."""
    if ctx.sms is None:
        return True
    deadline = monotonic() + REPORTS_WAIT_SECONDS
    pending_states = ("queued", "sending", "sent")
    while monotonic() < deadline:
        with ctx.db.session() as session:
            pending = session.scalar(select(OutboundSms.id).where(OutboundSms.status.in_(pending_states),
                                                                  OutboundSms.twilio_sid.is_not(None)).limit(1))
        if pending is None:
            return True
        sleep(0.1)
    return False


def _text_the_line(ctx: DayContext, sender: str, body: str) -> None:
    """An SMS to the line's number, delivered to /sms/incoming as Twilio would (signed)."""
    ctx.simulator.deliver("/sms/incoming", {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ctx.simulator.account_sid,
                                            "From": sender, "To": ctx.simulator.line_number, "Body": body})


def _wrap_up(ctx: DayContext, moment: datetime, staff_phone: str, text: str) -> None:
    """Whoever answered a live call texts how it ended, in reply to the wrap-up question."""
    console = ctx.console
    console.subheading(f"{moment:%H:%M} · {ctx.names.of_phone(staff_phone)} wraps up the call by SMS")
    SimulatedClock.write(ctx.clock_file, moment, speed=1.0)
    _text_the_line(ctx, staff_phone, text)
    console.fact("SMS from", f"{ctx.names.of_phone(staff_phone)}: {text}")
    if ctx.sms is None:
        return
    wait_until_idle(ctx.redis_url, QUEUE_NAME, ctx.worker_timeout)
    _wait_for_delivery_reports(ctx)
    _show_sms(ctx, ctx.sms.new())


def _settle_and_ask(ctx: DayContext, day: date, demo_call: DemoCall, callback_id: int) -> None:
    """The assignee texts DONE; the sweeper sends the caller the feedback question half an hour
    later (it watches the clock like everything else); the caller answers it."""
    console = ctx.console
    callback = ctx.api.callback(callback_id)
    # Settled exactly as long after the request as the day says (13:00 for 11:00): the request
    # was stored a few real seconds into the call, however busy the machine, and a rerun must
    # report the same response time (not 2 h 00 min once and 1 h 59 min the next).
    planned = local(day, demo_call.settled_at, ctx.timezone_name) - local(day, demo_call.at, ctx.timezone_name)
    settled = datetime.fromisoformat(callback["created_at"]) + planned
    console.subheading(f"{settled:%H:%M} · the callback is settled, and the caller is asked how well she was helped"
                       if "REF" not in demo_call.settle_with else
                       f"{settled:%H:%M} · the callback is settled with a referral: the caller gets the service's "
                       "details, and later the feedback question")
    SimulatedClock.write(ctx.clock_file, settled, speed=1.0)
    assignee_id = callback.get("assignee_id")
    staff = next((person for person in ctx.seeded.staff.values() if person.id == assignee_id), None)
    if staff is None or ctx.sms is None:
        console.fact("skipped", "nobody holds the callback, or SMS cannot be sent in this demo")
        return
    _text_the_line(ctx, staff.phone, f"DONE {callback_id} {demo_call.settle_with}")
    console.fact("SMS from", f"{staff.name}: DONE {callback_id} {demo_call.settle_with}")
    wait_until_idle(ctx.redis_url, QUEUE_NAME, ctx.worker_timeout)
    _wait_for_delivery_reports(ctx)
    _show_sms(ctx, ctx.sms.new())

    asking = settled + FEEDBACK_DELAY
    SimulatedClock.write(ctx.clock_file, asking, speed=1.0)
    console.fact("clock", f"{asking:%H:%M}: the sweeper finds the feedback question due")
    texts = _wait_for_sms_to(ctx, demo_call.caller, FEEDBACK_WAIT_SECONDS)
    _wait_for_delivery_reports(ctx)
    _show_sms(ctx, texts)
    if not any(sms.to == demo_call.caller for sms in texts):
        console.fact("feedback", f"no question reached the caller in {FEEDBACK_WAIT_SECONDS:.0f} s "
                                 "(see .run/sweeper.log)")
        return
    SimulatedClock.write(ctx.clock_file, asking + timedelta(minutes=10), speed=1.0)
    _text_the_line(ctx, demo_call.caller, demo_call.feedback_answer)
    console.fact("SMS from", f"{readable(demo_call.caller)}: {demo_call.feedback_answer}")
    with ctx.db.session() as session:
        feedback = session.scalar(select(FeedbackRequest).where(FeedbackRequest.callback_id == callback_id))
        console.fact("stored", f"feedback for #{callback_id}: score {feedback.score}, words "
                               f"\"{feedback.comment}\" (no reply is sent: one question, not a conversation)"
                     if feedback is not None else f"no feedback row for #{callback_id}!")


def _wait_for_sms_to(ctx: DayContext, number: str, timeout: float) -> list[Sms]:
    """Every new SMS until one to ``number`` arrives (or ``timeout`` seconds pass)."""
    deadline = monotonic() + timeout
    seen: list[Sms] = []
    while monotonic() < deadline:
        seen += ctx.sms.new()
        if any(sms.to == number for sms in seen):
            break
        sleep(0.5)
    return seen


def _report_callback(ctx: DayContext, callback_id: int) -> None:
    try:
        callback = ctx.api.callback(callback_id)
    except DemoApiError as error:
        ctx.console.fact("callback", f"#{callback_id} (the API could not show it: {error})")
        return
    messages = [m for m in callback.get("messages", []) if m.get("usable")]
    joined = f", {callback['call_count']} calls joined" if callback.get("call_count", 1) > 1 else ""
    assignee = f", assigned to {ctx.names.of_id(callback['assignee_id'])}" if callback.get("assignee_id") else ""
    ctx.console.fact("callback", f"#{callback['id']} status={callback['status']}{assignee}, "
                                 f"has_message={str(callback['has_message']).lower()} "
                                 f"({len(messages)} message(s)){joined}, language={callback.get('language')} "
                                 f"(GET /api/callbacks/{callback['id']})")


def summarise(ctx: DayContext) -> list[dict]:
    """The open callbacks as the supervisor API lists them at the end of the day."""
    callbacks = [cb for cb in ctx.api.open_callbacks() if cb["caller"] in DEMO_CALLERS]
    for cb in callbacks:
        assignee = ctx.names.of_id(cb["assignee_id"])
        ctx.console.line(f"#{cb['id']:<4} {readable(cb['caller']):<18} {cb.get('channel', 'voice'):<6}{cb['status']:<13} "
                         f"message={'yes' if cb['has_message'] else 'no ':<4} calls={cb.get('call_count', 1)}  "
                         f"assignee: {assignee}", indent=2)
    return callbacks
