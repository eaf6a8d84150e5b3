"""Re-find caller messages that never reached our database.

A caller's message is the one thing the line must never lose. The voice webhooks store it before
they answer, but a webhook can fail outright: the database down, our server unreachable during a
deploy, Twilio giving up on a callback. Twilio still holds the recording, so the sweep
periodically lists the recent recordings at Twilio and adopts any it does not know, through the
very same intake step the webhooks use (helpline.inbound.record_message): a callback request
appears, the worker is queued after commit, and a repeat run changes nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from helpline import inbound as callflow
from helpline.inbound import CallParams
from helpline.models import Call, VoiceMessage
from helpline.services import Services
from helpline.telephony.client import TwilioGateway
from helpline.telephony.errors import TwilioError
from helpline.telephony.resources import TwilioRecording

log = logging.getLogger(__name__)

# How far back each run looks. Longer than any outage we expect to ride out unnoticed; the
# cost is one paged list request per run.
DEFAULT_LOOKBACK = timedelta(hours=48)


@dataclass
class ReconcileReport:
    seen: int = 0
    adopted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # withheld or unknown callers: nobody to call back


def reconcile_recordings(line: Services, *, lookback: timedelta = DEFAULT_LOOKBACK) -> ReconcileReport:
    """Adopt every recent Twilio recording that has no VoiceMessage row. Safe to run any time."""
    now = line.clock.now()
    gateway = line.twilio
    report = ReconcileReport()
    try:
        recordings = [r for r in gateway.recordings_since(now - lookback) if r.call_sid and r.status != "absent"]
    except TwilioError as error:
        log.warning("recording reconciliation skipped this run: %s", error)
        return report
    report.seen = len(recordings)
    if not recordings:
        return report
    with line.db.session() as session:
        known = set(session.scalars(select(VoiceMessage.recording_sid).where(
            VoiceMessage.recording_sid.in_([r.sid for r in recordings]))))
    for recording in recordings:
        if recording.sid in known:
            continue
        if _adopt(line, gateway, recording):
            report.adopted.append(recording.sid)
        else:
            report.skipped.append(recording.sid)
    if report.adopted:
        log.warning("adopted %d caller message(s) that no webhook had stored: %s", len(report.adopted),
                    ", ".join(report.adopted))
    return report


def _adopt(line: Services, gateway: TwilioGateway, recording: TwilioRecording) -> bool:
    with line.db.session() as session:
        call = session.scalar(select(Call).where(Call.call_sid == recording.call_sid))
        known_caller = call is not None and call.caller is not None
    try:
        # Our row may be missing altogether (the incoming webhook failed too): ask Twilio who called.
        from_value = "" if known_caller else gateway.caller_of(recording.call_sid or "")
    except TwilioError as error:
        log.warning("could not ask Twilio who made call %s; trying again next run: %s", recording.call_sid, error)
        return False
    if not known_caller and not from_value:
        log.error("recording %s of call %s has no known caller; it stays only at Twilio", recording.sid,
                  recording.call_sid)
        return False
    params = CallParams(call_sid=recording.call_sid or "", from_value=from_value)
    callflow.in_transaction(line, lambda ctx: callflow.record_message(
        ctx, params, recording_sid=recording.sid, recording_url=recording.media_url,
        duration=recording.duration_seconds, recording_status=recording.status))
    with line.db.session() as session:
        return session.scalar(select(VoiceMessage.id).where(VoiceMessage.recording_sid == recording.sid)) is not None
