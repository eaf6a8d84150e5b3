"""A callback's history in words: its events (calls, messages, assignment, acknowledgement,
reminders, attempts, closing), every SMS sent about it with Twilio's delivery reports, and the
caller's answer to the feedback question, in time order. The words are the reader's language; an event kind this page does not know yet is still
shown, by its name and details, so nothing in the history is hidden."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.models import (
    Call,
    CallbackEvent,
    CallbackRequest,
    FeedbackRequest,
    MessageStatusEvent,
    OutboundSms,
    Service,
    Staff,
)
from helpline.phones import readable

OUTCOMES = {"resolved": _l("resolved"), "referred": _l("referred elsewhere"), "unreachable": _l("unreachable")}
SMS_STATUSES = {
    "queued": _l("queued"), "sending": _l("sending"), "sent": _l("sent"), "delivered": _l("delivered"),
    "undelivered": _l("not delivered"), "failed": _l("failed"), "suppressed": _l("not sent"),
    "accepted": _l("accepted"), "read": _l("read"),
}
SMS_PURPOSES = {
    "caller_confirmation": _l("confirmation to the caller"), "assignment": _l("assignment"),
    "handover": _l("handover"), "handed_over": _l("handed over to someone else"), "reminder": _l("reminder"),
    "escalation": _l("escalation"), "caller_feedback": _l("the feedback question"),
    "command_reply": _l("reply to a command"), "opt_out_alert": _l("the caller said STOP"),
    "call_back_failed": _l("the call back could not be placed"), "caller_unreachable": _l("the caller could not be reached"),
    "call_back_result": _l("result of the call back"), "referral": _l("the referred service's details to the caller"),
    "conversation_reply": _l("reply to the caller"), "forwarded_text": _l("the caller's texts"),
    "closed_answer": _l("automatic answer: the line is closed"), "caller_stopped": _l("the caller said STOP"),
}
NOT_TEXTED = {"not a mobile number": _l("not a mobile number"),
              "the caller has opted out of SMS": _l("the caller has opted out of SMS")}
VIA = {"sms": _l("by SMS"), "api": _l("through the API"), "web": _l("on the web page"), "reply": _l("by replying")}


@dataclass
class Entry:
    at: datetime
    title: str
    detail: str = ""
    kind: str = ""
    deliveries: list[tuple[datetime, str]] = field(default_factory=list)


def history(db: Session, callback: CallbackRequest) -> list[Entry]:
    names = dict(db.execute(select(Staff.id, Staff.name)).all())
    calls = {call.call_sid: call for call in db.scalars(select(Call).where(Call.callback_id == callback.id))}
    services = dict(db.execute(select(Service.id, Service.name)).all())
    entries = [_event_entry(event, names, calls, services) for event in callback.events]
    entries.extend(_sms_entries(db, callback.id, names))
    entries.extend(_feedback_entries(db, callback.id))
    entries.sort(key=lambda entry: entry.at)
    return entries


def _name(names: dict[int, str], staff_id: object) -> str:
    return names.get(staff_id, _("a former staff member")) if staff_id is not None else _("nobody")


def _event_entry(event: CallbackEvent, names: dict[int, str], calls: dict[str, Call],
                 services: dict[int, str]) -> Entry:
    d = event.detail or {}
    who = _name(names, event.staff_id)
    kind = event.kind
    if kind == "call":
        call = calls.get(str(d.get("call_sid")))
        title = _("Called again; joined this request") if d.get("joined") else _("Called the line")
        detail = _("Language: %(language)s", language=call.language) if call is not None and call.language else ""
        return Entry(event.at, title, detail, kind)
    if kind == "message":
        seconds = d.get("duration_seconds")
        return Entry(event.at, _("Left a message") + (f" ({seconds} s)" if seconds else ""), "", kind)
    if kind == "texted" and d.get("chat"):
        return Entry(event.at, _("Wrote in the web chat"), "", kind)
    if kind == "chat_ended":
        return Entry(event.at, _("The visitor ended the web chat"), "", kind)
    if kind == "texted":
        title = _("Texted the line; joined this request") if d.get("joined") else _("Texted the line")
        return Entry(event.at, title, "", kind)
    if kind == "forwarded":
        return Entry(event.at, _("The caller's texts forwarded to %(name)s (%(count)s)", name=who,
                                 count=len(d.get("message_ids") or ())), "", kind)
    if kind == "replied":
        title = _("%(name)s replied through the line", name=who) if event.staff_id is not None else \
            _("A reply through the line")
        return Entry(event.at, title, str(VIA.get(d.get("via"), d.get("via", ""))), kind)
    if kind == "caller_opted_out":
        return Entry(event.at, _("The caller said STOP: no more SMS to them"), "", kind)
    if kind == "caller_opted_in":
        return Entry(event.at, _("The caller said START: SMS to them again"), "", kind)
    if kind == "assigned":
        return Entry(event.at, _("Assigned to %(name)s", name=who), "", kind)
    if kind == "handed_over":
        return Entry(event.at, _("Handed over from %(old)s to %(new)s at the end of a shift",
                                 old=_name(names, d.get("from_staff_id")), new=who), "", kind)
    if kind == "acknowledged":
        return Entry(event.at, _("%(name)s acknowledged it", name=who), str(VIA.get(d.get("via"), "")), kind)
    if kind == "passed":
        return Entry(event.at, _("%(name)s passed it on", name=who), "", kind)
    if kind == "reminded":
        return Entry(event.at, _("Reminder %(number)s to %(name)s", number=d.get("number", ""), name=who), "", kind)
    if kind == "escalated":
        return Entry(event.at, _("Escalated to the supervisors on duty"), "", kind)
    if kind == "escalation_unheard":
        return Entry(event.at, _("Escalation due, but no supervisor on duty could be told"), "", kind)
    if kind == "callback_call_requested":
        return Entry(event.at, _("%(name)s asked the line to call the caller back (attempt %(number)s)",
                                 name=who, number=d.get("attempt", "")), "", kind)
    if kind == "callback_attempt":
        seconds = d.get("duration")
        detail = _("Talked for %(seconds)s s", seconds=seconds) if seconds else str(d.get("result", ""))
        return Entry(event.at, _("Call-back attempt %(number)s", number=d.get("attempt", "")), detail, kind)
    if kind == "caller_texted":
        return Entry(event.at, _("The caller was sent an SMS saying when to expect the call"), "", kind)
    if kind == "caller_not_texted":
        reason = d.get("reason", "")
        return Entry(event.at, _("No SMS to the caller"), str(NOT_TEXTED.get(reason, reason)), kind)
    if kind == "closed":
        outcome = OUTCOMES.get(d.get("outcome"), d.get("outcome", ""))
        title = _("Closed as %(outcome)s", outcome=outcome)
        if event.staff_id is not None:
            title += " · " + who
        lines = [str(VIA.get(d.get("via"), d.get("via", "")))]
        if d.get("service_id"):
            lines.append(_("Referred to %(service)s", service=services.get(d["service_id"], "#%s" % d["service_id"])))
        if d.get("topic"):
            lines.append(_("Topic: %(topic)s", topic=d["topic"]))
        if d.get("note"):
            lines.append(_("Note: %(note)s", note=d["note"]))
        return Entry(event.at, title, "\n".join(line for line in lines if line), kind)
    if kind == "referral_texted":
        return Entry(event.at, _("The caller was texted the details of %(service)s",
                                 service=services.get(d.get("service_id"), "")), "", kind)
    if kind == "referral_not_texted":
        return Entry(event.at, _("No SMS of the referred service to the caller"), str(d.get("reason", "")), kind)
    details = ", ".join(f"{key}: {value}" for key, value in sorted(d.items()))
    return Entry(event.at, kind.replace("_", " "), details, kind)


def _sms_entries(db: Session, callback_id: int, names: dict[int, str]) -> list[Entry]:
    messages = list(db.scalars(select(OutboundSms).where(OutboundSms.callback_id == callback_id)
                               .order_by(OutboundSms.id)))
    reports: dict[int, list[tuple[datetime, str]]] = {}
    if messages:
        rows = db.execute(select(MessageStatusEvent.outbound_id, MessageStatusEvent.received_at,
                                 MessageStatusEvent.status)
                          .where(MessageStatusEvent.outbound_id.in_([m.id for m in messages]))
                          .order_by(MessageStatusEvent.received_at, MessageStatusEvent.id)).all()
        for outbound_id, received_at, status in rows:
            reports.setdefault(outbound_id, []).append((received_at, str(SMS_STATUSES.get(status, status))))
    entries = []
    for sms in messages:
        to = names.get(sms.staff_id) if sms.staff_id is not None else None
        recipient = f"{to} ({readable(sms.to_number)})" if to else readable(sms.to_number)
        purpose = SMS_PURPOSES.get(sms.purpose)
        title = _("SMS to %(recipient)s: %(purpose)s", recipient=recipient, purpose=purpose) if purpose else \
            _("SMS to %(recipient)s", recipient=recipient)
        status = _("Status: %(status)s", status=SMS_STATUSES.get(sms.status, sms.status))
        if sms.error_message:
            status += f" ({sms.error_message})"
        entries.append(Entry(sms.sent_at or sms.created_at, title, status + "\n" + sms.body, "sms",
                             reports.get(sms.id, [])))
    return entries


def _feedback_entries(db: Session, callback_id: int) -> list[Entry]:
    """The caller's answer to the feedback question (the question itself is its SMS above)."""
    feedback = db.scalar(select(FeedbackRequest).where(FeedbackRequest.callback_id == callback_id))
    if feedback is None or feedback.answered_at is None:
        return []
    title = _("The caller answered the feedback question: %(score)s of 5", score=feedback.score) \
        if feedback.score is not None else _("The caller answered the feedback question")
    return [Entry(feedback.answered_at, title, feedback.comment or "", "feedback")]
